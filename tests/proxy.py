"""A tiny HTTP forward proxy on 127.0.0.1 for the tests: it records the target of each connection it relays.

A client sends ``POST http://host:port/path HTTP/1.1`` to a proxy for a plain-HTTP URL; the proxy connects to
``host:port``, passes the request on in origin form, then relays bytes both ways until either side closes.
Later requests on a kept-alive connection go to the same target unread (they are counted by the emulator).
Only 127.0.0.1 targets are relayed.

With ``tunnel_port``, it also answers ``CONNECT <any host>:443``, the way clients reach an https URL through a
proxy, by tunnelling to ``127.0.0.1:<tunnel_port>``, whatever host was asked for: nothing is resolved and nothing
but 127.0.0.1 is ever connected. ``targets`` then records the ``host:443`` each tunnel was asked for.
"""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit

from typing_extensions import Self


class ForwardProxy:
    def __init__(self, *, tunnel_port: int | None = None) -> None:
        self.targets: list[str] = []  # "host:port" of each relayed connection, in order
        self.connected: list[tuple[str, int]] = []  # the address of each upstream connection actually made
        self._tunnel_port = tunnel_port
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
        if method == "CONNECT":
            self._tunnel(client, target, head.split(b"\r\n\r\n", 1)[1])
            return
        url = urlsplit(target)
        if url.hostname != "127.0.0.1" or url.port is None:
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            client.close()
            return
        upstream = socket.create_connection(("127.0.0.1", url.port))
        with self._lock:
            self.targets.append(url.netloc)
            self.connected.append(("127.0.0.1", url.port))
            self._sockets += [client, upstream]
        origin = (url.path or "/") + (f"?{url.query}" if url.query else "")
        upstream.sendall(f"{method} {origin} {version}\r\n".encode("latin-1") + rest)
        threading.Thread(target=_pipe, args=(upstream, client), daemon=True).start()
        _pipe(client, upstream)

    def _tunnel(self, client: socket.socket, target: str, early: bytes) -> None:
        """Answer a CONNECT to port 443 with a tunnel to the TLS port on 127.0.0.1; refuse anything else."""
        if self._tunnel_port is None or not target.endswith(":443"):
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            client.close()
            return
        upstream = socket.create_connection(("127.0.0.1", self._tunnel_port))
        with self._lock:
            self.targets.append(target)
            self.connected.append(("127.0.0.1", self._tunnel_port))
            self._sockets += [client, upstream]
        client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        if early:  # bytes the client sent after the CONNECT head without waiting for the answer
            upstream.sendall(early)
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
