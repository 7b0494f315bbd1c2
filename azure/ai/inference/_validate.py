"""Hand-written, I/O-free checks of what callers pass, run before a request is built.

They look only at the containers (cheap ``isinstance`` checks: request building is on the hot path);
the service validates the values. A value JSON cannot write is caught when the body is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Dict, Optional

from ._model_base import dumps

# The per-call keywords that azure-core's pipeline policies and its requests/aiohttp transports consume;
# ``headers``, ``params`` and ``content_type`` are taken by the request builders, ``error_map`` by the client.
# Any other keyword would reach the transport and fail there with a message about the HTTP library rather
# than about this call.
PIPELINE_OPTIONS = frozenset([
    "headers", "params", "request_id", "user_agent", "user_agent_overwrite", "proxies", "permit_redirects",
    "redirect_max", "retry_total", "retry_connect", "retry_read", "retry_status", "retry_backoff_factor",
    "retry_backoff_max", "retry_on_methods", "timeout", "enforce_https", "enable_cae", "insecure_domain_change",
    "raw_request_hook", "raw_response_hook", "logging_enable", "logger", "http_logging_level", "tracing_options",
    "connection_timeout", "read_timeout", "connection_verify", "connection_cert", "content_type", "error_map",
])  # fmt: skip


def check_options(method: str, kwargs: Dict[str, Any]) -> None:
    """Refuse a keyword that is neither a setting of ``method`` nor a pipeline option."""
    for name in kwargs:
        if name not in PIPELINE_OPTIONS:
            raise TypeError(
                f"{method}() got an unexpected keyword argument '{name}': it is neither a setting nor an "
                f"azure-core pipeline option. To send it in the request body, pass model_extras={{'{name}': ...}}."
            )


def _is_sequence(value: Any) -> bool:
    """A read-only sequence of items, as the ``Sequence`` parameter types say: not a string."""
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray))


def _kind(value: Any) -> str:
    return type(value).__name__


def check_messages(messages: Any) -> None:
    """``messages`` is a list of mappings (message models or dicts) whose content is a str or a list of mappings.

    A message is read by subscript, which refuses what is not a mapping: an ABC ``isinstance`` check costs more.
    """
    if not isinstance(messages, (list, tuple)) and not _is_sequence(messages):
        raise TypeError(f"messages must be a list of chat messages, not {_kind(messages)}")
    for i, message in enumerate(messages):
        try:
            content = message["content"]
        except KeyError:  # an assistant message with tool calls only
            continue
        except (TypeError, IndexError):
            raise TypeError(
                f"messages[{i}] must be a chat message (UserMessage, SystemMessage, ... or a dict), "
                f"not {_kind(message)}"
            ) from None
        if content is None or isinstance(content, str):
            continue
        if not isinstance(content, (list, tuple)):
            raise TypeError(f"messages[{i}].content must be a string or a list of content items, not {_kind(content)}")
        for j, item in enumerate(content):
            if not hasattr(item, "get"):
                raise TypeError(
                    f"messages[{i}].content[{j}] must be a content item (TextContentItem, ImageContentItem, "
                    f"AudioContentItem or a dict), not {_kind(item)}"
                )


def check_settings(body: Dict[str, Any], extras: Any) -> None:
    """The merged settings whose type is a container: ``tools``, ``tool_choice`` and ``model_extras``."""
    tools = body.get("tools")
    if tools is not None:
        if not isinstance(tools, (list, tuple)) and not _is_sequence(tools):
            raise TypeError(f"tools must be a list of ChatCompletionsToolDefinition, not {_kind(tools)}")
        for i, tool in enumerate(tools):
            if not hasattr(tool, "get"):
                raise TypeError(f"tools[{i}] must be a ChatCompletionsToolDefinition or a dict, not {_kind(tool)}")
    tool_choice = body.get("tool_choice")
    if tool_choice is not None and not isinstance(tool_choice, (str, Mapping)):
        raise TypeError(
            "tool_choice must be 'auto', 'none', 'required' or a ChatCompletionsNamedToolChoice, "
            f"not {_kind(tool_choice)}"
        )
    if extras is not None and not isinstance(extras, Mapping):
        raise TypeError(f"model_extras must be a dict, not {_kind(extras)}")


def dumps_body(body: Mapping[str, Any], extras: Optional[Mapping[str, Any]] = None, *, whole: bool = False) -> str:
    """The JSON of a request body; a value JSON cannot write raises naming the argument that holds it."""
    try:
        return dumps(body)
    except (TypeError, ValueError, RecursionError) as exc:
        culprit = "body"
        for name, value in body.items():
            try:
                dumps(value)
            except (TypeError, ValueError, RecursionError):
                in_extras = bool(extras) and name in extras  # type: ignore[operator]
                culprit = f"body[{name!r}]" if whole else f"model_extras[{name!r}]" if in_extras else name
                break
        kind = TypeError if isinstance(exc, TypeError) else ValueError
        raise kind(f"{culprit} cannot be sent as JSON: {exc}") from exc
