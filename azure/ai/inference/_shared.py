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
    build_get_model_request,
    build_list_models_request,
)
from ._routes import OPENAI_V1, Route
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


def _json_object(response: Any, what: str) -> Dict[str, Any]:
    """The JSON object of a 200 response; say clearly what is wrong when it is not one."""
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
            f"where a {what} was expected; it starts {_body_preview(response)}",
            response=response,
        )
    if isinstance(data.get("error"), dict):  # a 200 that carries an error object is still an error
        raise HttpResponseError(response=response)
    return data


def deserialize(response: Any, cls: Type[_T]) -> _T:
    """Parse a 200 response body into ``cls``."""
    return cls._wrap(_json_object(response, cls.__name__))


# The OpenAI v1 API's model entries: Azure's carry ``capabilities`` flags, local servers' only ``id`` and ``owned_by``.
_CAPABILITY_TYPES = (("chat_completion", "chat_completion"), ("embeddings", "embeddings"))


def model_info_v1(response: Any, model: Optional[str]) -> _models.ModelInfo:
    """``ModelInfo`` from ``GET <v1>/models/<model>`` (one entry) or ``GET <v1>/models`` (a list).

    Only what the entry says: ``model_name`` is its ``id``, ``model_provider_name`` its ``owned_by``, and
    ``model_type`` the one of ``chat_completion`` and ``embeddings`` its ``capabilities`` say it has.
    """
    data = _json_object(response, "model entry")
    entries = data.get("data") if data.get("object") == "list" else [data]
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise HttpResponseError(message=f"The models list is not a list of entries: {_body_preview(response)}",
                                response=response)  # fmt: skip
    chosen = [e for e in entries if e.get("id") == model] or (entries if len(entries) == 1 else [])
    if not chosen:
        ids = [e.get("id") for e in entries]
        raise HttpResponseError(
            message=f"The endpoint serves {len(ids)} models {ids}"
            + (f", none of them {model!r}" if model else "; give the client one of them as `model`")
            + " (from GET /models).",
            response=response,
        )
    entry = chosen[0]
    info: Dict[str, Any] = {}
    if isinstance(entry.get("id"), str):
        info["model_name"] = entry["id"]
    if isinstance(entry.get("owned_by"), str):
        info["model_provider_name"] = entry["owned_by"]
    capabilities = entry.get("capabilities")
    if isinstance(capabilities, dict):
        types = [kind for flag, kind in _CAPABILITY_TYPES if capabilities.get(flag) is True]
        if len(types) == 1:
            info["model_type"] = types[0]
    return _models.ModelInfo._wrap(info)


MODEL_REQUIRED = (
    "{what} needs `model`, the name of a deployment, because {base} (Azure's OpenAI v1 API) requires it: pass "
    "`model=` to the client or the call. Nothing was sent."
)
V1_NOT_LISTED = (
    " Azure's OpenAI v1 API lists models under their model names, not deployments, so a deployment named otherwise"
    " than its model has no entry there."
)


class ModelInfoNeedsModel(HttpResponseError, ValueError):
    """``get_model_info()`` without ``model`` on Azure's OpenAI v1 API: nothing can be learned, nothing was sent.

    An ``HttpResponseError`` because that is what the frameworks catch around the lookup (llama-index's LLM reads
    it before every chat, through ``.metadata``; langchain-azure-ai and llama-index at construction) and then go on
    with the model they were given; a ``ValueError`` too, as every other request without ``model`` raises.
    """


LOAD_DIRECTLY = " Please construct one of the clients (e.g. `ChatCompletionsClient`) directly."
MODEL_INFO_NOT_FOUND = "Model information is not available on this endpoint (`/info` route not supported)."
LOAD_CLIENT_NOT_FOUND = (
    "`load_client` function does not work on this endpoint (`/info` route not supported). "
    "Please construct one of the clients (e.g. `ChatCompletionsClient`) directly."
)


def explain_not_found(exc: ResourceNotFoundError, message: str) -> None:
    """Say why the model information was not found, in ``message`` and first in ``str()``; once: load_client's
    explanation replaces the one get_model_info gave inside it."""
    text = exc.args[0] if exc.args else ""
    previous = getattr(exc, "_explanation", None)
    if previous and text.startswith(previous + "\n"):
        text = text[len(previous) + 1 :]
    exc.message = message
    exc.args = (f"{message}\n{text}",)
    exc._explanation = message  # type: ignore[attr-defined]


