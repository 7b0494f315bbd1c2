"""User code for the sync chat client, written as the README and the samples write it.

Type-checked (never run) by scripts/typing.sh against the installed wheel, with mypy --strict and basedpyright
in strict mode: every line must pass without a cast, and ``assert_type`` pins what a user's IDE shows.
"""

import datetime
import json
from pathlib import Path
from typing import Any, Dict, List, Literal, Optional, Union

from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest, HttpResponse
from azure.identity import DefaultAzureCredential
from pydantic import BaseModel
from typing_extensions import assert_type

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import (
    AssistantMessage,
    AudioContentFormat,
    AudioContentItem,
    ChatChoice,
    ChatCompletions,
    ChatCompletionsNamedToolChoice,
    ChatCompletionsNamedToolChoiceFunction,
    ChatCompletionsToolCall,
    ChatCompletionsToolChoicePreset,
    ChatCompletionsToolDefinition,
    ChatRequestMessage,
    ChatResponseMessage,
    ChatRole,
    CompletionsFinishReason,
    CompletionsUsage,
    ContentItem,
    DeveloperMessage,
    FunctionCall,
    FunctionDefinition,
    ImageContentItem,
    ImageDetailLevel,
    ImageUrl,
    InputAudio,
    JsonSchemaFormat,
    ModelInfo,
    ModelType,
    StreamingChatChoiceUpdate,
    StreamingChatCompletions,
    StreamingChatCompletionsUpdate,
    StreamingChatResponseMessageUpdate,
    StreamingChatResponseToolCallUpdate,
    SystemMessage,
    TextContentItem,
    ToolMessage,
    UserMessage,
)

ENDPOINT = "https://example.services.ai.azure.com/models"
DATA = Path(__file__).parent / "data"


def clients() -> List[ChatCompletionsClient]:
    """The ways the README builds a client: key, Entra ID, Azure OpenAI, defaults for every call."""
    with_key = ChatCompletionsClient(endpoint=ENDPOINT, credential=AzureKeyCredential("<key>"))
    positional = ChatCompletionsClient(ENDPOINT, AzureKeyCredential("<key>"))
    entra = ChatCompletionsClient(
        ENDPOINT, DefaultAzureCredential(), credential_scopes=["https://cognitiveservices.azure.com/.default"]
    )
    azure_openai = ChatCompletionsClient(
        endpoint="https://resource.openai.azure.com/openai/deployments/gpt-4o",
        credential=AzureKeyCredential("<key>"),
        api_version="2024-06-01",
    )
    defaults = ChatCompletionsClient(
        ENDPOINT,
        AzureKeyCredential("<key>"),
        temperature=0.5,
        max_tokens=1000,
        top_p=0.9,
        seed=42,
        model="gpt-4o-mini",
        model_extras={"logprobs": True},
        headers={"azureml-model-deployment": "blue"},
        logging_enable=True,
    )
    return [with_key, positional, entra, azure_openai, defaults]


def plain(client: ChatCompletionsClient) -> None:
    response = client.complete(
        messages=[SystemMessage("You are a helpful assistant."), UserMessage("How many feet are in a mile?")],
        temperature=0.2,
    )
    assert_type(response, ChatCompletions)
    assert_type(response.id, str)
    assert_type(response.created, datetime.datetime)
    assert_type(response.model, str)
    assert_type(response.choices, List[ChatChoice])
    choice = response.choices[0]
    assert_type(choice.index, int)
    assert_type(choice.finish_reason, Optional[Union[str, CompletionsFinishReason]])
    assert_type(choice.message, ChatResponseMessage)
    assert_type(choice.message.role, Union[str, ChatRole])
    assert_type(choice.message.content, Optional[str])
    assert_type(choice.message.reasoning_content, Optional[str])
    assert_type(response.usage, CompletionsUsage)
    assert_type(response.usage.prompt_tokens, int)
    assert_type(response.usage.completion_tokens, int)
    assert_type(response.usage.total_tokens, int)
    if choice.finish_reason == CompletionsFinishReason.TOKEN_LIMIT_REACHED:
        print("truncated")
    print(response.choices[0].message.content)
    print(str(response), response.as_dict()["id"], response.created.isoformat())

    # Settings the service does not know go to the root of the body.
    extras = client.complete(messages=[UserMessage("Hi")], model_extras={"logprobs": True}, stop=["\n"])
    assert_type(extras, ChatCompletions)
    developer = client.complete(messages=[DeveloperMessage("Answer in French."), UserMessage("Hi")], seed=1)
    assert_type(developer.choices[0].message.content, Optional[str])


