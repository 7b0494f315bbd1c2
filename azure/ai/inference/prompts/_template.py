"""Prompt templates: mustache text whose ``system:``, ``user:`` and ``assistant:`` lines start chat messages.

``create_messages()`` renders the template with mustache (chevron), then splits the text into messages: a line
holding only a role and a colon (``system:``, ``developer:``, ``user:`` or ``assistant:``, in any case, maybe after
a ``#``) starts a message; text before the first such line is a system message; blank messages are left out.

Mustache rules apply, as in 1.0.0b9: a missing variable renders as empty text; ``{{name}}`` escapes ``& < > "``
as HTML entities while ``{{{name}}}`` and ``{{& name}}`` insert values as they are; ``{{#items}}...{{/items}}``
repeats for each item of a list (a chat history, say). Partials are not read from files. Roles are split after
rendering (that is what lets a section produce messages), so a value holding a line like ``user:`` starts a
message: check values from untrusted sources.
"""

import inspect
import os
import re
import textwrap
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Union, cast

from typing_extensions import Literal, Self, TypedDict

try:
    import chevron  # type: ignore[import-untyped]

    from ._prompty import Prompty, load
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ModuleNotFoundError(
        "Prompt templates need chevron and PyYAML: pip install 'azure-ai-inference[prompts]'", name=exc.name
    ) from exc

__all__ = ["PromptTemplate"]

_ROLE_LINE = re.compile(r"^[ \t]*#?[ \t]*(system|developer|user|assistant)[ \t]*:[ \t]*\r?$", re.IGNORECASE | re.M)


class PromptParameters(TypedDict, total=False):
    """The model settings a template may give: the keywords of ``complete()``, so that
    ``client.complete(messages=..., **template.parameters)`` type-checks (a prompty file's values are not checked).
    """

    frequency_penalty: float
    presence_penalty: float
    temperature: float
    top_p: float
    max_tokens: int
    seed: int
    stop: List[str]
    response_format: Union[Literal["text", "json_object"], Dict[str, object]]


