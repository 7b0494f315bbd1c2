"""This package against the recorded behaviour of the published 1.0.0b9, scenario by scenario.

``tests/compat/battery.py`` holds the scenarios (public API only, sync and async); ``tests/compat/b9_golden.json``
holds what 1.0.0b9 did in each: the requests the emulator received and the results or exceptions. Each scenario
here runs the same code against this repository's package and must produce the same record.

Headers are compared as a set (name case-insensitive, value exact) in ``test_scenario``, and in their order in
``test_header_order``. Differences that DESIGN.md makes on purpose go in ``KNOWN_DIFFERENCES`` with the reason;
their steps are skipped in the comparison.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
for path in (str(ROOT), str(TESTS)):
    if path not in sys.path:
        sys.path.insert(0, path)

from compat import battery  # noqa: E402
from emulator import Emulator  # noqa: E402

GOLDEN_PATH = TESTS / "compat" / "b9_golden.json"
GOLDEN: dict[str, Any] = json.loads(GOLDEN_PATH.read_text(encoding="utf-8"))
SCENARIOS: dict[str, list[dict[str, Any]]] = GOLDEN["scenarios"]

# (scenario, step) -> why this package deliberately behaves differently from 1.0.0b9 there.
_CLEARER_404 = "str() of the 404 says first that the endpoint has no /info route (exc.message is as in 1.0.0b9)"
_CLEARER_DECODE = "DecodeError says the status, content type and first bytes of a body that is not JSON"
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {
    ("model_info_caching", "get_model_info 404"): _CLEARER_404,
    ("load_client_errors_and_kwargs", "404"): _CLEARER_404,
    ("async_model_info_and_load_client", "get_model_info 404"): _CLEARER_404,
    ("async_model_info_and_load_client", "load_client 404"): _CLEARER_404,
    ("errors_chat", "200 invalid json"): _CLEARER_DECODE,
    ("async_errors", "200 invalid json"): _CLEARER_DECODE,
    ("errors_chat", "200 text/plain not json"): _CLEARER_DECODE + " (1.0.0b9 raised a bare JSONDecodeError)",
    ("errors_chat", "200 json array"): "a JSON array where an object belongs is a DecodeError, not a result",
    ("chat_per_call_api_key_header", "per-call api-key header"): "a per-call api-key header wins, as the contract says",
}
# load_client accepts model types case-insensitively and a few more spellings (1.0.0b9 rejected these).
KNOWN_DIFFERENCES.update(
    {
        ("load_client_model_types", t): "load_client is more lenient, and names unsupported types by value"
        for t in (
            "CHAT_COMPLETION",
            "Chat-Completion",
            "EMBEDDINGS",
            "IMAGE_EMBEDDINGS",
            "text_embeddings",
            "text-embedding",
            "text_generation",
            "image_generation",
            "audio_generation",
        )
    }
)
# getfullargspec of the methods 1.0.0b9 wrapped in azure-core's tracing decorator lists their parameters, as
# inspect.signature does (1.0.0b9's showed *args, **kwargs); tests/test_signatures.py compares both with 1.0.0b9.
KNOWN_DIFFERENCES.update(
    {
        ("signatures", f"{prefix}{client}.{method}"): "a decorator no longer hides the parameters from getfullargspec"
        for prefix in ("", "aio.")
        for client, method in (
            ("ChatCompletionsClient", "get_model_info"),
            ("EmbeddingsClient", "embed"),
            ("EmbeddingsClient", "get_model_info"),
            ("ImageEmbeddingsClient", "embed"),
            ("ImageEmbeddingsClient", "get_model_info"),
        )
    }
)


@pytest.fixture(scope="module")
def compat_emulator() -> Iterator[Emulator]:
    with Emulator(key=battery.KEY) as emulator:
        yield emulator


def _headers_as_set(headers: list[str]) -> list[str]:
    result = []
    for header in headers:
        name, _, value = header.partition(": ")
        result.append(f"{name.lower()}: {value}")
    return sorted(result)


def _comparable(steps: list[dict[str, Any]], scenario: str, *, header_order: bool) -> list[dict[str, Any]]:
    """The steps with known differences left out; headers as a sorted set, or only the headers in order."""
    out = []
    for step in steps:
        if (scenario, step["step"]) in KNOWN_DIFFERENCES:
            continue
        if header_order:
            out.append({"step": step["step"], "headers": [r["headers"] for r in step["requests"]]})
            continue
        requests = [{**r, "headers": _headers_as_set(r["headers"])} for r in step["requests"]]
        out.append({**step, "requests": requests})
    return out


def test_golden_comes_from_published_b9() -> None:
    assert GOLDEN["package"]["version"] == "1.0.0b9"
    assert not GOLDEN["package"]["file"].startswith(str(ROOT))
    assert set(SCENARIOS) == set(battery.SCENARIOS), "battery and golden file disagree; regenerate the golden file"


def test_package_under_test_is_this_repository() -> None:
    import azure.ai.inference

    assert os.path.realpath(azure.ai.inference.__file__).startswith(str(ROOT))


_RESULTS: dict[str, list[dict[str, Any]]] = {}


def _run(name: str, emulator: Emulator) -> list[dict[str, Any]]:
    if name not in _RESULTS:
        _RESULTS[name] = battery.run_scenario(name, emulator)
    return _RESULTS[name]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario(name: str, compat_emulator: Emulator) -> None:
    actual = _run(name, compat_emulator)
    expected = SCENARIOS[name]
    assert [s["step"] for s in actual] == [s["step"] for s in expected]
    actual_steps = _comparable(actual, name, header_order=False)
    expected_steps = _comparable(expected, name, header_order=False)
    for got, want in zip(actual_steps, expected_steps):
        where = f"{name} / {want['step']}"
        assert len(got["requests"]) == len(want["requests"]), f"{where}: number of requests"
        for index, (got_request, want_request) in enumerate(zip(got["requests"], want["requests"])):
            line = [got_request[k] for k in ("method", "path", "query")]
            assert line == [want_request[k] for k in ("method", "path", "query")], f"{where}: request {index} line"
            assert got_request["body"] == want_request["body"], f"{where}: request {index} body"
            assert got_request["headers"] == want_request["headers"], f"{where}: request {index} headers"
        outcome = {k: v for k, v in got.items() if k in ("result", "exception")}
        assert outcome == {k: v for k, v in want.items() if k in ("result", "exception")}, f"{where}: outcome"


# Header order carries no meaning in HTTP; it is compared for the sync client, where it comes out the same.
# The async client adds api-key in its authentication policy (after User-Agent) rather than as a constructor
# header, since the key is read per request, and aiohttp keeps the request builder's order (Accept before
# extra-parameters and the caller's headers), which requests rearranges; so its order differs there.
@pytest.mark.parametrize("name", [n for n in SCENARIOS if not n.startswith("async_")])
def test_header_order(name: str, compat_emulator: Emulator) -> None:
    actual = _comparable(_run(name, compat_emulator), name, header_order=True)
    expected = _comparable(SCENARIOS[name], name, header_order=True)
    assert actual == expected