def streamed(client: ChatCompletionsClient) -> None:
    stream = client.complete(messages=[UserMessage("Write a haiku.")], stream=True)
    assert_type(stream, StreamingChatCompletions)
    for update in stream:
        assert_type(update, StreamingChatCompletionsUpdate)
        assert_type(update.id, str)
        assert_type(update.created, datetime.datetime)
        assert_type(update.choices, List[StreamingChatChoiceUpdate])
        if update.choices:
            choice = update.choices[0]
            assert_type(choice.finish_reason, Optional[Union[str, CompletionsFinishReason]])
            assert_type(choice.delta, StreamingChatResponseMessageUpdate)
            assert_type(choice.delta.role, Optional[Union[str, ChatRole]])
            assert_type(choice.delta.content, Optional[str])
            print(choice.delta.content or "", end="")
            for fragment in choice.delta.tool_calls or []:
                assert_type(fragment, StreamingChatResponseToolCallUpdate)
                assert_type(fragment.function, FunctionCall)
        if update.usage is not None:
            assert_type(update.usage.total_tokens, int)
    final = stream.get_final_completion()
    assert_type(final, ChatCompletions)
    print(final.choices[0].message.content)

    with client.complete(messages=[UserMessage("Count to three.")], stream=True) as managed:
        assert_type(managed, StreamingChatCompletions)
        first = next(managed)
        assert_type(first, StreamingChatCompletionsUpdate)
    stream.close()

    # stream= known only at run time: either result, told apart with isinstance.
    either = client.complete(messages=[UserMessage("Hi")], stream=bool(datetime.datetime.now().second % 2))
    assert_type(either, Union[ChatCompletions, StreamingChatCompletions])
    if isinstance(either, StreamingChatCompletions):
        print("".join(u.choices[0].delta.content or "" for u in either if u.choices))
    else:
        print(either.choices[0].message.content)
    plain_result = client.complete(messages=[UserMessage("Hi")], stream=False)
    assert_type(plain_result, ChatCompletions)


def history(client: ChatCompletionsClient) -> None:
    # A history built as a list of the message classes is accepted as it is (the parameter is a Sequence).
    conversation = [
        SystemMessage("You are a helpful assistant."),
        UserMessage("What year was construction of the International Space Station mostly done?"),
        AssistantMessage("It was mostly done in 2011."),
        UserMessage("And what was the estimated cost to build it?"),
    ]
    print(client.complete(messages=conversation).choices[0].message.content)
    users = [UserMessage("Hi"), UserMessage("Are you there?")]
    client.complete(messages=users)
    client.complete(messages=(SystemMessage("Be brief."), UserMessage("Hi")))

    # A history that grows: annotate it with the base class.
    messages: List[ChatRequestMessage] = [SystemMessage("You are a helpful assistant.")]
    for question in ("Hi", "What can you do?"):
        messages.append(UserMessage(question))
        reply = client.complete(messages=messages).choices[0].message
        messages.append(AssistantMessage(reply.content))
    assert_type(messages[0].role, Union[str, ChatRole])

    # Messages as plain JSON, and mixed with models.
    client.complete(messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}])
    client.complete(messages=[SystemMessage("Be brief."), {"role": "user", "content": "Hi"}])
    keyword = UserMessage(content="Hi")
    assert_type(keyword.content, Union[str, List[ContentItem]])
    assert_type(SystemMessage("Be brief.").content, str)
    assert_type(AssistantMessage("Sure.").content, Optional[str])


def get_weather(city: str, unit: str = "celsius") -> str:
    """Current weather of a city.

    :param city: The city name.
    """
    return f"22 degrees {unit} in {city}"


def tools(client: ChatCompletionsClient) -> None:
    definition = ChatCompletionsToolDefinition(
        function=FunctionDefinition(
            name="get_flight_info",
            description="Returns the next flight between two cities.",
            parameters={
                "type": "object",
                "properties": {"origin_city": {"type": "string"}, "destination_city": {"type": "string"}},
                "required": ["origin_city", "destination_city"],
            },
        )
    )
    assert_type(definition.function.name, str)
    assert_type(definition.function.description, Optional[str])
    assert_type(definition.function.parameters, Optional[Dict[str, Any]])
    from_function = ChatCompletionsToolDefinition.from_function(get_weather)
    assert_type(from_function, ChatCompletionsToolDefinition)

    messages: List[ChatRequestMessage] = [UserMessage("Weather in Paris? Next flight from Miami to Seattle?")]
    response = client.complete(messages=messages, tools=[definition, from_function], tool_choice="auto")
    client.complete(messages=messages, tools=[definition], tool_choice=ChatCompletionsToolChoicePreset.REQUIRED)
    named = ChatCompletionsNamedToolChoice(function=ChatCompletionsNamedToolChoiceFunction(name="get_weather"))
    client.complete(messages=messages, tools=(from_function,), tool_choice=named)

    message = response.choices[0].message
    assert_type(message.tool_calls, Optional[List[ChatCompletionsToolCall]])
    if message.tool_calls:
        # The tool results: the assistant's tool calls, then one ToolMessage per call.
        messages.append(AssistantMessage(tool_calls=message.tool_calls))
        for call in message.tool_calls:
            assert_type(call.id, str)
            assert_type(call.function.name, str)
            assert_type(call.function.arguments, str)
            arguments = json.loads(call.function.arguments)
            messages.append(ToolMessage(get_weather(**arguments), tool_call_id=call.id))
        results = message.run_tool_calls([get_weather])
        assert_type(results, List[ToolMessage])
        assert_type(results[0].tool_call_id, str)
        assert_type(results[0].content, Optional[str])
        messages.extend(results)
        final = client.complete(messages=messages, tools=[definition, from_function])
        print(final.choices[0].message.content)


