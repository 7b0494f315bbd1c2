"""Hand-written public async clients and ``load_client``: only what awaits; the rest is in ``_shared``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, Any, Optional, Union

from azure.core.credentials import AzureKeyCredential
from azure.core.credentials_async import AsyncTokenCredential
from azure.core.exceptions import ResourceNotFoundError
from typing_extensions import Literal, overload

from .._operations import build_embeddings_embed_request, build_image_embeddings_embed_request
from .._shared import (
    _UNSET,
    CHAT,
    EMBEDDINGS,
    ChatMessages,
    ChatSettings,
    EmbeddingsSettings,
    EncodingFormat,
    ImageInput,
    InputType,
    ResponseFormat,
    ToolChoice,
    Tools,
    _Input,
    _Settings,
    client_kind,
    deserialize,
    explain_not_found,
    settings_of,
    traced,
)
from .._streaming import AsyncStreamingChatCompletions
from ..models import _models
from ..models._patch import ChatCompletions, EmbeddingsResult
from ._client import AsyncInferenceClientBase

Credential = Union[AzureKeyCredential, AsyncTokenCredential]
JSON = Mapping[str, Any]


class _AsyncClient(_Settings, AsyncInferenceClientBase):
    """The methods every async client has."""

    @traced
    async def get_model_info(self, **kwargs: Any) -> _models.ModelInfo:
        """Information about the model behind the endpoint; cached after the first success.

        From the /info route, or on the OpenAI v1 API from ``GET <v1>/models/<model>`` (Azure) or the one model of
        ``GET <v1>/models`` (local servers): there, only the fields the entry gives are set.

        :return: The model name, type and provider.
        :raises ~azure.core.exceptions.ResourceNotFoundError: The endpoint has no /info route (or no such model entry).
        """
        if self._model_info is None:
            request = self._info_request(kwargs)
            try:
                response = await self._run(request, **kwargs)
            except ResourceNotFoundError as exc:
                explain_not_found(exc, self._info_not_found())
                raise
            self._model_info = self._read_info(response)
        return self._model_info


class ChatCompletionsClient(ChatSettings, _AsyncClient):
    """Async client for chat completions, plain and streamed; the settings are those of the sync client."""

    @overload
    async def complete(
        self,
        *,
        messages: ChatMessages,
        stream: Optional[Literal[False]] = None,
        frequency_penalty: Optional[float] = None,
        presence_penalty: Optional[float] = None,
        temperature: Optional[float] = None,
        top_p: Optional[float] = None,
        max_tokens: Optional[int] = None,
        response_format: Optional[ResponseFormat] = None,
        stop: Optional[Sequence[str]] = None,
        tools: Optional[Tools] = None,
        tool_choice: Optional[ToolChoice] = None,
        seed: Optional[int] = None,
        model: Optional[str] = None,
        model_extras: Optional[Mapping[str, Any]] = None,
        **kwargs: Any,
    ) -> ChatCompletions: ...

    @overload
    async def complete(
        self,
        *,
        messages: ChatMessages,
        stream: Literal[True],
        frequency_penalty: Optional[float] = None,
        presence_penalty: Optional[float] = None,
        temperature: Optional[float] = None,
        top_p: Optional[float] = None,
        max_tokens: Optional[int] = None,
        response_format: Optional[ResponseFormat] = None,
        stop: Optional[Sequence[str]] = None,
        tools: Optional[Tools] = None,
        tool_choice: Optional[ToolChoice] = None,
        seed: Optional[int] = None,
        model: Optional[str] = None,
        model_extras: Optional[Mapping[str, Any]] = None,
        **kwargs: Any,
    ) -> AsyncStreamingChatCompletions: ...

    @overload
    async def complete(
        self,
        *,
        messages: ChatMessages,
        stream: Optional[bool] = None,
        frequency_penalty: Optional[float] = None,
        presence_penalty: Optional[float] = None,
        temperature: Optional[float] = None,
        top_p: Optional[float] = None,
        max_tokens: Optional[int] = None,
        response_format: Optional[ResponseFormat] = None,
        stop: Optional[Sequence[str]] = None,
        tools: Optional[Tools] = None,
        tool_choice: Optional[ToolChoice] = None,
        seed: Optional[int] = None,
        model: Optional[str] = None,
        model_extras: Optional[Mapping[str, Any]] = None,
        **kwargs: Any,
    ) -> Union[ChatCompletions, AsyncStreamingChatCompletions]: ...

    @overload
    async def complete(
        self, body: JSON, *, content_type: str = "application/json", **kwargs: Any
    ) -> Union[ChatCompletions, AsyncStreamingChatCompletions]: ...

    @overload
    async def complete(
        self, body: Union[IO[bytes], bytes], *, content_type: str = "application/json", **kwargs: Any
    ) -> Union[ChatCompletions, AsyncStreamingChatCompletions]: ...

    async def complete(
        self,
        body: Union[JSON, IO[bytes], bytes] = _UNSET,
        *,
        messages: ChatMessages = _UNSET,
        stream: Optional[bool] = None,
        frequency_penalty: Optional[float] = None,
        presence_penalty: Optional[float] = None,
        temperature: Optional[float] = None,
        top_p: Optional[float] = None,
        max_tokens: Optional[int] = None,
        response_format: Optional[ResponseFormat] = None,
        stop: Optional[Sequence[str]] = None,
        tools: Optional[Tools] = None,
        tool_choice: Optional[ToolChoice] = None,
        seed: Optional[int] = None,
        model: Optional[str] = None,
        model_extras: Optional[Mapping[str, Any]] = None,
        **kwargs: Any,
    ) -> Union[ChatCompletions, AsyncStreamingChatCompletions]:
        """Get a chat completion, or stream it with ``stream=True``; as the sync ``complete()``.

        :return: A ``ChatCompletions``, or an ``AsyncStreamingChatCompletions`` to ``async for`` over when streaming.
        :raises ~azure.core.exceptions.HttpResponseError: The service answered with an error.
        """
        request, streaming = self._chat_request(
            body, messages, settings_of(locals(), self._options), model_extras, kwargs
        )
        response = await self._run(request, stream=streaming, **kwargs)
        if streaming:
            return AsyncStreamingChatCompletions(response)
        return deserialize(response, ChatCompletions)


class _AsyncEmbeddingsClient(EmbeddingsSettings[_Input], _AsyncClient):
    """Text or image embeddings, async."""

    _builder: Any

    @traced
    async def embed(
        self,
        body: Union[JSON, IO[bytes], bytes] = _UNSET,
        *,
        input: Sequence[_Input] = _UNSET,
        dimensions: Optional[int] = None,
        encoding_format: Optional[EncodingFormat] = None,
        input_type: Optional[InputType] = None,
        model: Optional[str] = None,
        model_extras: Optional[Mapping[str, Any]] = None,
        **kwargs: Any,
    ) -> EmbeddingsResult:
        """Embed the inputs; as the sync ``embed()``.

        :return: One embedding per input.
        :raises ~azure.core.exceptions.HttpResponseError: The service answered with an error.
        """
        request = self._embed_request(
            self._builder, body, input, settings_of(locals(), self._options), model_extras, kwargs
        )
        return deserialize(await self._run(request, **kwargs), EmbeddingsResult)


class EmbeddingsClient(_AsyncEmbeddingsClient[str]):
    """Async client for text embeddings."""

    _builder = staticmethod(build_embeddings_embed_request)


class ImageEmbeddingsClient(_AsyncEmbeddingsClient[ImageInput]):
    """Async client for image embeddings."""

    _images = True

    _builder = staticmethod(build_image_embeddings_embed_request)


async def load_client(
    endpoint: str, credential: Credential, **kwargs: Any
) -> Union[ChatCompletionsClient, EmbeddingsClient, ImageEmbeddingsClient]:
    """The async client for the model behind ``endpoint``, chosen as the sync ``load_client`` chooses."""
    async with ChatCompletionsClient(endpoint, credential, **kwargs) as probe:
        try:
            info = await probe.get_model_info()
        except ResourceNotFoundError as exc:
            explain_not_found(exc, probe._info_not_found(load=True))
            raise
    kind = client_kind(info, probe._route)
    cls = ChatCompletionsClient if kind == CHAT else EmbeddingsClient if kind == EMBEDDINGS else ImageEmbeddingsClient
    client = cls(endpoint, credential, **kwargs)
    client._model_info = info
    return client


__all__ = ["ChatCompletionsClient", "EmbeddingsClient", "ImageEmbeddingsClient", "load_client"]
