"""The loopback server of the end-to-end rows: ``POST .../chat/completions`` answers a canned completion.

A request whose body asks for ``"stream": true`` gets an event stream instead, one event per HTTP chunk
(as a token-by-token service sends it), ``SSE_UPDATES`` updates long. Binds 127.0.0.1 only, prints
``PORT=<n>``, and serves until its standard input closes (its parent ended) or ``LIFETIME`` seconds pass.

Usage: ``python benchmarks/_server.py`` (started by ``run.py``).
"""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from _common import COMPLETION_BODY, SSE_UPDATES, sse_chunks

LIFETIME = 1800.0
SSE_CHUNKS = sse_chunks(SSE_UPDATES)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as every client here uses it
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self.path.split("?")[0].endswith("/chat/completions"):
            self.send_error(404)
            return
        self.send_response(200)
        if b'"stream": true' in body or b'"stream":true' in body:
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in SSE_CHUNKS:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(COMPLETION_BODY)))
            self.end_headers()
            self.wfile.write(COMPLETION_BODY)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: no line per request."""


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT={server.server_address[1]}", flush=True)
    stopper = threading.Thread(target=sys.stdin.read, daemon=True)  # returns when the parent closes the pipe
    stopper.start()
    stopper.join(LIFETIME)
    server.shutdown()
    server.server_close()


if __name__ == "__main__":
    main()
