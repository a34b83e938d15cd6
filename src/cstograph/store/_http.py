"""The remote store's HTTP/1.1 client: one kept-alive connection, a request written in one ``send``, the answer
read by ``httptools``' parser (llhttp, in C).

``http.client`` cost a query ≈ 0.3 ms more on loopback (measured 566 vs 232 µs for a small answer): it
writes a request's head and body in two calls, reads the status line and each header line by line and parses
headers with the ``email`` package, and a chunked body chunk by chunk in Python. A front that asks a server for
every query pays that on each (bench/README.md, "Remote-store front").
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from dataclasses import dataclass, field

import httptools

__all__ = ["Answer", "RemoteConnection", "StaleConnection"]

_READ = 256 * 1024


class StaleConnection(ConnectionError):
    """A kept-alive connection the server closed before answering (the request may be sent again)."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    complete: bool  # False: cut at the limit (the connection is then closed)
    keep_alive: bool

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)


@dataclass
class _Reading:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    head_done: bool = False
    done: bool = False
    keep_alive: bool = False
    parser: httptools.HttpResponseParser | None = None

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1").strip()
        self.headers[key] = f"{self.headers[key]}, {text}" if key in self.headers else text

    def on_headers_complete(self) -> None:
        assert self.parser is not None
        self.status = self.parser.get_status_code()
        self.head_done = True
        self.keep_alive = self.parser.should_keep_alive()  # (read here: llhttp forgets it once the message ends)

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)
        self.size += len(body)

    def on_message_complete(self) -> None:
        if 100 <= self.status < 200 and self.status != 101:  # an interim answer (100 Continue, 103): the final follows
            self.headers, self.chunks, self.size, self.head_done = {}, [], 0, False
            return
        self.done = True


class RemoteConnection:
    """A connection to ``host:port`` (TLS for ``https``), opened on first use, kept alive between exchanges."""

    def __init__(self, scheme: str, host: str, port: int, *, timeout: float) -> None:
        self.scheme = scheme
        self.host = host
        self.port = port
        self.timeout = timeout
        self._sock: socket.socket | None = None
        name = f"[{host}]" if ":" in host else host  # (an IPv6 address, RFC 3986 §3.2.2)
        self._host_header = name if port == (443 if scheme == "https" else 80) else f"{name}:{port}"

    def close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None

    def _open(self, timeout: float) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
        return sock

    def exchange(self, method: str, target: str, *, headers: dict[str, str], body: bytes | None = None,
                 limit: int | None = None, timeout: float | None = None) -> Answer:
        """Send one request and read its answer. ``timeout`` bounds the connection and each read; with
        ``limit``, at most about ``limit + 1`` bytes of the body are kept (then the answer is cut and the
        connection closed). Raises :class:`StaleConnection` when a kept-alive connection turns out closed
        before any of the answer came, ``TimeoutError``, ``OSError``, ``ValueError`` for a malformed answer."""
        wait = self.timeout if timeout is None else timeout
        reused = self._sock is not None
        if self._sock is None:
            self._sock = self._open(wait)
        sock = self._sock
        sock.settimeout(wait)
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self._host_header}",
                 *(f"{k}: {v}" for k, v in headers.items())]
        if body is not None or method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(body or b'')}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        try:
            try:
                sock.sendall(head + body if body is not None and len(body) < 65536 else head)
                if body is not None and len(body) >= 65536:
                    sock.sendall(body)
            except (BrokenPipeError, ConnectionResetError) as exc:
                # The server stopped reading: it closed a kept-alive connection, or it refused the request
                # before its end (e.g. 413 from the declared length) — then its answer is there to read.
                try:
                    answer = self._read(sock, reused, limit)
                except OSError:
                    if reused:
                        raise StaleConnection(str(exc)) from exc
                    raise exc from None
                self.close()
                return answer
            answer = self._read(sock, reused, limit)
        except BaseException:
            self.close()
            raise
        if not answer.keep_alive:
            self.close()
        return answer

    def _read(self, sock: socket.socket, reused: bool, limit: int | None) -> Answer:
        reading = _Reading()
        parser = reading.parser = httptools.HttpResponseParser(reading)
        got_any = False
        while not reading.done:
            try:
                data = sock.recv(_READ)
            except ConnectionResetError as exc:
                if reused and not got_any:
                    raise StaleConnection(str(exc)) from exc
                raise
            if not data:
                if not got_any and reused:
                    raise StaleConnection("the server closed the kept-alive connection")
                if reading.head_done and "content-length" not in reading.headers \
                        and "chunked" not in reading.headers.get("transfer-encoding", "").lower():
                    break  # a body delimited by the end of the connection
                raise ConnectionError("the server closed the connection mid-answer")
            got_any = True
            try:
                parser.feed_data(data)
            except httptools.HttpParserUpgrade:
                raise ValueError("the server switched protocols") from None
            except httptools.HttpParserError as exc:
                raise ValueError(f"malformed HTTP answer: {exc}") from None
            if limit is not None and reading.size > limit and not reading.done:
                return Answer(parser.get_status_code(), reading.headers, b"".join(reading.chunks), complete=False,
                              keep_alive=False)
        return Answer(parser.get_status_code(), reading.headers, b"".join(reading.chunks), complete=True,
                      keep_alive=reading.done and reading.keep_alive)
