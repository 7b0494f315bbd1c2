"""Let the model call a function: run each tool call it asks for and send the result back.

The loop stops when the model answers in text, or after a few rounds.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/sample_chat_completions_with_tools.py
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
    SystemMessage,
    ToolMessage,
    UserMessage,
)

MAX_ROUNDS = 4

WEATHER_TOOL = ChatCompletionsToolDefinition(
    function=FunctionDefinition(
        name="get_weather",
        description="The current weather in a city.",
        parameters={
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "The city name, for example Paris."},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city", "unit"],
        },
    )
)


def get_weather(city: str, unit: str = "celsius") -> str:
    """A stand-in for a weather service."""
    degrees = 18 if unit == "celsius" else 64
    return json.dumps({"city": city, "temperature": degrees, "unit": unit, "sky": "partly cloudy"})


def main() -> None:
    settings = chat()
    messages: list[ChatRequestMessage] = [
        SystemMessage("You answer weather questions using the get_weather tool."),
        UserMessage("What is the weather like in Lisbon right now?"),
    ]
    with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), tools=[WEATHER_TOOL], **settings.model_kwargs()
    ) as client:
        for _ in range(MAX_ROUNDS):
            message = client.complete(messages=messages).choices[0].message
            if not message.tool_calls:
                print(f"answer: {message.content}")
                break
            messages.append(AssistantMessage(tool_calls=message.tool_calls))
            for call in message.tool_calls:
                arguments = json.loads(call.function.arguments)
                if call.function.name == "get_weather":
                    result = get_weather(str(arguments.get("city")), str(arguments.get("unit", "celsius")))
                else:
                    result = f"error: there is no tool named {call.function.name}"
                print(f"tool call {call.function.name}({arguments}) -> {result}")
                messages.append(ToolMessage(result, tool_call_id=call.id))
        else:
            print(f"no final answer after {MAX_ROUNDS} rounds")


if __name__ == "__main__":
    main()