class PromptTemplate:
    """A chat prompt template, from a string or a prompty file, that renders into a list of messages.

    :keyword prompt_template: The template text.
    :keyword api: The kind of API the template is for; ``"chat"`` (the only one ``create_messages()`` shapes for).
    :keyword model_name: The model (deployment) name, to pass on as ``complete(model=...)``.
    :keyword parameters: Model settings to pass on to ``complete()``, such as ``{"temperature": 0.2}``.
    :keyword configuration: How to reach the model (endpoint, deployment, key...). Never shown by ``repr()``.
    :keyword sample: Default values for the template's variables.
    :keyword name: The prompt's name.
    :keyword description: What the prompt is for.
    :keyword path: The file the template was read from.
    :keyword prompty: The parsed prompty file (``None`` for a template from a string): its ``name``,
        ``description``, ``authors``, ``model.api``, ``model.configuration``, ``model.parameters``, ``sample``,
        ``inputs``, ``template``, ``file``, ``content``...; ``prompty.to_safe_dict()`` masks its secrets.
    """

    def __init__(
        self,
        *,
        prompt_template: str,
        api: str = "chat",
        model_name: Optional[str] = None,
        parameters: Optional[Mapping[str, Any]] = None,
        configuration: Optional[Mapping[str, Any]] = None,
        sample: Optional[Mapping[str, Any]] = None,
        name: Optional[str] = None,
        description: Optional[str] = None,
        path: Optional[Path] = None,
        prompty: Optional[Prompty] = None,
    ) -> None:
        if not isinstance(prompt_template, str):
            raise TypeError(f"prompt_template must be a string, not {type(prompt_template).__name__}")
        self.prompt_template = prompt_template
        self.api = api or "chat"
        self.model_name = model_name
        self.parameters: PromptParameters = cast(PromptParameters, dict(parameters or {}))
        self.configuration: Dict[str, Any] = dict(configuration or {})
        self.sample: Dict[str, Any] = dict(sample or {})
        self.name = name
        self.description = description
        self.path = path
        self.prompty = prompty

    @classmethod
    def from_string(cls, prompt_template: str, api: str = "chat", model_name: Optional[str] = None) -> Self:
        """A template from a string; its common indentation is removed.

        :param prompt_template: The template, for example ``"system:\\nYou are {{persona}}.\\nuser:\\n{{question}}"``.
        :param api: The kind of API the template is for; ``"chat"``.
        :param model_name: The model (deployment) name, kept as ``model_name``.
        :return: The template.
        """
        return cls(prompt_template=prompt_template, api=api, model_name=model_name)

    @classmethod
    def from_prompty(cls, file_path: Union[str, "os.PathLike[str]"]) -> Self:
        """A template from a prompty file: YAML front matter between ``---`` lines, then the template.

        The front matter may hold ``name``, ``description``, ``model`` (``api``, ``configuration``, ``parameters``),
        ``sample`` (default variable values), ``inputs``, ``base`` (a prompty file it inherits from)...
        ``model_name`` is ``model.configuration.azure_deployment``; values written ``${env:NAME}`` or
        ``${env:NAME:default}`` are read from the environment (``None`` when unset without a default), and
        ``${file:name.json}`` from a JSON file; a ``prompty.json`` next to the file fills in the configuration.

        :param file_path: The file; a relative path is taken from the directory of the calling source file.
        :return: The template, with ``model_name``, ``parameters`` and ``configuration`` from the file, and the
            whole parsed file as ``prompty``.
        :raises ValueError: The file has no front matter, or front matter that is not a YAML mapping.
        """
        if not file_path:
            raise ValueError("file_path must name a prompty file")
        path = Path(file_path)
        if not path.is_absolute():
            frame = inspect.currentframe()
            caller = frame.f_back.f_code.co_filename if frame is not None and frame.f_back is not None else ""
            base = Path(caller).parent if caller and not caller.startswith("<") else Path.cwd()
            path = base / path
        prompty = load(path.resolve())
        model = prompty.model
        deployment = model.configuration.get("azure_deployment")
        return cls(
            prompt_template=prompty.content,
            api=str(model.api or "chat"),
            model_name=str(deployment) if deployment else None,
            parameters=model.parameters,
            configuration=model.configuration,
            sample=prompty.sample if isinstance(prompty.sample, dict) else None,
            name=prompty.name or None,
            description=prompty.description or None,
            path=prompty.file,
            prompty=prompty,
        )

    def create_messages(self, data: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> List[Dict[str, Any]]:
        """Render the template and split it into chat messages.

        :param data: Values of the template's variables; keywords add to them (and win), and both win over
            the prompty file's ``sample``. A variable with no value renders as empty text.
        :return: Messages such as ``[{"role": "system", "content": "..."}, {"role": "user", "content": "..."}]``,
            ready for ``complete(messages=...)``.
        """
        values = {**self.sample, **(data or {}), **kwargs}
        text = chevron.render(textwrap.dedent(self.prompt_template), values, partials_path=None)
        return _split(text)

    def __repr__(self) -> str:
        shown = {"name": self.name, "api": self.api, "model_name": self.model_name, "parameters": self.parameters}
        if self.path is not None:
            shown["path"] = str(self.path)
        return f"PromptTemplate({', '.join(f'{k}={v!r}' for k, v in shown.items() if v is not None)})"


def _split(text: str) -> List[Dict[str, Any]]:
    """The messages of rendered text: each role line starts one; text before the first is a system message."""
    messages: List[Dict[str, Any]] = []
    role, start = "system", 0
    for match in _ROLE_LINE.finditer(text):
        _add(messages, role, text[start : match.start()])
        role, start = match.group(1).lower(), match.end()
    _add(messages, role, text[start:])
    return messages


def _add(messages: List[Dict[str, Any]], role: str, content: str) -> None:
    content = content.strip()
    if content:
        messages.append({"role": role, "content": content})
