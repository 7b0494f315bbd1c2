"""Hand-written public sync clients and ``load_client``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, Any, Optional, Union

from azure.core.credentials import AzureKeyCredential, TokenCredential
from azure.core.exceptions import ResourceNotFoundError
from typing_extensions import Literal, overload

from ._client import InferenceClientBase
from ._operations import (
    build_embeddings_embed_request,
    build_image_embeddings_embed_request,
)
from ._shared import (
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
from ._streaming import StreamingChatCompletions
from .models import _models
from .models._patch import ChatCompletions, EmbeddingsResult

Credential = Union[AzureKeyCredential, TokenCredential]
JSON = Mapping[str, Any]


class _Client(_Settings, InferenceClientBase):
    """The methods every sync client has."""

    @traced
    def get_model_info(self, **kwargs: Any) -> _models.ModelInfo:
        """Information about the model behind the endpoint; cached after the first success.

        From the /info route, or on the OpenAI v1 API from ``GET <v1>/models/<model>`` (Azure) or the one model of
        ``GET <v1>/models`` (local servers): there, only the fields the entry gives are set.

        :keyword error_map: Exception classes by HTTP status code, to raise instead of azure-core's.
        :return: The model name, type and provider.
        :raises ~azure.core.exceptions.ResourceNotFoundError: The endpoint has no /info route (or no such model entry).
        """
        if self._model_info is None:
            request = self._info_request(kwargs)
            try:
                response = self._run(request, **kwargs)
            except ResourceNotFoundError as exc:
                explain_not_found(exc, self._info_not_found())
                raise
            self._model_info = self._read_info(response)
        return self._model_info


class ChatCompletionsClient(ChatSettings, _Client):
    """Client for chat completions, plain and streamed.

    :param endpoint: The endpoint, for example ``https://<resource>.services.ai.azure.com/models``.
    :param credential: An ``AzureKeyCredential`` or an Entra ID token credential.
    :keyword frequency_penalty: Default for every call, as are the settings below; ``complete()`` overrides each.
    :keyword presence_penalty: Penalty for tokens already present, -2 to 2.
    :keyword temperature: Sampling temperature.
    :keyword top_p: Nucleus sampling mass.
    :keyword max_tokens: Most tokens to generate.
    :keyword response_format: ``"text"``, ``"json_object"`` or a ``JsonSchemaFormat``.
    :keyword stop: Sequences that end generation.
    :keyword tools: Tools the model may call.
    :keyword tool_choice: ``"auto"``, ``"none"``, ``"required"`` or a ``ChatCompletionsNamedToolChoice``.
    :keyword seed: Seed for deterministic sampling.
    :keyword model: Model name, for endpoints that serve several.
    :keyword model_extras: Extra keys for the root of the request body; sent with ``extra-parameters: pass-through``.
    :keyword api_version: The ``api-version`` query parameter; ``""`` leaves it out.
    :keyword credential_scopes: Entra ID scopes; by default chosen from the endpoint host.
    """

    @overload
    def complete(
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
    def complete(
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
    ) -> StreamingChatCompletions: ...

    @overload
    def complete(
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
    ) -> Union[ChatCompletions, StreamingChatCompletions]: ...

    @overload
    def complete(
        self, body: JSON, *, content_type: str = "application/json", **kwargs: Any
    ) -> Union[ChatCompletions, StreamingChatCompletions]: ...

    @overload
    def complete(
        self, body: Union[IO[bytes], bytes], *, content_type: str = "application/json", **kwargs: Any
    ) -> Union[ChatCompletions, StreamingChatCompletions]: ...

    def complete(
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
    ) -> Union[ChatCompletions, StreamingChatCompletions]:
        """Get a chat completion, or stream it with ``stream=True``.

        Each setting left ``None`` takes the client's default. The settings are those of the constructor.

        :param body: A whole request body (a JSON mapping, or bytes or a binary file), sent instead of the settings.
        :keyword messages: The conversation so far.
        :keyword stream: Whether to stream the completion as it is generated.
        :keyword content_type: The Content-Type of the request, ``application/json`` by default.
        :keyword error_map: Exception classes by HTTP status code, to raise instead of azure-core's.
        :return: A ``ChatCompletions``, or a ``StreamingChatCompletions`` to iterate when streaming.
        :raises ~azure.core.exceptions.HttpResponseError: The service answered with an error.
        """
        request, streaming = self._chat_request(
            body, messages, settings_of(locals(), self._options), model_extras, kwargs
        )
        response = self._run(request, stream=streaming, **kwargs)
        if streaming:
            return StreamingChatCompletions(response)
        return deserialize(response, ChatCompletions)


class _EmbeddingsClient(EmbeddingsSettings[_Input], _Client):
    """Text or image embeddings."""

    _builder: Any

    @traced
    def embed(
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
        """Embed the inputs; each setting left ``None`` takes the client's default.

        :param body: A whole request body (a JSON mapping, or bytes or a binary file), sent instead of the settings.
        :keyword input: The texts (``EmbeddingsClient``) or ``ImageEmbeddingInput`` items to embed.
        :keyword content_type: The Content-Type of the request, ``application/json`` by default.
        :keyword error_map: Exception classes by HTTP status code, to raise instead of azure-core's.
        :return: One embedding per input.
        :raises ~azure.core.exceptions.HttpResponseError: The service answered with an error.
        """
        request = self._embed_request(
            self._builder, body, input, settings_of(locals(), self._options), model_extras, kwargs
        )
        return deserialize(self._run(request, **kwargs), EmbeddingsResult)


class EmbeddingsClient(_EmbeddingsClient[str]):
    """Client for text embeddings: ``embed(input=["text", ...])``."""

    _builder = staticmethod(build_embeddings_embed_request)


class ImageEmbeddingsClient(_EmbeddingsClient[ImageInput]):
    """Client for image embeddings: ``embed(input=[ImageEmbeddingInput(...)])``."""

    _images = True

    _builder = staticmethod(build_image_embeddings_embed_request)


def load_client(
    endpoint: str, credential: Credential, **kwargs: Any
) -> Union[ChatCompletionsClient, EmbeddingsClient, ImageEmbeddingsClient]:
    """The client for the model behind ``endpoint``, chosen by its /info route or its OpenAI v1 models entry
    (whose answer it keeps).

    :param endpoint: The endpoint.
    :param credential: An ``AzureKeyCredential`` or an Entra ID token credential.
    :return: A ``ChatCompletionsClient``, ``EmbeddingsClient`` or ``ImageEmbeddingsClient``.
        Keywords go to its constructor.
    :raises ~azure.core.exceptions.ResourceNotFoundError: The endpoint has no /info route.
    :raises ValueError: The service names a model type no client serves, or (a local server's models list) none.
    """
    with ChatCompletionsClient(endpoint, credential, **kwargs) as probe:
        try:
            info = probe.get_model_info()
        except ResourceNotFoundError as exc:
            explain_not_found(exc, probe._info_not_found(load=True))
            raise
    kind = client_kind(info, probe._route)
    cls = ChatCompletionsClient if kind == CHAT else EmbeddingsClient if kind == EMBEDDINGS else ImageEmbeddingsClient
    client = cls(endpoint, credential, **kwargs)
    client._model_info = info
    return client


__all__ = ["ChatCompletionsClient", "EmbeddingsClient", "ImageEmbeddingsClient", "load_client"]
