"""A prompty file as parsed: the object ``PromptTemplate.from_prompty(...).prompty`` exposes, and its loader.

A prompty file is YAML front matter between ``---`` lines, then the template. In the front matter:

- ``base: other.prompty`` (relative to the file) inherits that file's front matter; mappings merge key by key,
  and this file's values win.
- A string value ``${env:NAME}`` or ``${env:NAME:default}`` is read from the environment (``None`` when unset
  without a default); ``${file:data.json}`` is the JSON of a file next to the prompty file.
- ``model.configuration`` keys left unset come from the ``"default"`` entry of a ``prompty.json`` next to the file;
  ``configuration: <name>`` takes its ``<name>`` entry instead.

Configuration keys whose name holds ``key`` or ``secret`` (in any case) are secrets: ``repr()`` and
``to_safe_dict()`` show them as asterisks, one per character.
"""

import dataclasses
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

_FRONT_MATTER = re.compile(r"\A\ufeff?\s*^---[ \t]*\r?\n(.*?)^---[ \t]*$\r?\n?(.*)\Z", re.DOTALL | re.MULTILINE)
_REFERENCE = re.compile(r"\A\$\{(env|file):([^}:]+)(?::([^}]*))?\}\Z")
_GLOBAL_CONFIG = "prompty.json"


@dataclass(repr=False)
class ModelSettings:
    """The ``model`` section: which API, how to reach the model, and the settings to send."""

    api: str = ""
    configuration: Dict[str, Any] = field(default_factory=dict)
    parameters: Dict[str, Any] = field(default_factory=dict)
    response: Any = field(default_factory=dict)

    def to_safe_dict(self) -> Dict[str, Any]:
        """A copy as plain data, secrets masked."""
        data = dataclasses.asdict(self)
        data["configuration"] = _masked(data["configuration"])
        return data

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.to_safe_dict().items())
        return f"ModelSettings({shown})"


@dataclass
class TemplateSettings:
    """The ``template`` section: the template language and the parser of its rendered text."""

    type: str = "mustache"
    parser: str = "prompty"


@dataclass
class PropertySettings:
    """One entry of ``inputs`` or ``outputs``."""

    type: Any = None
    default: Any = None
    description: str = ""


@dataclass
class Prompty:
    """A parsed prompty file; ``content`` is the template that follows the front matter."""

    name: str = ""
    description: str = ""
    authors: List[Any] = field(default_factory=list)
    tags: List[Any] = field(default_factory=list)
    version: str = ""
    base: str = ""
    basePrompty: Optional["Prompty"] = None  # the name 1.0.0b9 used
    model: ModelSettings = field(default_factory=ModelSettings)
    sample: Any = field(default_factory=dict)
    inputs: Dict[str, PropertySettings] = field(default_factory=dict)
    outputs: Dict[str, PropertySettings] = field(default_factory=dict)
    template: TemplateSettings = field(default_factory=TemplateSettings)
    file: Optional[Path] = None
    content: str = ""

    def to_safe_dict(self) -> Dict[str, Any]:
        """The model, template, inputs and outputs (when any) and file as plain data, secrets masked."""
        data: Dict[str, Any] = {
            "model": self.model.to_safe_dict(),
            "template": dataclasses.asdict(self.template),
        }
        for name in ("inputs", "outputs"):
            properties: Dict[str, PropertySettings] = getattr(self, name)
            if properties:
                data[name] = {k: dataclasses.asdict(v) for k, v in properties.items()}
        data["file"] = str(self.file) if self.file is not None else None
        return data


def _is_secret(name: Any) -> bool:
    lowered = str(name).lower()
    return "key" in lowered or "secret" in lowered


def _masked(configuration: Dict[str, Any]) -> Dict[str, Any]:
    """Secrets as asterisks, one per character (per item for a list or mapping); nested mappings too."""
    masked: Dict[str, Any] = {}
    for name, value in configuration.items():
        if _is_secret(name) and value is not None:
            masked[name] = "*" * (len(value) if isinstance(value, (str, list, dict)) else len(str(value)))
        else:
            masked[name] = _masked(value) if isinstance(value, dict) else value
    return masked


def load(path: Path) -> Prompty:
    """Parse the prompty file at ``path`` (absolute)."""
    return _load(path, ())[0]


