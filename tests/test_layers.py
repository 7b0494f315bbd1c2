"""The arrows of imports that DESIGN.md forbids, read from the package's source, and what ``import azure.ai.inference``
loads: what only a feature needs loads with that feature, not with the package."""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import inspect
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

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


# azure-core's private names: any release may remove or change one, so the package names them in _core.py only,
# each beside its public fallback (tests/test_core.py). A private name is a module, function, class or attribute
# whose name starts with one underscore.
CORE_MODULE = PACKAGE / "_core.py"


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@functools.cache
def private_names(root: Path) -> frozenset[str]:
    """The private names defined under ``root``: functions, classes, variables and attributes set."""
    names = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return frozenset(name for name in names if is_private(name))


def core_private_names() -> frozenset[str]:
    import azure.core

    return private_names(Path(azure.core.__file__).parent)


def attribute_uses(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    """``(object, name)`` for each ``object.name`` read or set, and each getattr/hasattr/setattr of a constant name."""
    uses: list[tuple[ast.AST, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            uses.append((node.value, node.attr))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            uses.append((node.args[0], node.args[1].value))
    return uses


def is_own_object(node: ast.AST) -> bool:
    """``self``, ``cls`` or ``super()``: whose attributes the class check judges."""
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "super"
    return isinstance(node, ast.Name) and node.id in ("self", "cls")


def inherited_private_names(klass: type) -> set[str]:
    """The private names of the azure-core classes ``klass`` derives from: their members and the attributes they use."""
    names: set[str] = set()
    for base in klass.__mro__:
        if base.__module__.startswith("azure.core"):
            names |= {name for name in vars(base) if is_private(name)}
            tree = ast.parse(textwrap.dedent(inspect.getsource(base)))
            names |= {name for _, name in attribute_uses(tree) if is_private(name)}
    return names


def private_uses(source: str, module: ModuleType) -> set[str]:
    """The azure-core private names that ``source`` (the text of ``module``) names: in imports; as attributes of
    other objects, where the package itself defines no such name; and, in a class deriving from azure-core's, as a
    method it overrides or an attribute of its own that azure-core's classes define or use."""
    tree = ast.parse(source)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("azure.core"):
            found |= {*(node.module or "").split("."), *(alias.name for alias in node.names)}
        elif isinstance(node, ast.Import):
            found |= {
                part for alias in node.names if alias.name.startswith("azure.core") for part in alias.name.split(".")
            }
    found = {name for name in found if is_private(name)}
    others = core_private_names() - private_names(PACKAGE)
    found |= {name for owner, name in attribute_uses(tree) if not is_own_object(owner) and name in others}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):  # a mixin counts with the classes of the module that it is mixed into
            klass = getattr(module, node.name)
            users = [c for c in vars(module).values() if isinstance(c, type) and klass in c.__mro__]
            inherited = set().union(*map(inherited_private_names, users))
            defined = {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
            used = {name for owner, name in attribute_uses(node) if is_own_object(owner)}
            found |= (defined | used) & inherited
    return found


def module_of(path: Path) -> ModuleType:
    return importlib.import_module(".".join(path.relative_to(PACKAGE.parent.parent.parent).with_suffix("").parts))


@pytest.mark.parametrize(
    "path", [p for p in sorted(PACKAGE.rglob("*.py")) if p != CORE_MODULE], ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_no_module_but_core_names_an_azure_core_private(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The [ray] extra's module needs nothing of Ray to be read, only its import: a stand-in where Ray is missing
    # (scripts/ray.sh runs the adapter itself), and the module forgotten again afterwards.
    stand_in = path.name == "ray.py" and importlib.util.find_spec("ray") is None
    if stand_in:
        monkeypatch.setitem(sys.modules, "ray", ModuleType("ray"))
    try:
        assert private_uses(path.read_text(encoding="utf-8"), module_of(path)) == set()
    finally:
        if stand_in:
            sys.modules.pop("azure.ai.inference.batch.ray", None)
            monkeypatch.delattr(sys.modules["azure.ai.inference.batch"], "ray", raising=False)


OLD_USES = """
from azure.core.pipeline.policies._universal import _Unset
from azure.core.pipeline.policies import RetryPolicy
from azure.core.pipeline.transport import RequestsTransport

class Transport(RequestsTransport):
    def _init_session(self, session):
        self._use_env_settings = False

class Throttled:
    def _is_method_retryable(self, settings, request, response=None):
        return super()._is_method_retryable(settings, request, response)

class Retry(Throttled, RetryPolicy):
    pass

def first(client):
    return client._pipeline._impl_policies[0], getattr(client._config.custom_hook_policy, "_request_callback")
"""


def test_the_private_name_check_finds_each_kind_of_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It finds the uses in _core.py, and the kinds of use the package once had (a check that saw none would pass)."""
    core = core_private_names()
    assert {"_body", "_pipeline", "_impl_policies", "_transport", "_request_callback", "_init_session"} <= core
    assert {"_pipeline", "_impl_policies", "_transport", "_base_async", "_body"} <= private_uses(
        CORE_MODULE.read_text(encoding="utf-8"), module_of(CORE_MODULE)
    )
    (tmp_path / "old_private_uses.py").write_text(OLD_USES, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    old = importlib.import_module("old_private_uses")
    expected = {"_universal", "_Unset", "_init_session", "_use_env_settings", "_pipeline", "_impl_policies"}
    assert private_uses(OLD_USES, old) == expected | {"_request_callback", "_is_method_retryable"}
