"""A tiny HTTP forward proxy on 127.0.0.1 for the tests: it records the target of each connection it relays.

A client sends ``POST http://host:port/path HTTP/1.1`` to a proxy for a plain-HTTP URL; the proxy connects to
``host:port``, passes the request on in origin form, then relays bytes both ways until either side closes.
Later requests on a kept-alive connection go to the same target unread (they are counted by the emulator).
Only 127.0.0.1 targets are relayed.
"""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit

from typing_extensions import Self


class ForwardProxy:
    def __init__(self) -> None:
        self.targets: list[str] = []  # "host:port" of each relayed connection, in order
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def __enter__(self) -> Self:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            data = client.recv(65536)
            if not data:
                client.close()
                return
            head += data
        line, rest = head.split(b"\r\n", 1)
        method, target, version = line.decode("latin-1").split(" ")
        url = urlsplit(target)
        if url.hostname != "127.0.0.1" or url.port is None:
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            client.close()
            return
        upstream = socket.create_connection(("127.0.0.1", url.port))
        with self._lock:
            self.targets.append(url.netloc)
            self._sockets += [client, upstream]
        origin = (url.path or "/") + (f"?{url.query}" if url.query else "")
        upstream.sendall(f"{method} {origin} {version}\r\n".encode("latin-1") + rest)
        threading.Thread(target=_pipe, args=(upstream, client), daemon=True).start()
        _pipe(client, upstream)


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    """Copy bytes until ``source`` ends, then end ``sink``'s writing side."""
    try:
        while data := source.recv(65536):
            sink.sendall(data)
        sink.shutdown(socket.SHUT_WR)
    except OSError:  # the other side closed first
        pass
