"""Hand-written helpers for tool calling: JSON schemas from typed Python functions, and running tool calls."""

import enum
import inspect
import json
import re
import sys
import typing
from collections.abc import Mapping as AbcMapping
from collections.abc import Sequence as AbcSequence
from typing import Any, Callable, Dict, Iterable, List, Union

from ._model_base import dumps

_NONE = type(None)
_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}
_PARAM_DOC = re.compile(r"^\s*:param\s+(?:[^:]*\s)?(\w+):\s*(.+)$", re.MULTILINE)


def json_schema(hint: Any) -> Dict[str, Any]:
    """The JSON schema of a type hint: scalars, Optional, Literal, enums, lists, dicts, pydantic models."""
    if hint in _SCALARS:
        return {"type": _SCALARS[hint]}
    if hint is Any or hint is inspect.Parameter.empty:
        return {}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {"enum": [member.value for member in hint]}
    if isinstance(hint, type) and hasattr(hint, "model_json_schema"):  # a pydantic model
        schema: Dict[str, Any] = hint.model_json_schema()
        return schema
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin is Union or (sys.version_info >= (3, 10) and origin is getattr(__import__("types"), "UnionType", None)):
        options = [json_schema(arg) for arg in args if arg is not _NONE]
        return options[0] if len(options) == 1 else {"anyOf": options}
    if origin in (list, tuple, set, frozenset, AbcSequence) or hint in (list, tuple, set):
        return {"type": "array", "items": json_schema(args[0])} if args else {"type": "array"}
    if origin in (dict, AbcMapping) or hint is dict:
        return {"type": "object", "additionalProperties": json_schema(args[1])} if args else {"type": "object"}
    raise TypeError(f"Cannot describe the type {hint!r} as JSON schema; use str, int, float, bool, lists, dicts, ...")


def function_definition(function: Callable[..., Any]) -> Dict[str, Any]:
    """The ``function`` JSON of a tool: the function's name, its docstring, and its parameters' schema."""
    if not callable(function):
        raise TypeError(f"from_function() needs a function, not {type(function).__name__}")
    hints = typing.get_type_hints(function)
    doc = inspect.getdoc(function) or ""
    param_docs = dict(_PARAM_DOC.findall(doc))
    properties: Dict[str, Any] = {}
    required: List[str] = []
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        schema = json_schema(hints.get(name, parameter.annotation))
        if name in param_docs:
            schema = {**schema, "description": param_docs[name]}
        if parameter.default is parameter.empty:
            required.append(name)
        elif parameter.default is None or isinstance(parameter.default, (str, int, float, bool)):
            schema = {**schema, "default": parameter.default}
        properties[name] = schema
    definition: Dict[str, Any] = {"name": function.__name__}
    description = doc.split("\n\n")[0].strip()
    if description and not description.startswith(":"):
        definition["description"] = " ".join(description.split())
    definition["parameters"] = {"type": "object", "properties": properties, "required": required}
    return definition


def run_tool_calls(tool_calls: Iterable[Any], functions: Iterable[Callable[..., Any]]) -> List[Any]:
    """Call the function named by each tool call with its JSON arguments; one ``ToolMessage`` per call."""
    from .models import ToolMessage

    by_name = {function.__name__: function for function in functions}
    messages = []
    for call in tool_calls:
        name = call.function.name
        if name not in by_name:
            raise ValueError(f"The model called the unknown tool '{name}'; known tools: {', '.join(sorted(by_name))}")
        try:
            arguments = json.loads(call.function.arguments or "{}")
        except ValueError as exc:
            raise ValueError(f"The model called '{name}' with arguments that are not JSON: {exc}") from exc
        if not isinstance(arguments, dict):
            raise ValueError(f"The model called '{name}' with arguments that are not a JSON object: {arguments!r}")
        result = by_name[name](**arguments)
        content = result if isinstance(result, str) else dumps(result)
        messages.append(ToolMessage(content, tool_call_id=call.id))
    return messages


def strict_schema(schema: Any) -> Any:
    """A copy of a JSON schema that strict structured output accepts: every object closed, every property required."""
    if isinstance(schema, dict):
        schema = {key: strict_schema(value) for key, value in schema.items()}
        if schema.get("type") == "object" and "properties" in schema:
            schema["additionalProperties"] = False
            schema["required"] = list(schema["properties"])
        return schema
    if isinstance(schema, list):
        return [strict_schema(item) for item in schema]
    return schema
