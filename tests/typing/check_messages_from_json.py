"""User code written against 1.0.0b9's types that must type-check here too: messages built from one mapping of raw
JSON (1.0.0b9's constructor overload), alone or with keywords.

Type-checked (never run) by scripts/typing.sh; see check_chat.py.
"""

from typing import Any, Dict

from typing_extensions import assert_type

from azure.ai.inference.models import (
    AssistantMessage,
    DeveloperMessage,
    SystemMessage,
    ToolMessage,
    UserMessage,
)


def messages_from_json(raw: Dict[str, Any]) -> None:
    assert_type(UserMessage(raw), UserMessage)
    assert_type(SystemMessage(raw), SystemMessage)
    assert_type(DeveloperMessage(raw), DeveloperMessage)
    assert_type(AssistantMessage(raw), AssistantMessage)
    assert_type(ToolMessage(raw, tool_call_id="call_1"), ToolMessage)
