"""The documentation's code runs: every ```python block of README.md and samples/README.md, against the emulator.

The blocks of one file run in order in one shared namespace, as a reader pasting them into one session would.
Before a block runs, placeholder endpoints (string literals ``"https://<...>..."``) become the emulator's URL
with the same path, except those on Azure AI Services hosts (``https://<resource>.services.ai.azure.com/models``),
which keep their host name (``resource.services.ai.azure.com``) and reach today's Azure as the ``azure_today``
fixture plays it, over TLS on 127.0.0.1; ``"<key>"`` becomes the emulator's key; the namespace starts with
``endpoint`` and ``key`` already set the same way. A block right after ``<!-- not-run: <reason> -->`` (for
example one that needs Entra ID over https) is compiled, so its syntax is checked, but not run. Keep such
markers few and honest. Every client the blocks create is closed at the end, and logging changes are undone.
"""

from __future__ import annotations

import ast
import inspect
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from azure.ai.inference._client import InferenceClientBase
from azure.ai.inference.aio._client import AsyncInferenceClientBase

from .azure_tls import AzureWorld
from .azure_today import Deployment
from .emulator import EMULATOR_KEY, Emulator
from .support import resolve

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [path for path in (ROOT / "README.md", ROOT / "samples" / "README.md") if path.exists()]
MAX_NOT_RUN = 3  # markers are for what cannot run on loopback; more than a few means the README drifted

FENCE = re.compile(r"^```(\w*)[ \t]*$")
NOT_RUN = re.compile(r"^<!--\s*not-run:\s*(\S.*?)\s*-->$")
PLACEHOLDER_URL = re.compile(r"""(["'])(https://<[^"'\s]*)\1""")
PLACEHOLDER_KEY = re.compile(r"""(["'])<key>\1""")
AZURE_NAMES = {f"resource.{suffix}" for suffix in ("services.ai.azure.com", "openai.azure.com",
                                                   "cognitiveservices.azure.com")}  # fmt: skip


@dataclass(frozen=True)
class Block:
    """One ```python block: its first code line (1-based), its source, and why it is not run, if it is not."""

    line: int
    source: str
    not_run: str | None


def python_blocks(markdown: str) -> Iterator[Block]:
    """The ```python blocks of a Markdown text, each with the not-run marker on the line before it, if any."""
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        fence = FENCE.match(lines[index].strip())
        if fence is None:
            index += 1
            continue
        end = next((i for i in range(index + 1, len(lines)) if lines[i].strip() == "```"), len(lines))
        if fence.group(1) == "python":
            previous = next((lines[i].strip() for i in range(index - 1, -1, -1) if lines[i].strip()), "")
            marker = NOT_RUN.match(previous)
            yield Block(index + 2, "\n".join(lines[index + 1 : end]), marker.group(1) if marker else None)
        index = end + 1


def local_url(placeholder: str, emulator: Emulator) -> str:
    """A placeholder URL on the emulator: same path, ``<name>`` segments spelled ``name``; on an Azure AI Services
    host, the same host (today's Azure, reached through the ``azure_today`` fixture)."""
    spelled = re.sub(r"<(\w+)>", r"\1", placeholder)
    if urlsplit(spelled).hostname in AZURE_NAMES:
        return spelled
    return emulator.endpoint + urlsplit(spelled).path


def localize(source: str, emulator: Emulator) -> str:
    """The block with placeholder endpoints and keys replaced by the emulator's."""
    source = PLACEHOLDER_URL.sub(lambda m: repr(local_url(m.group(2), emulator)), source)
    return PLACEHOLDER_KEY.sub(repr(EMULATOR_KEY), source)


def compile_block(block: Block, path: Path, source: str) -> Any:
    """Compile with the Markdown file's line numbers, allowing top-level ``await`` as a notebook does."""
    padded = "\n" * (block.line - 1) + source
    return compile(padded, str(path), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)


