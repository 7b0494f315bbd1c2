"""What ``inspect`` reports for the public methods and constructors of the clients, and their overloads.

Run under an environment that holds the published 1.0.0b9 (and not this repository) to record its answers::

    /path/to/b9venv/bin/python tests/compat/b9_signatures.py --write tests/compat/b9_signatures.json

``tests/test_signatures.py`` describes this repository's package with the same functions and compares.
Defaults are recorded where a caller can observe them: literals by ``repr``, sentinels by their type's name.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from typing import Any, Callable

from typing_extensions import get_overloads

APIS = ("azure.ai.inference", "azure.ai.inference.aio")
CLIENTS = {"ChatCompletionsClient": "complete", "EmbeddingsClient": "embed", "ImageEmbeddingsClient": "embed"}
SYNC_ONLY = ("__enter__", "__exit__")
ASYNC_ONLY = ("__aenter__", "__aexit__")


def _default(value: Any) -> Any:
    if value is inspect.Parameter.empty:
        return "<required>"
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    return f"<{type(value).__name__}>"


def parameters(function: Callable[..., Any]) -> list[str]:
    """``"name KIND default"`` of each parameter that ``inspect.signature`` lists."""
    signature = inspect.signature(function)
    return [f"{p.name} {p.kind.name} {_default(p.default)}" for p in signature.parameters.values()]


def argspec(function: Callable[..., Any]) -> dict[str, Any]:
    """What ``inspect.getfullargspec`` lists (it does not follow ``__wrapped__``); annotations left out."""
    spec = inspect.getfullargspec(function)
    return {
        "args": spec.args,
        "varargs": spec.varargs,
        "varkw": spec.varkw,
        "defaults": [_default(d) for d in spec.defaults or ()],
        "kwonlyargs": spec.kwonlyargs,
        "kwonlydefaults": {k: _default(v) for k, v in (spec.kwonlydefaults or {}).items()},
    }


def targets() -> dict[str, Callable[..., Any]]:
    """Every public method and constructor of the clients, sync and async, and ``load_client``, by dotted name."""
    import importlib

    found: dict[str, Callable[..., Any]] = {}
    for api in APIS:
        module = importlib.import_module(api)
        names = ("__init__", "get_model_info", "send_request", "close", "__str__")
        names += ASYNC_ONLY if api.endswith(".aio") else SYNC_ONLY
        for client, operation in CLIENTS.items():
            cls = getattr(module, client)
            for name in (operation, *names):
                found[f"{api}.{client}.{name}"] = getattr(cls, name)
        found[f"{api}.load_client"] = module.load_client
    return found


def describe() -> dict[str, Any]:
    """The record of every target: its signature, its argspec, and the parameters of each of its overloads."""
    out = {}
    for name, function in targets().items():
        out[name] = {
            "signature": parameters(function),
            "argspec": argspec(function),
            "overloads": [parameters(o) for o in get_overloads(inspect.unwrap(function))],
        }
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", help="write the record (with the package's identity) to this JSON file")
    args = parser.parse_args(argv)
    import azure.ai.inference

    record = {
        "package": {"version": azure.ai.inference.__version__, "file": azure.ai.inference.__file__},
        "python": sys.version.split()[0],
        "targets": describe(),
    }
    text = json.dumps(record, indent=1) + "\n"
    if args.write:
        with open(args.write, "w", encoding="utf-8") as file:
            file.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
