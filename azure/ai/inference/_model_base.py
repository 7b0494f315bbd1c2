# Generated-style layer: mirrors the TypeSpec definitions named in tsp-location.yaml.
# Customizations belong in the _patch.py files.
"""The model base: a mutable mapping over the JSON of a request or response.

A model keeps the JSON it was built from (``_data``). Fields are descriptors that read the JSON on
access; a value that needs converting is converted once, on first access (by attribute or by key), and
cached in the instance ``__dict__``, where later attribute reads find it without calling the descriptor
again. Nested models and lists of models also replace their JSON in ``_data``, so that ``m["choices"]``,
``m.get("usage")`` and ``m.choices`` are one object and writes through either show in both; timestamps
and enums stay JSON in ``_data`` (``m["created"]`` is the unix time, as in 1.0.0b9). Nothing is
deserialized that is not read, which keeps parsing a response or a streamed update close to
``json.loads``. A value the caller puts in a model, by keyword or by key, is kept as given: only JSON
from the wire or from a mapping of raw JSON is converted.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import ItemsView, Iterator, KeysView, Mapping, MutableMapping, Sequence, ValuesView
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional, TypeVar

_M = TypeVar("_M", bound="Model")
Converter = Callable[[Any], Any]
_MODELS_OF: dict[Converter, tuple[type[Model], bool, Converter]] = {}
"""The converters that make models: their model class, whether they make a list of them, and the converter of one
item (filled at class definition, so it stays small)."""


class _Field:
    """Descriptor for one JSON field whose value is a scalar; the attribute name equals the JSON name."""

    __slots__ = ("convert", "name")

    def __init__(self, convert: Optional[Converter]) -> None:
        self.name = ""
        self.convert = convert

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Optional[Model], owner: type) -> Any:
        if obj is None:
            return self
        value = obj._data.get(self.name)
        if value is None or self.convert is None:
            return value
        value = self.convert(value)
        obj.__dict__[self.name] = value  # cache: later reads bypass this (non-data) descriptor
        return value


class _ModelField(_Field):
    """Descriptor for a field holding a model or a list of models: the converted value replaces its JSON."""

    __slots__ = ("item", "many", "model")

    def __init__(self, convert: Converter) -> None:
        super().__init__(convert)
        self.model: Optional[type[Model]]
        self.model, self.many, self.item = _MODELS_OF.get(convert, (None, False, convert))

    def __get__(self, obj: Optional[Model], owner: type) -> Any:
        if obj is None:
            return self
        data = obj._data
        value = data.get(self.name)
        if value is None:
            return value
        cls = self.model and self.model._customized
        if cls is None or cls._discriminator is not None:
            value = self.convert(value)  # type: ignore[misc]  # never None here
        # Parsed JSON wrapped here, without a call per object: this runs for every nested object read.
        elif not self.many and type(value) is dict:
            model = _new(cls)
            _set_data(model, value)
            value = model
        elif self.many and type(value) is list:
            items, value = value, []
            for item in items:
                if type(item) is dict:
                    model = _new(cls)
                    _set_data(model, item)
                else:
                    model = self.item(item)
                value.append(model)
        else:
            value = self.convert(value)  # type: ignore[misc]
        obj.__dict__[self.name] = data[self.name] = value  # one object for attribute and key
        return value

    def given(self, value: Any) -> Any:
        """What a value the caller sets by keyword or attribute becomes: JSON objects become models (as in 1.0.0b9),
        anything else (a model, a mock, a list of them) is kept as given."""
        if self.model is None:
            return value
        if self.many:
            return [self.given_one(v) for v in value] if isinstance(value, (list, tuple)) else value
        return self.given_one(value)

    def given_one(self, value: Any) -> Any:
        if isinstance(value, Mapping) and not isinstance(value, Model):
            return self.model._wrap(dict(value))  # type: ignore[union-attr]
        return value


def rest_field(convert: Optional[Converter] = None, *, models: bool = False) -> Any:
    """A field whose JSON value is returned as is, or passed through ``convert`` on first read.

    A converter that makes models (``nested``, ``list_of(nested(...))``, or any with ``models=True``) gives a
    field whose converted value then stands for its JSON in the mapping too.
    """
    if convert is not None and (models or convert in _MODELS_OF):
        return _ModelField(convert)
    return _Field(convert)


def list_of(convert: Converter) -> Converter:
    """Convert every item of a JSON list."""

    def convert_list(items: Any) -> Any:
        if not isinstance(items, (list, tuple)):
            raise TypeError(f"expected a JSON array, the JSON has {_shown(items)}")
        return [convert(item) for item in items]

    if convert in _MODELS_OF:
        _MODELS_OF[convert_list] = (_MODELS_OF[convert][0], True, convert)
    return convert_list


def nested(cls: type[Model]) -> Converter:
    """Wrap a JSON object in ``cls`` (or its subtype); a model set by the caller is kept."""

    def convert(value: Any) -> Any:
        if isinstance(value, Model):
            return value
        if not isinstance(value, Mapping):
            raise TypeError(f"{cls.__name__} is a JSON object, the JSON has {_shown(value)}")
        return cls._wrap(value)  # type: ignore[arg-type]  # a Mapping is read like a dict

    _MODELS_OF[convert] = (cls, False, convert)
    return convert


def _shown(value: Any) -> str:
    """A JSON value of the wrong type, for an error message."""
    return f"{type(value).__name__} {repr(value)[:80]}"


def enum_value(enum: type[Enum]) -> Converter:
    """Return the enum member for a known value and the plain string for any other (open enums)."""
    members = enum._value2member_map_
    return lambda value: members.get(value, value)


def unix_time(value: Any) -> Any:
    """Unix seconds to an aware UTC datetime."""
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)


if TYPE_CHECKING:
    _MappingBase = MutableMapping[str, Any]
else:  # registered as a MutableMapping below: inheriting from it would make each model class an ABCMeta class,
    _MappingBase = object  # which costs a third of the time to create the model classes at import


class Model(_MappingBase):
    """Base of every model: a mutable mapping over its JSON, with typed attribute access.

    Construct with keywords (``Model(name=...)``) or from one mapping of raw JSON (``Model({...})``).
    Keys the model does not name are kept and serialized back unchanged.
    """

    _fields: ClassVar[frozenset[str]] = frozenset()
    _model_fields: ClassVar[dict[str, _ModelField]] = {}
    """The fields holding models or lists of models, by name."""
    _defaults: ClassVar[dict[str, Any]] = {}
    """Constant fields written first (discriminators: ``role``, content item ``type``)."""
    _trailing: ClassVar[dict[str, Any]] = {}
    """Constant fields written last unless given (``type: "function"`` of tools and tool calls)."""
    _customized: ClassVar[type[Model]]
    """The class that wraps JSON of this class: itself, or its _patch.py customization."""
    _discriminator: ClassVar[Optional[str]] = None
    _subtypes: ClassVar[dict[str, type[Model]]] = {}

    __slots__ = ("__dict__", "_data")
    _data: dict[str, Any]

    def __init_subclass__(cls, discriminator: Optional[str] = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = {k: v for k, v in vars(cls).items() if isinstance(v, _Field)}
        if fields:
            cls._fields = cls._fields.union(fields)
            cls._model_fields = {**cls._model_fields, **{k: v for k, v in fields.items() if isinstance(v, _ModelField)}}
        cls._customized = cls
        for base in cls.__bases__:  # a _patch.py subclass of the same name is what responses are wrapped in
            if base.__name__ == cls.__name__ and issubclass(base, Model):
                base._customized = cls
        if discriminator is not None:  # a discriminated base: its subtypes register below
            cls._discriminator = discriminator
            cls._subtypes = {}
            setattr(cls, "__new__", staticmethod(_new_of_subtype))  # noqa: B010  # hidden from type checkers
        elif cls._discriminator is not None and cls._discriminator in cls._defaults:
            # A later subclass of the same value (a _patch.py customization) replaces the earlier one.
            cls._subtypes[cls._defaults[cls._discriminator]] = cls

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not kwargs and len(args) == 1 and type(args[0]) is dict and not self._defaults and not self._trailing:
            _set_data(self, args[0].copy())  # one dict of JSON: the common case, kept short
            return
        data = dict(self._defaults)
        if args:
            if len(args) > 1 or not isinstance(args[0], Mapping):
                raise TypeError(
                    f"{type(self).__name__}() takes keyword arguments or one mapping of JSON, "
                    f"got {', '.join(type(a).__name__ for a in args)}"
                )
            data.update(args[0])
        for key, value in kwargs.items():
            if key not in self._fields:
                raise TypeError(f"{type(self).__name__}.__init__() got an unexpected keyword argument '{key}'")
            if value is not None:
                if key in self._model_fields:
                    value = self.__dict__[key] = self._model_fields[key].given(value)
                elif isinstance(value, datetime.datetime):
                    value = int(value.timestamp())
                data[key] = value
        for key, value in self._trailing.items():
            data.setdefault(key, value)
        object.__setattr__(self, "_data", data)

    @classmethod
    def _wrap(cls: type[_M], data: dict[str, Any]) -> _M:
        """Wrap parsed JSON without copying it: the fast path for responses and streamed updates."""
        cls = cls._customized  # type: ignore[assignment]
        if cls._discriminator is not None:
            cls = cls._subtypes.get(data.get(cls._discriminator), cls)  # type: ignore[arg-type,assignment]
        obj = object.__new__(cls)
        _set_data(obj, data)
        return obj

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._model_fields:
            self[name] = self._model_fields[name].given(value)
        elif name in self._fields:
            self[name] = int(value.timestamp()) if isinstance(value, datetime.datetime) else value
        else:
            object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if name in self._fields:
            self.__dict__.pop(name, None)
            self._data.pop(name, None)
        else:
            object.__delattr__(self, name)

    def __getitem__(self, key: str) -> Any:
        value = self._data[key]
        if key in self._model_fields and value is not None and key not in self.__dict__:
            return getattr(self, key)  # JSON not read yet: convert it, as the attribute would
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        if value is None and key in self._fields:
            self.__dict__.pop(key, None)
            self._data.pop(key, None)
            return
        if key in self._model_fields:  # the caller's value, kept as given (a mock, a dict, a model)
            self.__dict__[key] = value
        else:
            self.__dict__.pop(key, None)
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        self.__dict__.pop(key, None)
        del self._data[key]

    def keys(self) -> KeysView[str]:
        """The keys, as a view of the JSON's dict (1.0.0b9's type)."""
        return self._data.keys()

    def values(self) -> ValuesView[Any]:
        """The values, as a view of the JSON's dict (1.0.0b9's type), models where the attributes give models."""
        return self._read_models().values()

    def items(self) -> ItemsView[str, Any]:
        """The items, as a view of the JSON's dict (1.0.0b9's type), models where the attributes give models."""
        return self._read_models().items()

    def _read_models(self) -> dict[str, Any]:
        """The JSON, with every model field present converted, as a read by key converts it."""
        data = self._data
        for name in self._model_fields:
            if data.get(name) is not None and name not in self.__dict__:
                getattr(self, name)  # replaces its JSON in ``data``
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Model):
            return self.as_dict() == other.as_dict()
        if isinstance(other, Mapping):
            return bool(self.as_dict() == to_json(other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return repr(self.as_dict())

    def popitem(self) -> tuple[str, Any]:
        """Remove and return the last item, as ``dict`` and 1.0.0b9 do (``MutableMapping``'s takes the first)."""
        if not self._data:
            raise KeyError("popitem(): dictionary is empty")
        key = next(reversed(self._data))
        return key, self.pop(key)

    def copy(self: _M) -> _M:
        """A shallow copy."""
        new = object.__new__(type(self))
        _set_data(new, dict(self._data))
        new.__dict__.update(self.__dict__)
        return new

    def as_dict(self, *, exclude_readonly: bool = False) -> dict[str, Any]:
        """The JSON of this model as plain dicts and lists (``exclude_readonly`` is accepted and ignored)."""
        result: dict[str, Any] = to_json(self._data)
        return result


def _new_of_subtype(cls: type[_M], *args: Any, **kwargs: Any) -> _M:
    """``__new__`` of a discriminated base: ``Base({...})`` builds the subtype the discriminator names."""
    if args and isinstance(args[0], Mapping) and "_subtypes" in cls.__dict__:
        cls = cls._subtypes.get(args[0].get(cls._discriminator), cls)  # type: ignore[arg-type,assignment]
    return object.__new__(cls)


# What inheriting from MutableMapping gives: its mixin methods, and isinstance() and issubclass() of the ABCs.
for _name in ("get", "__reversed__"):
    setattr(Model, _name, vars(Mapping)[_name])
for _name in ("pop", "clear", "update", "setdefault", "_MutableMapping__marker"):
    setattr(Model, _name, vars(MutableMapping)[_name])
MutableMapping.register(Model)

_set_data = Model.__dict__["_data"].__set__  # the slot's own setter: faster than object.__setattr__
_new = object.__new__


def _json_default(value: Any) -> Any:
    """Serialize what ``json`` does not know: models, datetimes, bytes, sequences other than lists and tuples."""
    if isinstance(value, Model):
        return value._data
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, datetime.datetime):
        return int(value.timestamp())
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Sequence):  # str, bytes, list and tuple never get here
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def to_json(value: Any) -> Any:
    """Deep copy of ``value`` with every model turned into plain dicts and lists."""
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in (value._data if isinstance(value, Model) else value).items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime.datetime, bytes, bytearray)):
        return _json_default(value)
    return value


_ENCODER = json.JSONEncoder(default=_json_default)


def dumps(value: Any) -> str:
    """``json.dumps`` that also writes models (one encoder, not one per call)."""
    return _ENCODER.encode(value)


_scan_once = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # the C scanner json.loads ends in


def loads(text: str) -> Any:
    """``json.loads`` of a str, without the cost of its Python wrappers when nothing surrounds the value."""
    try:
        value, end = _scan_once(text, 0)
    except (StopIteration, ValueError):
        return json.loads(text)  # leading whitespace parses there; anything else raises json's own error
    return value if end == len(text) else json.loads(text)