async def run_document(path: Path, emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> list[Block]:
    """Run the blocks of one document; return those that ran."""
    clients: list[Any] = []

    def track(base: Any) -> None:
        original = base.__init__

        def init(self: Any, endpoint: str, credential: Any, **kwargs: Any) -> None:
            # Azure host names are reached over TLS on 127.0.0.1 through azure_today's proxy (nothing else is)
            host = urlsplit(endpoint).hostname
            assert host == "127.0.0.1" or host in AZURE_NAMES, f"{path.name} reaches beyond loopback: {endpoint}"
            original(self, endpoint, credential, **kwargs)
            clients.append(self)

        monkeypatch.setattr(base, "__init__", init)

    track(InferenceClientBase)
    track(AsyncInferenceClientBase)
    loggers = [logging.getLogger(), logging.getLogger("azure")]
    saved = [(logger.level, list(logger.handlers)) for logger in loggers]
    namespace: dict[str, Any] = {"__name__": "__readme__", "endpoint": emulator.url("models"), "key": EMULATOR_KEY}
    ran = []
    try:
        for block in python_blocks(path.read_text(encoding="utf-8")):
            code = compile_block(block, path, localize(block.source, emulator))
            if block.not_run is not None:
                continue
            if code.co_flags & inspect.CO_COROUTINE:
                await eval(code, namespace)
            else:
                exec(code, namespace)
            ran.append(block)
    finally:
        for client in reversed(clients):
            await resolve(client.close())
        for logger, (level, handlers) in zip(loggers, saved):
            logger.setLevel(level)
            logger.handlers[:] = handlers
    return ran


@pytest.mark.parametrize("path", DOCUMENTS, ids=[str(path.relative_to(ROOT)) for path in DOCUMENTS])
async def test_documented_code_runs_against_the_emulator(
    path: Path, emulator: Emulator, azure_today: AzureWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = list(python_blocks(path.read_text(encoding="utf-8")))
    azure_today.settings.deployments["deployment"] = Deployment("chat", "gpt-4o-mini")  # "<deployment>" in the docs
    ran = await run_document(path, emulator, monkeypatch)

    assert len(ran) == sum(block.not_run is None for block in blocks)
    assert sum(block.not_run is not None for block in blocks) <= MAX_NOT_RUN
    if ran:  # code that calls a client reached the emulator with the key, over loopback
        requests = [*emulator.requests, *azure_today.requests]
        assert all(request.headers.get("api-key") == EMULATOR_KEY for request in requests)
    if path == ROOT / "README.md":  # its /models example, unchanged 1.0.0b9 code, reached today's successor
        assert "https://resource.services.ai.azure.com/openai/v1/chat/completions" in azure_today.urls


def test_readme_has_code_that_reaches_the_service() -> None:
    blocks = list(python_blocks((ROOT / "README.md").read_text(encoding="utf-8")))
    assert len([block for block in blocks if block.not_run is None]) >= 3
    assert any(".complete(" in block.source for block in blocks if block.not_run is None)


def test_blocks_markers_and_placeholders(emulator: Emulator) -> None:
    markdown = (
        "Text\n\n```python\nx = 1\n```\n\n<!-- not-run: needs Entra ID -->\n\n```python\ny = 2\n```\n"
        "```bash\nz=3\n```\n<!-- not-run: x -->\ntext in between\n```python\nw = 4\n```\n"
    )
    assert list(python_blocks(markdown)) == [
        Block(4, "x = 1", None),
        Block(10, "y = 2", "needs Entra ID"),
        Block(18, "w = 4", None),
    ]
    source = 'C(endpoint="https://<name>.inference.ml.azure.com/score/<deployment>", k="<key>")'
    assert localize(source, emulator) == f"C(endpoint='{emulator.endpoint}/score/deployment', k='{EMULATOR_KEY}')"
    azure = 'C("https://<resource>.openai.azure.com/openai/deployments/<deployment>")'
    assert localize(azure, emulator) == "C('https://resource.openai.azure.com/openai/deployments/deployment')"
    assert localize("u = 'https://example.com/<x>'", emulator) == "u = 'https://example.com/<x>'"


async def test_not_run_blocks_are_compiled_not_run(
    tmp_path: Path, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = tmp_path / "README.md"
    document.write_text("<!-- not-run: demo -->\n```python\nraise RuntimeError\n```\n```python\nx = await f()\n```\n")
    with pytest.raises(NameError, match="'f'"):  # top-level await runs too
        await run_document(document, emulator, monkeypatch)
    document.write_text("<!-- not-run: demo -->\n```python\nx = (\n```\n")
    with pytest.raises(SyntaxError) as error:
        await run_document(document, emulator, monkeypatch)
    assert (error.value.filename, error.value.lineno) == (str(document), 3)
