"""Hand-written, I/O-free logic shared by the sync and async clients.

Everything that decides what is sent and how a response becomes a result lives here once; the
sync and async clients only add the calls that do I/O.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Mapping, Sequence
from typing import IO, Any, Callable, Dict, Generic, Optional, Protocol, Tuple, Type, TypeVar, Union

from azure.core.exceptions import (
    DecodeError,
    HttpResponseError,
    ResourceNotFoundError,
)
from azure.core.rest import HttpRequest
from typing_extensions import Literal

from ._configuration import Credential
from ._model_base import Model
from ._operations import (
    CHAT_COMPLETIONS_OPTIONS,
    EMBEDDINGS_OPTIONS,
    build_chat_completions_complete_request,
    build_get_model_info_request,
)
from ._validate import check_messages, check_options, check_settings, dumps_body
from .models import _enums, _models
from .models._patch import ImageEmbeddingInput

_T = TypeVar("_T", bound=Model)
_F = TypeVar("_F", bound=Callable[..., Any])

_UNSET: Any = object()
"""Sentinel of an argument that was not given (``None`` can be a value)."""

# Spellings of ``model_type`` that /info answers in the wild, mapped to the client that serves them.
CHAT, EMBEDDINGS, IMAGE_EMBEDDINGS = "chat", "embeddings", "image_embeddings"
_CLIENT_KINDS = {
    **dict.fromkeys(("chat_completion", "chat", "completion", "chat-completion", "chat-completions"), CHAT),
    **dict.fromkeys(("chat_completions",), CHAT),
    **dict.fromkeys(("embeddings", "embedding", "text_embedding", "text-embedding", "text-embeddings"), EMBEDDINGS),
    **dict.fromkeys(("text_embeddings",), EMBEDDINGS),
    **dict.fromkeys(("image_embeddings", "image-embedding", "image-embeddings", "image_embedding"), IMAGE_EMBEDDINGS),
}


def _body_preview(response: Any) -> str:
    try:
        body: bytes = response.content
    except Exception:
        return "(body not read)"
    return repr(body[:200]) + (" ..." if len(body) > 200 else "")


def deserialize(response: Any, cls: Type[_T]) -> _T:
    """Parse a 200 response body into ``cls``; say clearly what is wrong when it is not a JSON object."""
    body = response.content  # not body(): on a generic AsyncHttpResponse it calls the async read()
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise DecodeError(
            message=f"The service answered HTTP {response.status_code} with a body that is not valid JSON "
            f"(Content-Type: {response.headers.get('Content-Type')!r}); it starts {_body_preview(response)}",
            response=response,
            error=exc,
        ) from exc
    if not isinstance(data, dict):
        raise DecodeError(
            message=f"The service answered HTTP {response.status_code} with JSON that is not an object "
            f"(a {type(data).__name__}, Content-Type: {response.headers.get('Content-Type')!r}), "
            f"where a {cls.__name__} was expected; it starts {_body_preview(response)}",
            response=response,
        )
    if isinstance(data.get("error"), dict):  # a 200 that carries an error object is still an error
        raise HttpResponseError(response=response)
    return cls._wrap(data)


MODEL_INFO_NOT_FOUND = "Model information is not available on this endpoint (`/info` route not supported)."
LOAD_CLIENT_NOT_FOUND = (
    "`load_client` function does not work on this endpoint (`/info` route not supported). "
    "Please construct one of the clients (e.g. `ChatCompletionsClient`) directly."
)


def explain_not_found(exc: ResourceNotFoundError, message: str) -> None:
    """Say that the endpoint has no /info route, in ``message`` and first in ``str()``; once: load_client's
    explanation replaces the one get_model_info gave inside it."""
    text = exc.args[0] if exc.args else ""
    if text.startswith(MODEL_INFO_NOT_FOUND + "\n"):
        text = text[len(MODEL_INFO_NOT_FOUND) + 1 :]
    exc.message = message
    exc.args = (f"{message}\n{text}",)


def client_kind(info: _models.ModelInfo) -> str:
    """Which client serves the model that /info describes."""
    model_type = info.get("model_type")
    if not model_type:
        raise ValueError(
            "The AI model information is missing a value for `model type`. Cannot create an appropriate client."
        )
    kind = _CLIENT_KINDS.get(str(model_type).lower())
    if kind is None:
        raise ValueError(f"No client available to support AI model type `{model_type}`")
    return kind


def response_format_json(value: Any) -> Any:
    """The JSON of a ``response_format``: ``"text"``, ``"json_object"``, a schema, a pydantic class, a mapping."""
    if isinstance(value, Mapping) and isinstance(value.get("type"), Mapping):
        value = value["type"]  # the documentation's {"type": ChatCompletionsResponseFormatText()} means that format
    if isinstance(value, type) and hasattr(value, "model_json_schema"):  # a pydantic model class
        from ._tools import strict_schema  # only tool and pydantic helpers need it: not at import time

        schema = strict_schema(value.model_json_schema())
        value = _models.JsonSchemaFormat(name=value.__name__, schema=schema, strict=True)
    if isinstance(value, _models.JsonSchemaFormat):
        return {"type": "json_schema", "json_schema": value}
    if isinstance(value, Mapping):  # a format object, or OpenAI-style {"type": ..., ...}
        return value
    if isinstance(value, str) and value in ("text", "json_object"):
        return {"type": str(getattr(value, "value", value))}
    raise ValueError(f"Unsupported `response_format` {value}")


# Types of the parameters, as user code writes them: read-only sequences and mappings (a ``list[UserMessage]``
# is a ``Sequence[ChatRequestMessage]``), literals next to the enums of enum-valued settings.
ChatMessages = Sequence[Union[_models.ChatRequestMessage, Mapping[str, Any]]]
Tools = Sequence[Union[_models.ChatCompletionsToolDefinition, Mapping[str, Any]]]
ToolChoice = Union[
    Literal["auto", "none", "required"],
    _enums.ChatCompletionsToolChoicePreset,
    _models.ChatCompletionsNamedToolChoice,
    Mapping[str, Any],
]
EncodingFormat = Union[Literal["base64", "binary", "float", "int8", "ubinary", "uint8"], _enums.EmbeddingEncodingFormat]
InputType = Union[Literal["text", "query", "document"], _enums.EmbeddingInputType]
ImageInput = Union[ImageEmbeddingInput, Mapping[str, Any]]


class JsonSchemaModel(Protocol):
    """A class that describes its JSON schema, as pydantic models do."""

    @classmethod
    def model_json_schema(cls) -> Dict[str, Any]: ...


ResponseFormat = Union[
    Literal["text", "json_object"], _models.JsonSchemaFormat, Mapping[str, Any], Type[JsonSchemaModel]
]
_Input = TypeVar("_Input", str, ImageInput)
"""What ``embed(input=...)`` takes: texts, or images."""


def traced(method: _F) -> _F:
    """Mark a public method for azure-core's tracing decorator, which ``_Settings`` applies per public class."""
    method.__dict__["_traced"] = True
    return method


