"""The I/O-free parts of the bulk runner's input and output: Batch API lines in, Batch API results out.

An input line is what Azure's and OpenAI's Batch API read (one JSON object per line):
``{"custom_id": "...", "method": "POST", "url": "/chat/completions" | "/embeddings", "body": {...}}``
(``/v1/...`` and ``/deployments/<name>/...`` URLs name the same routes). A result is what they write:
``{"id", "custom_id", "response": {"status_code", "request_id", "body"} | null, "error": {"code", "message"} | null}``
(OpenAI API reference, "The request output object"); here ``error`` is null exactly when the call succeeded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional, Union

CHAT, EMBEDDINGS = "/chat/completions", "/embeddings"
ROUTES = (CHAT, EMBEDDINGS)
REQUEST_ID_HEADERS = ("x-request-id", "apim-request-id", "x-ms-request-id", "x-ms-client-request-id")
Result = dict[str, Any]


@dataclass
class Item:
    """One input, parsed: a call to make, or the reason it cannot be made (``problem``)."""

    position: int  # 1-based place in the input
    custom_id: Optional[str] = None
    route: str = ""
    body: Optional[dict[str, Any]] = None
    problem: Optional[str] = None

    @property
    def id(self) -> str:
        """The result's ``id``: the input position, so that a rerun over the same input gives the same ids."""
        return f"batch_req_{self.position}"

    @property
    def key(self) -> str:
        """What a resumed run recognises a done item by: its ``custom_id``, else its ``id``."""
        return self.custom_id if self.custom_id is not None else self.id


def result_key(result: Mapping[str, Any]) -> Optional[str]:
    """The key (see `Item.key`) of a result read back from an output file; None if it has neither id."""
    key = result.get("custom_id")
    if key is None:
        key = result.get("id")
    return key if isinstance(key, str) else None


def _route(url: str) -> Optional[str]:
    path = url.split("?", 1)[0].rstrip("/")
    return next((route for route in ROUTES if path.endswith(route)), None)


def parse_item(raw: Any, position: int, model: Union[str, Mapping[str, str], None] = None) -> Optional[Item]:
    """An input (a Batch API line as text, bytes or a mapping) as an `Item`; None for a blank line.

    ``model`` (or ``model[route]``) goes into a body that names none (Batch API files always do; a file
    written for one local model may not).
    """
    if isinstance(raw, (bytes, bytearray)):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Item(position, problem=f"input {position} is not UTF-8: {exc}")
    if isinstance(raw, str):
        if not raw.strip():
            return None
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            return Item(position, problem=f"input {position} is not JSON: {exc}")
    if not isinstance(raw, Mapping):
        return Item(position, problem=f"input {position} is a JSON {type(raw).__name__}, not an object")
    custom_id = raw.get("custom_id")
    item = Item(position, custom_id if isinstance(custom_id, str) and custom_id else None)
    url, method, body = raw.get("url"), raw.get("method", "POST"), raw.get("body")
    route = _route(url) if isinstance(url, str) else None
    if item.custom_id is None:
        item.problem = f"input {position} has no custom_id (a non-empty string)"
    elif method != "POST":
        item.problem = f"method {method!r} is not supported: a batch line is a POST"
    elif route is None:
        item.problem = f"url {url!r} is not supported: use /chat/completions or /embeddings"
    elif not isinstance(body, Mapping):
        item.problem = "body must be a JSON object"
    elif body.get("stream"):
        item.problem = 'streaming is not supported in a batch: leave out "stream"'
    else:
        item.route, item.body = route, dict(body)
        default = model.get(route) if isinstance(model, Mapping) else model
        if default is not None and "model" not in item.body:
            item.body["model"] = default
    return item


def result(
    item: Item,
    *,
    status: Optional[int] = None,
    headers: Optional[Mapping[str, str]] = None,
    body: Any = None,
    error: Optional[tuple[str, str]] = None,
) -> Result:
    """The Batch API result of an item: the service's answer (if any) and the error (if it failed)."""
    response = None
    if status is not None:
        request_id = next((headers[name] for name in REQUEST_ID_HEADERS if headers and name in headers), None)
        response = {"status_code": status, "request_id": request_id, "body": body}
    failure = None if error is None else {"code": error[0], "message": error[1]}
    return {"id": item.id, "custom_id": item.custom_id, "response": response, "error": failure}


def service_error(status: int, body: Any, reason: str = "") -> tuple[str, str]:
    """The code and message of an error answer: ``{"error": {"code", "message"}}`` or a top-level pair."""
    found = body.get("error") if isinstance(body, Mapping) else None
    found = found if isinstance(found, Mapping) else body if isinstance(body, Mapping) else {}
    code, message = found.get("code"), found.get("message")
    return (
        str(code) if code is not None else str(status),
        str(message) if message is not None else f"HTTP {status} {reason}".strip(),
    )


def usage_tokens(body: Any) -> Optional[int]:
    """``usage.total_tokens`` of an answer, when it has one."""
    usage = body.get("usage") if isinstance(body, Mapping) else None
    total = usage.get("total_tokens") if isinstance(usage, Mapping) else None
    return total if isinstance(total, int) else None


def quota_tokens(request: Mapping[str, Any], answer: Any) -> Optional[int]:
    """The tokens a call counted for against the quota, from the answer's ``usage``: its prompt tokens plus the
    request's ``max_tokens`` (what the service books when a request arrives, used or not: Learn, "Manage Azure
    OpenAI quota"), or the tokens it used when the request set no maximum."""
    usage = answer.get("usage") if isinstance(answer, Mapping) else None
    if not isinstance(usage, Mapping):
        return None
    prompt, total = usage.get("prompt_tokens"), usage.get("total_tokens")
    maximum = request.get("max_tokens") or request.get("max_completion_tokens")
    if isinstance(prompt, int) and isinstance(maximum, int):
        return prompt + maximum
    return total if isinstance(total, int) else None


def split_embeddings(body: Mapping[str, Any], maximum: int) -> list[dict[str, Any]]:
    """The bodies of the calls that embed ``body``'s inputs, at most ``maximum`` inputs each."""
    inputs = body.get("input")
    if not isinstance(inputs, list) or len(inputs) <= maximum:
        return [dict(body)]
    return [{**body, "input": inputs[start : start + maximum]} for start in range(0, len(inputs), maximum)]


def merge_embeddings(parts: list[dict[str, Any]], sizes: list[int]) -> dict[str, Any]:
    """One answer from the answers of the chunks: each vector's ``index`` is its input's place in the whole list."""
    merged = dict(parts[0])
    data, offset = [], 0
    for part, size in zip(parts, sizes):
        for position, entry in enumerate(part.get("data") or []):
            index = entry.get("index", position) if isinstance(entry, Mapping) else position
            data.append({**entry, "index": offset + index} if isinstance(entry, Mapping) else entry)
        offset += size
    merged["data"] = data
    usages: list[Mapping[str, Any]] = [part["usage"] for part in parts if isinstance(part.get("usage"), Mapping)]
    if usages:
        keys = {key for usage in usages for key, value in usage.items() if isinstance(value, int)}
        merged["usage"] = {key: sum(usage.get(key) or 0 for usage in usages) for key in sorted(keys)}
    return merged