def _load(path: Path, children: Tuple[Path, ...]) -> Tuple[Prompty, Dict[str, Any]]:
    """The prompty file and its front matter, merged over that of its base."""
    front, content = _read(path)
    base: Optional[Prompty] = None
    if front.get("base"):
        base_path = (path.parent / str(front["base"])).resolve()
        if base_path == path or base_path in children:
            raise ValueError(f"{path}: base {front['base']!r} inherits from itself")
        base, base_front = _load(base_path, (*children, path))
        front = _merged(base_front, front)
    model = _mapping(front.get("model"), "model", path)
    template = front.get("template")
    if not isinstance(template, str):
        template = _mapping(template, "template", path)
    prompty = Prompty(
        name=front.get("name") or "",
        description=front.get("description") or "",
        authors=_listed(front.get("authors")),
        tags=_listed(front.get("tags")),
        version=front.get("version") or "",
        base=front.get("base") or "",
        basePrompty=base,
        model=ModelSettings(
            api=model.get("api") or "",
            configuration=_configuration(model.get("configuration"), path),
            parameters=_mapping(model.get("parameters"), "model.parameters", path),
            response=model["response"] if model.get("response") is not None else {},
        ),
        sample=front["sample"] if front.get("sample") is not None else {},
        inputs=_properties(front.get("inputs"), "inputs", path),
        outputs=_properties(front.get("outputs"), "outputs", path),
        template=(
            TemplateSettings(type=template)
            if isinstance(template, str)
            else TemplateSettings(type=template.get("type") or "mustache", parser=template.get("parser") or "")
            if template
            else TemplateSettings()
        ),
        file=path,
        content=content,
    )
    return prompty, front


def _configuration(value: Any, path: Path) -> Dict[str, Any]:
    """``model.configuration``, completed from the ``prompty.json`` next to the file."""
    global_config: Dict[str, Any] = {}
    global_path = path.parent / _GLOBAL_CONFIG
    if global_path.is_file():
        global_config = _mapping(_resolved(_json(global_path), path.parent), _GLOBAL_CONFIG, path)
    if isinstance(value, str):  # the name of an entry of prompty.json
        if value not in global_config:
            raise ValueError(f"{path}: model.configuration {value!r} is not an entry of {global_path}")
        value = global_config[value]
    configuration = _mapping(value, "model.configuration", path)
    defaults = global_config.get("default")
    if isinstance(defaults, dict):
        configuration = {**configuration, **{k: v for k, v in defaults.items() if k not in configuration}}
    return configuration


def _read(path: Path) -> Tuple[Dict[str, Any], str]:
    """The front matter (references resolved) and the template of a prompty file."""
    match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if match is None:
        raise ValueError(f"{path} is not a prompty file: it must start with YAML front matter between '---' lines")
    try:
        front = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:  # its message would quote the text, which can hold keys: give the position only
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ValueError(f"{path}: the front matter is not valid YAML{where}: {problem}") from None
    return _resolved(_mapping(front, "front matter", path), path.parent), match.group(2)


def _resolved(value: Any, directory: Path) -> Any:
    """``value`` with its ``${env:...}`` and ``${file:...}`` strings replaced, at any depth."""
    if isinstance(value, dict):
        return {k: _resolved(v, directory) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v, directory) for v in value]
    match = _REFERENCE.match(value) if isinstance(value, str) else None
    if match is None:
        return value
    kind, name, default = match.groups()
    if kind == "env":
        return os.environ.get(name, default)
    return _json(directory / name)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path} is not valid JSON: {exc}") from None


def _merged(base: Dict[str, Any], child: Dict[str, Any]) -> Dict[str, Any]:
    """``child`` over ``base``, mappings merged key by key."""
    merged = dict(base)
    for name, value in child.items():
        below = merged.get(name)
        merged[name] = _merged(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged


def _mapping(value: Any, what: str, path: Path) -> Dict[str, Any]:
    """A mapping of the front matter, absent is empty; the error names it, never its content (it can hold keys)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{path}: {what} must be a mapping, not {type(value).__name__}")
    return value


def _listed(value: Any) -> List[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _properties(value: Any, name: str, path: Path) -> Dict[str, PropertySettings]:
    properties = {}
    for key, entry in _mapping(value, name, path).items():
        if not isinstance(entry, dict):
            raise ValueError(f"{path}: {name}.{key} must be a mapping with a type, not {type(entry).__name__}")
        properties[key] = PropertySettings(
            type=entry.get("type"), default=entry.get("default"), description=entry.get("description") or ""
        )
    return properties
