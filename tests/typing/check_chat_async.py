"""User code for the async chat client (``azure.ai.inference.aio``), as the README and the async samples write it.

Type-checked (never run) by scripts/typing.sh; see check_chat.py.
"""

import asyncio
import datetime
from typing import Any, Dict, List, Optional, Union

from azure.core.credentials import AzureKeyCredential
from azure.core.rest import HttpRequest
from azure.identity.aio import DefaultAzureCredential
from pydantic import BaseModel
from typing_extensions import assert_type

from azure.ai.inference.aio import ChatCompletionsClient
from azure.ai.inference.models import (
    AssistantMessage,
    AsyncStreamingChatCompletions,
    ChatCompletions,
    ChatCompletionsToolCall,
    ChatCompletionsToolDefinition,
    ChatRequestMessage,
    CompletionsFinishReason,
    ModelInfo,
    StreamingChatCompletionsUpdate,
    SystemMessage,
    ToolMessage,
    UserMessage,
)

ENDPOINT = "https://example.services.ai.azure.com/models"


async def plain() -> None:
    async with ChatCompletionsClient(ENDPOINT, AzureKeyCredential("<key>"), temperature=0.2) as client:
        assert_type(client, ChatCompletionsClient)
        response = await client.complete(
            messages=[SystemMessage("You are a helpful assistant."), UserMessage("How many feet are in a mile?")]
        )
        assert_type(response, ChatCompletions)
        assert_type(response.created, datetime.datetime)
        assert_type(response.choices[0].message.content, Optional[str])
        assert_type(response.choices[0].finish_reason, Optional[Union[str, CompletionsFinishReason]])
        assert_type(response.usage.total_tokens, int)
        info = await client.get_model_info()
        assert_type(info, ModelInfo)
        raw = await client.send_request(HttpRequest("GET", "/info"))
        print(raw.status_code)


async def streamed() -> None:
    credential = DefaultAzureCredential()
    client = ChatCompletionsClient(endpoint=ENDPOINT, credential=credential)
    stream = await client.complete(
        stream=True, messages=[UserMessage("List the four seasons of the year.")], max_tokens=100
    )
    assert_type(stream, AsyncStreamingChatCompletions)
    async with stream:
        async for update in stream:
            assert_type(update, StreamingChatCompletionsUpdate)
            if update.choices and update.choices[0].delta.content:
                print(update.choices[0].delta.content, end="")
            if update.usage:
                print(update.usage.total_tokens)
    again = await client.complete(messages=[UserMessage("Again.")], stream=True)
    first = await again.__anext__()
    assert_type(first, StreamingChatCompletionsUpdate)
    final = await again.get_final_completion()
    assert_type(final, ChatCompletions)
    await again.aclose()

    either = await client.complete(messages=[UserMessage("Hi")], stream=datetime.datetime.now().second % 2 == 0)
    assert_type(either, Union[ChatCompletions, AsyncStreamingChatCompletions])
    if isinstance(either, AsyncStreamingChatCompletions):
        async for update in either:
            print(update.choices)
    else:
        print(either.choices[0].message.content)
    await client.close()
    await credential.close()


def get_weather(city: str) -> str:
    """Current weather of a city."""
    return f"22 degrees in {city}"


class City(BaseModel):
    name: str


async def history_tools_and_structured_output(client: ChatCompletionsClient) -> None:
    tools = [ChatCompletionsToolDefinition.from_function(get_weather)]
    messages: List[ChatRequestMessage] = [SystemMessage("Be brief."), UserMessage("Weather in Paris?")]
    response = await client.complete(messages=messages, tools=tools, tool_choice="auto")
    message = response.choices[0].message
    assert_type(message.tool_calls, Optional[List[ChatCompletionsToolCall]])
    if message.tool_calls:
        messages.append(AssistantMessage(tool_calls=message.tool_calls))
        messages.extend(message.run_tool_calls([get_weather]))
        messages.append(ToolMessage("22 degrees", tool_call_id=message.tool_calls[0].id))
    parsed = (await client.complete(messages=messages, response_format=City)).choices[0].message.parse(City)
    assert_type(parsed, City)


async def body_form(client: ChatCompletionsClient) -> None:
    body: Dict[str, Any] = {"messages": [{"role": "user", "content": "Hi"}]}
    result = await client.complete(body)
    assert_type(result, Union[ChatCompletions, AsyncStreamingChatCompletions])
    from_bytes = await client.complete(b'{"messages": [{"role": "user", "content": "Hi"}]}')
    if isinstance(from_bytes, ChatCompletions):
        print(from_bytes.choices[0].message.content)


async def concurrent(client: ChatCompletionsClient) -> None:
    questions = ["Hi", "Hello", "Hey"]
    answers = await asyncio.gather(*(client.complete(messages=[UserMessage(q)]) for q in questions))
    assert_type(answers, List[ChatCompletions])


if __name__ == "__main__":
    asyncio.run(plain())
