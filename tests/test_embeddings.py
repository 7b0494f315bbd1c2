"""EmbeddingsClient and ImageEmbeddingsClient, sync and async, against the loopback emulator."""

from __future__ import annotations

import base64
import io
import re
import struct
from types import ModuleType

import pytest

from azure.ai.inference.models import (
    EmbeddingEncodingFormat,
    EmbeddingInputType,
    EmbeddingItem,
    EmbeddingsResult,
    EmbeddingsUsage,
    ImageEmbeddingInput,
    ModelInfo,
    ModelType,
)

from .emulator import Emulator, embedding_vector
from .support import client, resolve

IMAGE_A = "data:image/png;base64,AAAA"
IMAGE_B = "data:image/png;base64,BBBB"


async def test_embed_sends_input_and_parses_result(api: ModuleType, emulator: Emulator) -> None:
    embeddings = client(api, "EmbeddingsClient", emulator.endpoint)
    result = await resolve(embeddings.embed(input=["first phrase", "second"]))
    await resolve(embeddings.close())

    request = emulator.requests[-1]
    assert (request.method, request.path, request.query) == (
        "POST",
        "/embeddings",
        {"api-version": "2024-05-01-preview"},
    )
    assert request.headers["Content-Type"] == "application/json" and request.headers["Accept"] == "application/json"
    assert "extra-parameters" not in request.headers
    assert request.body == b'{"input": ["first phrase", "second"]}'
    assert type(result) is EmbeddingsResult
    assert [type(item) for item in result.data] == [EmbeddingItem, EmbeddingItem]
    assert [item.index for item in result.data] == [0, 1]
    assert result.data[0].embedding == embedding_vector("first phrase", 8)
    assert isinstance(result.usage, EmbeddingsUsage) and result.usage.prompt_tokens == 3
    assert result.model == "emulated-model" and result.id.startswith("embeddings-")
    assert result["data"][1]["object"] == "embedding"  # fields the model does not name stay reachable


async def test_embed_body_in_spec_order_with_defaults_and_overrides(api: ModuleType, emulator: Emulator) -> None:
    embeddings = client(
        api,
        "EmbeddingsClient",
        emulator.endpoint,
        model_extras={"y": 2},
        model="dm",
        input_type=EmbeddingInputType.DOCUMENT,
        encoding_format="float",
        dimensions=4,
    )
    await resolve(embeddings.embed(input=["a"]))
    await resolve(
        embeddings.embed(
            model_extras={"x": 1},
            model="em",
            input_type="query",
            encoding_format=EmbeddingEncodingFormat.INT8,
            dimensions=3,
            input=["a"],
        )
    )
    await resolve(embeddings.embed(input=["a"], dimensions=2, model_extras={}))
    await resolve(embeddings.close())
    defaults, overrides, partial = emulator.requests
    assert defaults.body == (
        b'{"input": ["a"], "dimensions": 4, "encoding_format": "float", "input_type": "document", '
        b'"model": "dm", "y": 2}'
    )
    assert overrides.body == (
        b'{"input": ["a"], "dimensions": 3, "encoding_format": "int8", "input_type": "query", "model": "em", "x": 1}'
    )
    assert partial.body == (
        b'{"input": ["a"], "dimensions": 2, "encoding_format": "float", "input_type": "document", '
        b'"model": "dm", "y": 2}'
    )
    for request in (defaults, overrides, partial):
        assert request.headers["extra-parameters"] == "pass-through"


async def test_model_extras_override_a_standard_key_in_place(api: ModuleType, emulator: Emulator) -> None:
    embeddings = client(api, "EmbeddingsClient", emulator.endpoint)
    await resolve(embeddings.embed(input=["a"], dimensions=3, model_extras={"z": "\u00e9", "dimensions": 5}))
    await resolve(embeddings.embed(input=["a"], model_extras={"gone": None}))
    await resolve(embeddings.close())
    first, second = emulator.requests
    assert first.body == b'{"input": ["a"], "dimensions": 5, "z": "\\u00e9"}'
    assert second.body == b'{"input": ["a"]}' and second.headers["extra-parameters"] == "pass-through"


async def test_base64_encoding_gives_a_string(api: ModuleType, emulator: Emulator) -> None:
    embeddings = client(api, "EmbeddingsClient", emulator.endpoint, dimensions=4)
    result = await resolve(embeddings.embed(input=["x"], encoding_format=EmbeddingEncodingFormat.BASE64))
    await resolve(embeddings.close())
    encoded = result.data[0].embedding
    assert isinstance(encoded, str)
    assert list(struct.unpack("<4f", base64.b64decode(encoded))) == embedding_vector("x", 4)


async def test_missing_input_is_a_type_error_before_any_request(api: ModuleType, emulator: Emulator) -> None:
    for name in ("EmbeddingsClient", "ImageEmbeddingsClient"):
        embeddings = client(api, name, emulator.endpoint)
        with pytest.raises(TypeError) as info:
            await resolve(embeddings.embed(dimensions=3))
        assert str(info.value) == "missing required argument: input"
        await resolve(embeddings.close())
    assert emulator.requests == []


