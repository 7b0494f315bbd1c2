"""Stream an answer that calls a function: show the text as it arrives, then run the tool calls.

Tool calls arrive in fragments; ``get_final_completion()`` gives them assembled, as a
non-streamed ``complete()`` would. The loop stops on a text answer or after a few rounds.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/sample_chat_completions_streaming_with_tools.py
"""

import json

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import (
    AssistantMessage,
    ChatCompletionsToolDefinition,
    ChatRequestMessage,
    FunctionDefinition,
    ToolMessage,
    UserMessage,
)

MAX_ROUNDS = 4

TIME_TOOL = ChatCompletionsToolDefinition(
    function=FunctionDefinition(
        name="get_local_time",
        description="The current local time in a city.",
        parameters={
            "type": "object",
            "properties": {"city": {"type": "string", "description": "The city name."}},
            "required": ["city"],
        },
    )
)


def get_local_time(city: str) -> str:
    """A stand-in for a time zone service."""
    return json.dumps({"city": city, "local_time": "14:30"})


def main() -> None:
    settings = chat()
    messages: list[ChatRequestMessage] = [UserMessage("What time is it in Tokyo?")]
    with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), tools=[TIME_TOOL], **settings.model_kwargs()
    ) as client:
        for _ in range(MAX_ROUNDS):
            stream = client.complete(messages=messages, stream=True)
            for update in stream:
                if update.choices and update.choices[0].delta.content:
                    print(update.choices[0].delta.content, end="", flush=True)
            message = stream.get_final_completion().choices[0].message
            if not message.tool_calls:
                print()
                break
            messages.append(AssistantMessage(tool_calls=message.tool_calls))
            for call in message.tool_calls:
                arguments = json.loads(call.function.arguments)
                if call.function.name == "get_local_time":
                    result = get_local_time(str(arguments.get("city")))
                else:
                    result = f"error: there is no tool named {call.function.name}"
                print(f"tool call {call.function.name}({arguments}) -> {result}")
                messages.append(ToolMessage(result, tool_call_id=call.id))
        else:
            print(f"no final answer after {MAX_ROUNDS} rounds")


if __name__ == "__main__":
    main()
