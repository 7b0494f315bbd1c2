"""The operations' request object (``_operations._Request``) answers as azure-core's ``HttpRequest`` does.

It only serves ``body``, ``data`` and ``files`` without ``HttpRequest.__getattr__``; every read and write of
those names must give what a plain ``HttpRequest`` built the same way gives.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from azure.core.rest import HttpRequest

from azure.ai.inference._operations import _Request, build_chat_completions_complete_request

FORMS: dict[str, dict[str, Any]] = {
    "text": {"content": '{"a": 1}'},
    "bytes": {"content": b'{"a": 1}'},
    "file": {"content": io.BytesIO(b'{"a": 1}')},
    "no body": {},
    "query": {"params": {"api-version": "1"}, "content": "{}"},
}
NAMES = ("body", "data", "files", "content", "url", "method")


def view(request: HttpRequest) -> tuple[Any, ...]:
    return (*(getattr(request, name) for name in NAMES), dict(request.headers), repr(request))


@pytest.mark.parametrize("form", list(FORMS))
def test_reads_and_writes_as_http_request(form: str) -> None:
    ours, theirs = _Request("POST", "/x", **FORMS[form]), HttpRequest("POST", "/x", **FORMS[form])
    assert isinstance(ours, HttpRequest)
    assert view(ours) == view(theirs)
    for name, value in (("data", b"new"), ("body", b"newer"), ("files", {"f": ("f.txt", b"x")})):
        setattr(ours, name, value)
        setattr(theirs, name, value)
        assert view(ours) == view(theirs), name


def test_the_builders_make_them() -> None:
    request = build_chat_completions_complete_request(api_version="1", content="{}")
    assert type(request) is _Request and request.data == "{}" and request.body == "{}" and request.files is None
