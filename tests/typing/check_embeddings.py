"""User code for embeddings, image embeddings, model info and ``load_client``, sync and async.

Type-checked (never run) by scripts/typing.sh; see check_chat.py.
"""

import base64
import math
import struct
from pathlib import Path
from typing import List, Union

from azure.core.credentials import AzureKeyCredential
from typing_extensions import assert_type

from azure.ai.inference import ChatCompletionsClient, EmbeddingsClient, ImageEmbeddingsClient, aio, load_client
from azure.ai.inference.models import (
    EmbeddingEncodingFormat,
    EmbeddingInputType,
    EmbeddingItem,
    EmbeddingsResult,
    EmbeddingsUsage,
    ImageEmbeddingInput,
    ModelInfo,
    ModelType,
    UserMessage,
)

ENDPOINT = "https://example.services.ai.azure.com/models"
KEY = AzureKeyCredential("<key>")
IMAGE = Path(__file__).parent / "data" / "sample_image.png"


def cosine(a: List[float], b: List[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def embeddings() -> None:
    client = EmbeddingsClient(endpoint=ENDPOINT, credential=KEY, dimensions=256, model="text-embedding-3-small")
    result = client.embed(input=["first phrase", "second phrase"])
    assert_type(result, EmbeddingsResult)
    assert_type(result.id, str)
    assert_type(result.model, str)
    assert_type(result.data, List[EmbeddingItem])
    assert_type(result.usage, EmbeddingsUsage)
    assert_type(result.usage.prompt_tokens, int)
    assert_type(result.usage.total_tokens, int)
    for item in result.data:
        assert_type(item.index, int)
        assert_type(item.embedding, Union[str, List[float]])
        print(len(item.embedding))
    first, second = (item.embedding for item in result.data)
    if isinstance(first, list) and isinstance(second, list):
        print(cosine(first, second))
    print(str(result))

    phrases = ("a query", "a document")
    client.embed(input=phrases, input_type=EmbeddingInputType.QUERY, dimensions=128)
    client.embed(input=list(phrases), input_type="document")
    packed = client.embed(input=["bytes, please"], encoding_format=EmbeddingEncodingFormat.BASE64)
    vector = packed.data[0].embedding
    if isinstance(vector, str):
        raw = base64.b64decode(vector)
        print(struct.unpack(f"<{len(raw) // 4}f", raw))
    client.embed(input=["floats"], encoding_format="float", model_extras={"truncate": "END"})
    client.embed({"input": ["a whole body"]})
    client.close()


def image_embeddings() -> None:
    with ImageEmbeddingsClient(ENDPOINT, KEY) as client:
        image = ImageEmbeddingInput.load(image_file=str(IMAGE), image_format="png", text="a logo")
        assert_type(image, ImageEmbeddingInput)
        assert_type(image.image, str)
        result = client.embed(input=[image, ImageEmbeddingInput(image="data:image/png;base64,iVBORw0KGgo=")])
        assert_type(result, EmbeddingsResult)
        assert_type(result.data[0].embedding, Union[str, List[float]])
        info = client.get_model_info()
        assert_type(info.model_type, Union[str, ModelType])


def loaded() -> None:
    client = load_client(endpoint=ENDPOINT, credential=KEY)
    assert_type(client, Union[ChatCompletionsClient, EmbeddingsClient, ImageEmbeddingsClient])
    info = client.get_model_info()
    assert_type(info, ModelInfo)
    print(f"{info.model_name} from {info.model_provider_name}: {info.model_type}")
    if isinstance(client, ChatCompletionsClient):
        print(client.complete(messages=[UserMessage("Hi")]).choices[0].message.content)
    elif isinstance(client, EmbeddingsClient):
        print(client.embed(input=["Hi"]).data[0].embedding)
    else:
        assert_type(client, ImageEmbeddingsClient)
    client.close()


async def asynchronous() -> None:
    async with aio.EmbeddingsClient(ENDPOINT, KEY) as client:
        result = await client.embed(input=["first phrase", "second phrase"])
        assert_type(result, EmbeddingsResult)
        assert_type(result.data[0].embedding, Union[str, List[float]])
    async with aio.ImageEmbeddingsClient(ENDPOINT, KEY) as images:
        image_result = await images.embed(input=[ImageEmbeddingInput.load(image_file=IMAGE, image_format="png")])
        assert_type(image_result.usage.total_tokens, int)

    client_async = await aio.load_client(ENDPOINT, KEY)
    assert_type(client_async, Union[aio.ChatCompletionsClient, aio.EmbeddingsClient, aio.ImageEmbeddingsClient])
    info = await client_async.get_model_info()
    assert_type(info, ModelInfo)
    if isinstance(client_async, aio.ChatCompletionsClient):
        response = await client_async.complete(messages=[UserMessage("Hi")])
        print(response.choices[0].message.content)
    await client_async.close()
