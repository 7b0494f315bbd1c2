"""The arrows of imports that DESIGN.md forbids, read from the package's source, and what ``import azure.ai.inference``
loads: what only a feature needs loads with that feature, not with the package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "azure" / "ai" / "inference"
# The hand-written layer on top of the generated-style one: the patches and what only they use. The other
# hand-written modules (_environment, _transport, aio/_hooks, _sse) sit below the configuration, clients and
# streams that import them.
HAND_WRITTEN = {"_patch", "_shared", "_streaming", "_validate", "_tools", "tracing", "prompts", "__main__", "batch"}


def imported(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (lazy imports too), as dotted names inside the package."""
    package = [*path.relative_to(PACKAGE.parent.parent.parent).with_suffix("").parts[:-1]]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def generated_style() -> list[Path]:
    files = [p for p in PACKAGE.rglob("*.py") if p.read_text(encoding="utf-8").startswith("# Generated-style layer")]
    assert {p.name for p in files} >= {"_client.py", "_configuration.py", "_model_base.py", "_models.py", "_enums.py"}
    return files


@pytest.mark.parametrize("path", generated_style(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_generated_style_layer_never_imports_the_hand_written_one(path: Path) -> None:
    names = {name.split(".")[-1] for name in imported(path) if name.startswith("azure.ai.inference")}
    assert not names & HAND_WRITTEN


def test_sse_decoder_imports_nothing_of_azure_core_or_the_models() -> None:
    assert not [m for m in imported(PACKAGE / "_sse.py") if m.startswith(("azure", "azure.ai.inference"))]


def test_async_patch_never_imports_the_sync_clients() -> None:
    assert "azure.ai.inference._patch" not in imported(PACKAGE / "aio" / "_patch.py")


def test_the_checks_above_read_imports() -> None:
    """The helper finds relative, absolute and function-level imports (a check that saw none would pass)."""
    found = imported(PACKAGE / "_configuration.py")
    assert {"azure.ai.inference._version", "azure.ai.inference._environment", "azure.core.pipeline"} <= found
    assert "azure.ai.inference._client.raise_for_status" in imported(PACKAGE / "aio" / "_client.py")


# Each loads when what needs it is first used: a stream, a client being built, a traced call, tracing or prompts.
LOADED_LATER = [
    "azure.ai.inference._sse",
    "azure.ai.inference._environment",
    "azure.ai.inference._transport",
    "azure.ai.inference._tools",
    "azure.ai.inference.aio",
    "azure.ai.inference.prompts",
    "azure.ai.inference.tracing",
    "azure.ai.inference.batch",
    "azure.core.tracing.decorator",
    "urllib.request",
    "requests",
    "aiohttp",
    "pydantic",
    "opentelemetry",
]


def test_import_of_the_package_loads_only_what_every_user_needs() -> None:
    code = "import sys, azure.ai.inference, azure.ai.inference.models; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(done.stdout.split())
    assert {"azure.ai.inference._patch", "azure.ai.inference._streaming"} <= loaded
    assert not loaded & set(LOADED_LATER)