LOAD_CLIENT_NO_TYPE_V1 = (
    "`load_client` cannot tell which client serves this model: the endpoint's models list says {info} and no "
    "type. Please construct one of the clients (e.g. `ChatCompletionsClient` or `EmbeddingsClient`) directly."
)


def client_kind(info: _models.ModelInfo, route: Route) -> str:
    """Which client serves the model that /info (or the v1 models list) describes."""
    model_type = info.get("model_type")
    if not model_type:
        if route.kind == OPENAI_V1:
            raise ValueError(LOAD_CLIENT_NO_TYPE_V1.format(info=dict(info)))
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
        self._check_model(body, extras)
        v1 = self._route.kind == OPENAI_V1  # type: ignore[attr-defined]
        if v1 and "input_type" in body:
            _drop_input_type(body)
        if extras:
            body.update(extras)
            body = {k: v for k, v in body.items() if v is not None}
        return dumps_body(body, extras), ("pass-through" if extras and not v1 else None)

    def _check_model(self, body: Mapping[str, Any], extras: Optional[Mapping[str, Any]] = None) -> None:
        """Refuse, before sending, a request without ``model`` to Azure's OpenAI v1 API, which requires one."""
        route = self._route  # type: ignore[attr-defined]
        if route.requires_model and not body.get("model") and not (extras or {}).get("model"):
            raise ValueError(MODEL_REQUIRED.format(base=route.base, what="This request"))

    def _info_request(self, kwargs: Dict[str, Any]) -> HttpRequest:
        """The request of ``get_model_info()``: ``/info``, or on the OpenAI v1 API the models list."""
        route = self._route  # type: ignore[attr-defined]
        options = {"api_version": route.api_version, "headers": kwargs.pop("headers", None),
                   "params": kwargs.pop("params", None)}  # fmt: skip
        if route.kind != OPENAI_V1:
            return build_get_model_info_request(**options)
        model = self._defaults.get("model")
        if route.requires_model:
            if not model:
                raise ModelInfoNeedsModel(MODEL_REQUIRED.format(base=route.base, what="`get_model_info()`"))
            return build_get_model_request(model, **options)  # Azure's entry of the deployment
        return build_list_models_request(**options)  # local servers: often one model, named as they like

    def _info_not_found(self, *, load: bool = False) -> str:
        """What a 404 to ``_info_request`` means, for ``get_model_info()`` or (``load``) ``load_client()``."""
        route = self._route  # type: ignore[attr-defined]
        if route.kind != OPENAI_V1:
            return LOAD_CLIENT_NOT_FOUND if load else MODEL_INFO_NOT_FOUND
        url = f"{route.base.rstrip('/')}/models"
        if route.requires_model:
            url += f"/{self._defaults['model']}"
        return (
            f"{'`load_client` cannot tell which client serves it' if load else 'No model information'}: GET {url} "
            f"answered 404.{V1_NOT_LISTED if route.requires_model else ''}{LOAD_DIRECTLY if load else ''}"
        )

    def _read_info(self, response: Any) -> _models.ModelInfo:
        """The ``ModelInfo`` in the answer to ``_info_request``."""
        route = self._route  # type: ignore[attr-defined]
        if route.kind != OPENAI_V1:
            return deserialize(response, _models.ModelInfo)
        return model_info_v1(response, self._defaults.get("model"))

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
            self._check_model(body)
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


def _drop_input_type(body: Dict[str, Any]) -> None:
    """Leave ``input_type`` out of a request to the OpenAI v1 API, which does not define it.

    Azure's v1 API answers 400 "Unrecognized request argument supplied" to a key it does not define (its
    ``AzureCreateEmbeddingRequest`` has ``model``, ``input``, ``encoding_format``, ``dimensions``, ``user``), and
    langchain-azure-ai sends ``input_type="text"`` on every call. ``text`` is the plain meaning, left out quietly;
    ``query`` or ``document`` change the embedding on models that know them, so leaving one out is logged, with
    how to send it anyway.
    """
    value = body.pop("input_type")
    value = str(getattr(value, "value", value))  # an EmbeddingInputType, or its string
    if value != "text":
        import logging  # only this rare case logs

        logging.getLogger(__name__).warning(
            "input_type=%r is not sent: the OpenAI v1 API does not define it. To send it to a model that "
            "accepts it, pass model_extras={'input_type': %r}.",
            value,
            value,
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