_signature = functools.lru_cache(maxsize=None)(inspect.signature)
"""``inspect.signature``, once per method (``get_model_info()`` is wrapped once per public client)."""


def _trace_lazily(method: Callable[..., Any], span: str) -> Callable[..., Any]:
    """``method`` in azure-core's ``distributed_trace`` (or ``distributed_trace_async``), with the span named ``span``.

    The decorator is applied on the first call: its module and ``contextvars`` load then, not with this package.
    ``__signature__`` keeps the method's parameters visible to ``inspect.getfullargspec`` as well.
    """
    applied: list[Callable[..., Any]] = []
    is_async = inspect.iscoroutinefunction(method)

    def decorated() -> Callable[..., Any]:
        if not applied:
            if is_async:
                from azure.core.tracing.decorator_async import distributed_trace_async

                applied.append(distributed_trace_async(name_of_span=span)(method))
            else:
                from azure.core.tracing.decorator import distributed_trace

                applied.append(distributed_trace(name_of_span=span)(method))
        return applied[0]

    if is_async:

        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            return await decorated()(*args, **kwargs)

    else:

        def wrapper(*args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
            return decorated()(*args, **kwargs)

    functools.update_wrapper(wrapper, method)
    wrapper.__signature__ = _signature(method)  # type: ignore[attr-defined]
    wrapper.__qualname__ = span
    return wrapper


class _Settings:
    """Constructor defaults of a client, merged per call with the arguments given."""

    _options: Tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Wrap the ``@traced`` methods of each public client in azure-core's tracing decorator.

        The span is named ``<public class>.<method>``, as it was when each client defined its own methods.
        """
        super().__init_subclass__(**kwargs)
        if cls.__name__.startswith("_") or not cls.__module__.startswith(__name__.rpartition(".")[0]):
            return
        names = {name for base in cls.__mro__ for name, value in vars(base).items() if hasattr(value, "_traced")}
        for name in names:
            setattr(cls, name, _trace_lazily(inspect.unwrap(getattr(cls, name)), f"{cls.__name__}.{name}"))

    def _set_defaults(self, settings: Dict[str, Any], model_extras: Optional[Mapping[str, Any]]) -> None:
        self._defaults = {k: v for k, v in settings.items() if k in self._options and v is not None}
        self._model_extras = model_extras
        self._model_info: Optional[_models.ModelInfo] = None

    def _body(self, settings: Dict[str, Any], model_extras: Optional[Mapping[str, Any]]) -> Tuple[str, Optional[str]]:
        """The JSON body in spec order, ``None`` values dropped, then the extras at the root."""
        defaults = self._defaults
        body = {}
        for name in self._options:
            value = settings.get(name)
            if value is None:
                value = defaults.get(name)
            if value is not None:
                body[name] = value
        if "response_format" in body:
            body["response_format"] = response_format_json(body["response_format"])
        extras = model_extras or self._model_extras
        check_settings(body, extras)
        if extras:
            body.update(extras)
            body = {k: v for k, v in body.items() if v is not None}
        return dumps_body(body, extras), ("pass-through" if extras else None)

    def _info_request(self, kwargs: Dict[str, Any]) -> HttpRequest:
        """The request of ``get_model_info()``."""
        return build_get_model_info_request(
            api_version=self._config.api_version,  # type: ignore[attr-defined]
            headers=kwargs.pop("headers", None),
            params=kwargs.pop("params", None),
        )

    def __str__(self) -> str:
        text = object.__repr__(self)
        return text if self._model_info is None else f"{text}\n{self._model_info}"

    def _request(
        self,
        builder: Any,
        body: Union[Mapping[str, Any], bytes, IO[bytes]],
        settings: Dict[str, Any],
        model_extras: Optional[Mapping[str, Any]],
        kwargs: Dict[str, Any],
    ) -> HttpRequest:
        """Build the request from either the settings or a whole ``body`` given by the caller.

        ``content_type=`` (1.0.0b9's keyword of the body forms) sets the Content-Type of every form.
        """
        extra_params = None
        if body is _UNSET:
            content, extra_params = self._body(settings, model_extras)
        elif isinstance(body, Mapping):
            content = dumps_body(body, whole=True)
        elif isinstance(body, (bytes, bytearray)) or hasattr(body, "read"):
            content = body  # type: ignore[assignment]
        else:
            raise TypeError(f"body must be a JSON mapping, bytes or a binary file, not {type(body).__name__}")
        return builder(  # type: ignore[no-any-return]
            api_version=self._config.api_version,  # type: ignore[attr-defined]
            content=content,
            extra_params=extra_params,
            headers=kwargs.pop("headers", None),
            params=kwargs.pop("params", None),
            content_type=kwargs.pop("content_type", None),
        )


def settings_of(call_locals: Dict[str, Any], options: Tuple[str, ...]) -> Dict[str, Any]:
    """The settings among a method's arguments (``locals()`` at its start)."""
    return {k: call_locals[k] for k in options if k in call_locals}


class ChatSettings(_Settings):
    """Chat completions settings; the constructor of the sync and async chat clients."""

    _options = CHAT_COMPLETIONS_OPTIONS

    def __init__(
        self,
        endpoint: str,
        credential: Credential,
        *,
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
    ) -> None:
        if response_format is not None:
            response_format = response_format_json(response_format)  # refuse a format that means nothing now
        self._set_defaults(settings_of(locals(), self._options), model_extras)
        super().__init__(endpoint, credential, **kwargs)  # type: ignore[call-arg]  # the pipeline-owning base

    def _chat_request(
        self, body: Any, messages: Any, settings: Dict[str, Any], model_extras: Any, kwargs: Dict[str, Any]
    ) -> Tuple[HttpRequest, bool]:
        """The request of ``complete()`` and whether its response streams."""
        if kwargs:
            check_options("complete", kwargs)
        if body is _UNSET:
            if messages is _UNSET or messages is None:
                raise TypeError("missing required argument: messages")
            check_messages(messages)
            settings["messages"] = messages
            stream = bool(settings.get("stream"))
        elif isinstance(body, Mapping):
            stream = bool(body.get("stream"))
        else:
            stream = bool(settings.get("stream"))
        return self._request(build_chat_completions_complete_request, body, settings, model_extras, kwargs), stream


class EmbeddingsSettings(_Settings, Generic[_Input]):
    """Embeddings and image embeddings settings; the constructor of the sync and async embeddings clients.

    ``_Input`` is what ``embed(input=...)`` takes: ``str`` for text embeddings, ``ImageInput`` for images.
    """

    _options = EMBEDDINGS_OPTIONS

    def __init__(
        self,
        endpoint: str,
        credential: Credential,
        *,
        dimensions: Optional[int] = None,
        encoding_format: Optional[EncodingFormat] = None,
        input_type: Optional[InputType] = None,
        model: Optional[str] = None,
        model_extras: Optional[Mapping[str, Any]] = None,
        **kwargs: Any,
    ) -> None:
        """Create the client.

        :param endpoint: The endpoint, for example ``https://<resource>.services.ai.azure.com/models``.
        :param credential: An ``AzureKeyCredential`` or an Entra ID token credential.
        :keyword dimensions: Default for every call, as are the settings below; ``embed()`` overrides each.
        :keyword encoding_format: ``float``, ``base64``, ``int8``... (``EmbeddingEncodingFormat``).
        :keyword input_type: ``text``, ``query`` or ``document`` (``EmbeddingInputType``).
        :keyword model: Model name, for endpoints that serve several.
        :keyword model_extras: Extra root keys of the request body, sent with ``extra-parameters: pass-through``.
        """
        self._set_defaults(settings_of(locals(), self._options), model_extras)
        super().__init__(endpoint, credential, **kwargs)  # type: ignore[call-arg]  # the pipeline-owning base

    def _embed_request(
        self, builder: Any, body: Any, input: Any, settings: Dict[str, Any], model_extras: Any, kwargs: Dict[str, Any]
    ) -> HttpRequest:
        """The request of ``embed()``."""
        if kwargs:
            check_options("embed", kwargs)
        if body is _UNSET:
            if input is _UNSET or input is None:
                raise TypeError("missing required argument: input")
            settings["input"] = input
        return self._request(builder, body, settings, model_extras, kwargs)
