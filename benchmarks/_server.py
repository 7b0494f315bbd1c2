"""The loopback server of the end-to-end rows, on aiohttp: canned chat completions, streams and embeddings.

``POST .../chat/completions`` answers a canned completion; a body asking for ``"stream": true`` gets an event
stream instead, one event per write (as a token-by-token service sends it), ``SSE_UPDATES`` updates long, or
``max_tokens`` updates when the body sets it. ``POST .../embeddings`` answers one canned embedding.
Binds 127.0.0.1 only, prints ``PORT=<n>``, and serves until its standard input closes (its parent ended)
or ``LIFETIME`` seconds pass. It runs in a process of its own, so its CPU time is not the client's.

Usage: ``python benchmarks/_server.py`` (started by ``run.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading

from _common import COMPLETION_BODY, EMBEDDINGS_BODY, SSE_UPDATES, sse_chunks
from aiohttp import web

LIFETIME = 1800.0
SSE = {SSE_UPDATES: sse_chunks(SSE_UPDATES)}


async def handle(request: web.Request) -> web.StreamResponse:
    body = await request.read()
    if request.path.endswith("/embeddings"):
        return web.Response(body=EMBEDDINGS_BODY, content_type="application/json")
    if not request.path.endswith("/chat/completions"):
        return web.Response(status=404)
    if b'"stream": true' not in body and b'"stream":true' not in body:
        return web.Response(body=COMPLETION_BODY, content_type="application/json")
    updates = json.loads(body).get("max_tokens") or SSE_UPDATES
    chunks = SSE.get(updates) or SSE.setdefault(updates, sse_chunks(updates))
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    for chunk in chunks:
        await response.write(chunk)
    await response.write_eof()
    return response


def canned_app() -> web.Application:
    app = web.Application()
    app.router.add_route("POST", "/{tail:.*}", handle)
    return app


async def serve(app: web.Application) -> None:
    """Serve ``app`` on 127.0.0.1, print ``PORT=<n>``, and stop when standard input closes (or after LIFETIME)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=4096)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"PORT={port}", flush=True)
    loop, stopped = asyncio.get_running_loop(), asyncio.Event()

    def wait_for_parent() -> None:
        sys.stdin.read()  # returns when the parent closes the pipe
        loop.call_soon_threadsafe(stopped.set)

    threading.Thread(target=wait_for_parent, daemon=True).start()
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stopped.wait(), LIFETIME)
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(serve(canned_app()))