class City(BaseModel):
    name: str
    population: int


def structured_output(client: ChatCompletionsClient) -> None:
    response = client.complete(messages=[UserMessage("The largest city of Japan?")], response_format=City)
    city = response.choices[0].message.parse(City)
    assert_type(city, City)
    print(city.name, city.population)

    schema = JsonSchemaFormat(
        name="recipe",
        schema={"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
        description="A recipe.",
        strict=True,
    )
    assert_type(schema.schema, Dict[str, Any])
    assert_type(schema.strict, Optional[bool])
    recipe = client.complete(messages=[UserMessage("A pancake recipe.")], response_format=schema)
    content = recipe.choices[0].message.content
    if content is not None:
        print(json.loads(content)["name"])
    client.complete(messages=[UserMessage("JSON, please.")], response_format="json_object")
    client.complete(messages=[UserMessage("JSON, please.")], response_format={"type": "json_object"})
    client.complete(messages=[UserMessage("Text, please.")], response_format="text")


def images_and_audio(client: ChatCompletionsClient) -> None:
    url = ImageUrl(url="https://example.com/image.png", detail=ImageDetailLevel.HIGH)
    assert_type(url.url, str)
    assert_type(url.detail, Optional[Union[str, ImageDetailLevel]])
    loaded = ImageUrl.load(image_file=DATA / "sample_image.png", image_format="png", detail="low")
    assert_type(loaded, ImageUrl)
    response = client.complete(
        messages=[
            SystemMessage("You describe images."),
            UserMessage([TextContentItem(text="What is in this image?"), ImageContentItem(image_url=url)]),
        ]
    )
    print(response.choices[0].message.content)

    # Content built first, then sent: a list of the item classes is accepted as it is.
    content = [TextContentItem(text="And this one?"), ImageContentItem(image_url=loaded)]
    client.complete(messages=[UserMessage(content)])
    items: List[ContentItem] = [TextContentItem(text="Compare them.")]
    items.append(ImageContentItem(image_url=loaded))
    client.complete(messages=[UserMessage(content=items)])

    audio = InputAudio.load(audio_file=str(DATA / "sample_audio.wav"), audio_format=AudioContentFormat.WAV)
    assert_type(audio.format, Union[str, AudioContentFormat])
    assert_type(audio.data, str)
    client.complete(messages=[UserMessage([TextContentItem(text="Transcribe."), AudioContentItem(input_audio=audio)])])
    from_json = TextContentItem({"type": "text", "text": "Hi"})
    assert_type(from_json.text, str)
    client.complete(messages=[UserMessage([from_json, ImageContentItem(image=url)])])
    text_item = TextContentItem(text="Hi")
    assert_type(text_item.text, str)
    assert_type(text_item.type, Literal["text"])


def body_form(client: ChatCompletionsClient) -> None:
    body: Dict[str, Any] = {"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 50}
    result = client.complete(body)
    assert_type(result, Union[ChatCompletions, StreamingChatCompletions])
    if isinstance(result, ChatCompletions):
        print(result.choices[0].message.content)
    client.complete(body=body)
    with open(DATA / "chat_request.json", "rb") as request_file:
        from_file = client.complete(request_file)
        assert_type(from_file, Union[ChatCompletions, StreamingChatCompletions])
    from_bytes = client.complete(json.dumps(body).encode())
    assert_type(from_bytes, Union[ChatCompletions, StreamingChatCompletions])
    streamed_body = client.complete({"messages": [{"role": "user", "content": "Hi"}], "stream": True})
    if isinstance(streamed_body, StreamingChatCompletions):
        for update in streamed_body:
            assert_type(update, StreamingChatCompletionsUpdate)


def model_info_and_requests(client: ChatCompletionsClient) -> None:
    info = client.get_model_info()
    assert_type(info, ModelInfo)
    assert_type(info.model_name, str)
    assert_type(info.model_type, Union[str, ModelType])
    assert_type(info.model_provider_name, str)
    if info.model_type == ModelType.CHAT_COMPLETION:
        print(str(client))
    raw = client.send_request(HttpRequest("GET", "/info", params={"api-version": "2024-05-01-preview"}))
    assert_type(raw, HttpResponse)
    print(raw.json())
    try:
        client.complete(messages=[UserMessage("Hi")])
    except HttpResponseError as exc:
        print(exc.status_code, exc.reason, exc.message)
    with client:
        client.close()