async def test_body_mapping_bytes_and_file_are_sent_as_is(api: ModuleType, emulator: Emulator) -> None:
    embeddings = client(api, "EmbeddingsClient", emulator.endpoint, dimensions=4, model_extras={"x": 1})
    mapped = await resolve(embeddings.embed({"input": ["q"], "dimensions": 2}, input=["ignored"], model="ignored"))
    raw = b'{"input":["raw"],"dimensions":3}'
    from_bytes = await resolve(embeddings.embed(raw))
    from_file = await resolve(embeddings.embed(io.BytesIO(b'{"input":["file"]}')))
    await resolve(embeddings.close())
    as_mapping, as_bytes, as_file = emulator.requests
    assert as_mapping.body == b'{"input": ["q"], "dimensions": 2}'
    assert as_bytes.body == raw and as_file.body == b'{"input":["file"]}'
    for request in emulator.requests:  # no constructor defaults, no extras, no pass-through header
        assert "extra-parameters" not in request.headers
        assert request.path == "/embeddings" and request.query == {"api-version": "2024-05-01-preview"}
    assert len(mapped.data[0].embedding) == 2
    assert from_bytes.data[0].embedding == embedding_vector("raw", 3)
    assert from_file.data[0].embedding == embedding_vector("file", 8)


async def test_image_embeddings_route_and_body(api: ModuleType, emulator: Emulator) -> None:
    images = client(api, "ImageEmbeddingsClient", emulator.endpoint, model_extras={"x": 1}, dimensions=2)
    result = await resolve(
        images.embed(
            input=[ImageEmbeddingInput(image=IMAGE_A, text="t"), ImageEmbeddingInput(image=IMAGE_B)],
            encoding_format="int8",
            input_type=EmbeddingInputType.TEXT,
            model="im",
        )
    )
    await resolve(images.embed(input=[{"image": IMAGE_A}]))
    await resolve(images.close())
    first, second = emulator.requests
    assert (first.method, first.path) == ("POST", "/images/embeddings")
    assert first.body == (
        b'{"input": [{"image": "data:image/png;base64,AAAA", "text": "t"}, {"image": "data:image/png;base64,BBBB"}], '
        b'"dimensions": 2, "encoding_format": "int8", "input_type": "text", "model": "im", "x": 1}'
    )
    assert first.headers["extra-parameters"] == "pass-through"
    assert second.body == b'{"input": [{"image": "data:image/png;base64,AAAA"}], "dimensions": 2, "x": 1}'
    assert type(result) is EmbeddingsResult and len(result.data) == 2 and result.model == "im"
    assert result.data[0].embedding == embedding_vector(f"{IMAGE_A}\nt", 2)


async def test_image_embeddings_body_mapping_sent_as_is(api: ModuleType, emulator: Emulator) -> None:
    images = client(api, "ImageEmbeddingsClient", emulator.endpoint, dimensions=2)
    await resolve(images.embed({"input": [{"image": IMAGE_B, "text": "x"}]}))
    await resolve(images.close())
    assert emulator.requests[0].path == "/images/embeddings"
    assert emulator.requests[0].body == b'{"input": [{"image": "data:image/png;base64,BBBB", "text": "x"}]}'


async def test_path_prefix_and_api_version(api: ModuleType, emulator: Emulator) -> None:
    embeddings = client(api, "EmbeddingsClient", emulator.url("/embed") + "/", api_version="2025-01-01")
    await resolve(embeddings.embed(input=["a"]))
    images = client(api, "ImageEmbeddingsClient", emulator.url("/image"))
    await resolve(images.embed(input=[{"image": IMAGE_A}]))
    await resolve(embeddings.close())
    await resolve(images.close())
    first, second = emulator.requests
    assert (first.path, first.raw_query) == ("/embed/embeddings", "api-version=2025-01-01")
    assert (second.path, second.raw_query) == ("/image/images/embeddings", "api-version=2024-05-01-preview")


async def test_get_model_info_and_str_of_embeddings_clients(api: ModuleType, emulator: Emulator) -> None:
    for prefix, name, model_type in (
        ("/embed", "EmbeddingsClient", ModelType.EMBEDDINGS),
        ("/image", "ImageEmbeddingsClient", ModelType.IMAGE_EMBEDDINGS),
    ):
        embeddings = client(api, name, emulator.url(prefix))
        before = str(embeddings)
        assert re.fullmatch(rf"<azure\.ai\.inference\.(aio\.)?_patch\.{name} object at 0x[0-9a-f]+>", before)
        info = await resolve(embeddings.get_model_info())
        again = await resolve(embeddings.get_model_info())
        await resolve(embeddings.close())
        assert type(info) is ModelInfo and info is again
        assert info.model_type is model_type and info.model_name == "emulated-model"
        assert info.model_provider_name == "Emulator"
        assert str(embeddings) == f"{before}\n{info}"
        assert repr(embeddings) == before
    info_requests = [r for r in emulator.requests if r.path.endswith("/info")]
    assert [(r.method, r.path) for r in info_requests] == [("GET", "/embed/info"), ("GET", "/image/info")]
    assert all("Content-Type" not in r.headers for r in info_requests)


async def test_context_manager_closes_the_client(api: ModuleType, emulator: Emulator) -> None:
    embeddings = client(api, "EmbeddingsClient", emulator.endpoint)
    if hasattr(embeddings, "__aenter__"):
        async with embeddings as entered:
            assert entered is embeddings
            result = await entered.embed(input=["a"])
    else:
        with embeddings as entered:
            assert entered is embeddings
            result = entered.embed(input=["a"])
    assert len(result.data) == 1
