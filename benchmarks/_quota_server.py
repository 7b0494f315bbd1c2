"""The loopback server of the batch rows: ``_server.py``'s canned answers behind a quota (tests/quota.py).

``POST /_quota?rpm=N[&tpm=M]`` sets a fresh quota (``rpm=0``: none) and ``GET /_quota`` says what it accepted and
refused (answered 429). Binds 127.0.0.1 only, prints ``PORT=<n>``, and serves until its standard input closes.

Usage: ``python benchmarks/_quota_server.py`` (started by ``run.py``).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any, Optional

from _server import handle, serve
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from quota import Quota

QUOTA: dict[str, Optional[Quota]] = {"now": None}


@web.middleware
async def limit(request: web.Request, handler: Any) -> web.StreamResponse:
    quota = QUOTA["now"]
    if quota is None or request.path == "/_quota":
        return await handler(request)  # type: ignore[no-any-return]
    return await quota.handle(request, handler)


async def control(request: web.Request) -> web.Response:
    if request.method == "POST":
        rpm, tpm = float(request.query.get("rpm", "0")), request.query.get("tpm")
        QUOTA["now"] = Quota(rpm, float(tpm) if tpm else None) if rpm else None
    quota = QUOTA["now"]
    stats = {"accepted": quota.accepted, "refused": quota.refused} if quota else {"accepted": 0, "refused": 0}
    return web.json_response(stats)


def quota_app() -> web.Application:
    app = web.Application(middlewares=[limit])
    app.router.add_route("*", "/_quota", control)
    app.router.add_route("POST", "/{tail:.*}", handle)
    return app


if __name__ == "__main__":
    asyncio.run(serve(quota_app()))
