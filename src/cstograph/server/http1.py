"""An HTTP/1.1 server for a WSGI app inside one gunicorn worker: its threads share one epoll set
(leader/followers).

Every thread waits on the same epoll set and every socket is armed *one-shot*, so a readiness event goes to
exactly one thread, which owns that connection until it arms it again. The thread reads what is there
(non-blocking) and feeds it to ``httptools``' parser (llhttp, in C). A request still incomplete stays with its
connection and the socket is re-armed — a client that trickles its bytes holds no thread, only a socket, until
a deadline closes it. A complete request is answered **on the same thread**: the WSGI call, then a
non-blocking send of the whole answer; what the client does not take at once is kept and sent as its socket
drains (a slow reader holds no thread either). There is no hand-off between an event loop and a task thread,
and no HTTP parsing in Python: those were most of what a cheap query cost the web worker behind waitress
(bench/README.md, "the HTTP tier").

Limits: a request must arrive whole within ``request_timeout`` s of its first byte; a connection with nothing
in flight for ``idle_timeout`` s is closed; at most ``connection_limit`` connections (further ones wait in the
listen backlog); a request head past ``max_header_bytes`` gets 431, a body past ``max_body_bytes`` 413. An
answer is buffered whole — in memory, or in a temporary file past ``spool_bytes`` — and a file the app hands
to ``wsgi.file_wrapper`` is sent from the file (``sendfile``), not read into memory.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import select
import socket
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import formatdate
from typing import IO, Any
from urllib.parse import unquote_to_bytes

import httptools

__all__ = ["HTTPServer", "Limits"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_ARM_READ = select.EPOLLIN | select.EPOLLRDHUP | select.EPOLLONESHOT
_ARM_WRITE = select.EPOLLOUT | select.EPOLLONESHOT
_READ_SIZE = 256 * 1024
_PIPELINED = 32  # complete requests read ahead of their answers, at most (then reading waits)
_SENDFILE_BLOCK = 1 << 20
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_NO_BODY = frozenset((204, 304))
_STATUS = re.compile(r"[1-9][0-9]{2}( [^\r\n]*)?")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_REASONS = {400: "Bad Request", 413: "Content Too Large", 431: "Request Header Fields Too Large",
            500: "Internal Server Error"}


@dataclass(frozen=True, slots=True)
class Limits:
    request_timeout: float = 10.0
    idle_timeout: float = 30.0
    connection_limit: int = 1000
    max_header_bytes: int = 262_144
    max_body_bytes: int = 1_000_001
    spool_bytes: int = 4 * 1024 * 1024
    ident: str = "cstograph"


class _Refused(Exception):
    """A request this server answers itself, then closes the connection (400, 413, 431)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Request:
    __slots__ = ("url", "headers", "body", "method", "version", "keep_alive", "expects")

    def __init__(self) -> None:
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = bytearray()  # (one buffer: a body sent in tiny chunks must not cost an object per chunk)
        self.method = b"GET"
        self.version = "1.1"
        self.keep_alive = True
        self.expects = False


class _Reader:
    """The parser's callbacks for one connection: the requests it completed, in order.

    What a request may make this process hold is bounded: its head by ``max_header_bytes`` (counted on the
    wire, so a head that never ends is refused too), its body by ``max_body_bytes``, and what the body costs
    on the wire beyond its bytes (chunk framing, trailers) by ``max_header_bytes`` + ``max_body_bytes``.
    Trailer fields are read and dropped: only the head's fields reach the app."""

    __slots__ = ("parser", "limits", "current", "done", "done_bytes", "in_body", "head_bytes", "wire_bytes",
                 "refused", "last")

    def __init__(self, limits: Limits) -> None:
        self.parser = httptools.HttpRequestParser(self)
        self.limits = limits
        self.current: _Request | None = None
        self.done: deque[_Request] = deque()
        self.done_bytes = 0  # the bodies of the requests in ``done``
        self.in_body = False
        self.head_bytes = 0
        self.wire_bytes = 0  # bytes fed since the head of the current request ended
        self.refused: _Refused | None = None
        self.last = False  # nothing more is read on this connection (answered, then closed)

    def feed(self, data: bytes) -> None:
        """Raises :class:`_Refused` for a request this server refuses."""
        if self.in_body:
            self.wire_bytes += len(data)
        else:
            self.head_bytes += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self.last = True  # answered as a plain request; the connection closes after it
        except httptools.HttpParserError as exc:
            if self.refused is None and self.done:
                self.last = True  # what came whole is answered (e.g. data after "Connection: close"), then closed
                return
            raise self.refused or _Refused(400, f"malformed HTTP request: {exc}") from None
        limits = self.limits
        if not self.in_body and self.current is not None and self.head_bytes > limits.max_header_bytes:
            raise _Refused(431, f"the request's head is longer than {limits.max_header_bytes} bytes")
        if self.in_body and self.current is not None \
                and self.wire_bytes - len(self.current.body) > limits.max_header_bytes + limits.max_body_bytes:
            raise _Refused(413, "the request body's framing and trailers are too long")

    # --- httptools callbacks ---
    def on_message_begin(self) -> None:
        self.current = _Request()

    def on_url(self, url: bytes) -> None:
        assert self.current is not None
        self.current.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        assert self.current is not None
        if not self.in_body:  # (a trailer field, after a chunked body, is dropped)
            self.current.headers.append((name, value))

    def on_headers_complete(self) -> None:
        request = self.current
        assert request is not None
        limits = self.limits
        if self.head_bytes > limits.max_header_bytes:
            self.refused = _Refused(431, f"the request's head is longer than {limits.max_header_bytes} bytes")
            raise self.refused
        parser = self.parser
        request.method = parser.get_method()
        request.version = parser.get_http_version()
        request.keep_alive = parser.should_keep_alive()
        request.expects = False
        hosts = 0
        for name, value in request.headers:
            lower = name.lower()
            if lower == b"host":
                hosts += 1
            elif lower == b"expect":
                request.expects = request.version == "1.1" and value.strip().lower() == b"100-continue"
            elif lower == b"content-length" and value.strip().isdigit() \
                    and int(value) > limits.max_body_bytes:  # refused before it is read
                self.refused = _Refused(413, f"the request body is longer than {limits.max_body_bytes} bytes")
                raise self.refused
        if hosts > 1 or (hosts == 0 and request.version == "1.1"):  # RFC 9112 §3.2
            self.refused = _Refused(400, "an HTTP/1.1 request needs exactly one Host header")
            raise self.refused
        self.in_body = True
        self.head_bytes = 0
        self.wire_bytes = 0

    def on_body(self, body: bytes) -> None:
        request = self.current
        assert request is not None
        if len(request.body) + len(body) > self.limits.max_body_bytes:
            self.refused = _Refused(413, f"the request body is longer than {self.limits.max_body_bytes} bytes")
            raise self.refused
        request.body += body

    def on_message_complete(self) -> None:
        assert self.current is not None
        self.done.append(self.current)
        self.done_bytes += len(self.current.body)
        self.current = None
        self.in_body = False

    def next_request(self) -> _Request:
        request = self.done.popleft()
        self.done_bytes -= len(request.body)
        return request


class _FileBody:
    """``wsgi.file_wrapper``: a file to be sent by ``sendfile`` (or read in blocks if it has no descriptor)."""

    def __init__(self, file: IO[bytes], block_size: int = 65536) -> None:
        self.file = file
        self.block_size = block_size

    def __iter__(self) -> Any:
        return iter(lambda: self.file.read(self.block_size), b"")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.file.close()


class _FilePart:
    __slots__ = ("file", "offset", "left", "owner")

    def __init__(self, file: IO[bytes], offset: int, left: int, owner: Any) -> None:
        self.file, self.offset, self.left, self.owner = file, offset, left, owner


class _Connection:
    __slots__ = ("sock", "fd", "peer", "reader", "out", "close_after", "began", "active", "busy", "closed",
                 "continued", "linger")

    def __init__(self, sock: socket.socket, peer: Any, limits: Limits) -> None:
        self.sock = sock
        self.fd = sock.fileno()
        self.peer = peer if isinstance(peer, tuple) else ("", 0)
        self.reader = _Reader(limits)
        self.out: deque[memoryview | _FilePart] = deque()
        self.close_after = False
        self.began = 0.0  # when the request being received began (0: none)
        self.active = time.monotonic()
        self.busy = True  # owned by a thread (maintenance leaves it alone)
        self.closed = False
        self.continued = False
        self.linger = False  # after a refusal: read and drop what the client still sends, then close


_LINGER = 2.0  # seconds a refused connection is drained before it is closed


class HTTPServer:
    """Serve ``app`` on ``listener`` with ``threads`` threads: :meth:`start`, then :meth:`maintain` about once a
    second (deadlines, the connection limit), :meth:`stop` to finish in-flight answers and close."""

    def __init__(self, app: WSGIApp, listener: socket.socket, *, threads: int = 8, limits: Limits = Limits()
                 ) -> None:
        self.app = app
        self.listener = listener
        self.limits = limits
        self.threads = threads
        self._epoll = select.epoll()
        self._conns: dict[int, _Connection] = {}
        self._alive = True
        self._accepting = True
        self._listener_paused = False
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []
        name = listener.getsockname()
        host, port = name[:2] if isinstance(name, tuple) else ("localhost", "")  # (a Unix socket has no port)
        self._base_environ = {
            "SERVER_NAME": str(host), "SERVER_PORT": str(port), "SERVER_SOFTWARE": limits.ident,
            "SCRIPT_NAME": "", "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
            "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
            "wsgi.input_terminated": True, "wsgi.file_wrapper": _FileBody,
        }
        self._date = (0, "")

    # --- life ------------------------------------------------------------------------------------------
    def start(self) -> None:
        self.listener.setblocking(False)
        self._epoll.register(self.listener.fileno(), select.EPOLLIN | select.EPOLLONESHOT)
        for n in range(self.threads):
            thread = threading.Thread(target=self._serve, name=f"http-{n}", daemon=True)
            thread.start()
            self._workers.append(thread)

    def maintain(self) -> None:
        """Close connections past their deadlines; take new connections again when below the limit."""
        now = time.monotonic()
        late, idle = now - self.limits.request_timeout, now - self.limits.idle_timeout
        for conn in list(self._conns.values()):
            if conn.busy or conn.closed:
                continue
            if conn.linger and not conn.out:
                if conn.began < now - _LINGER:
                    with contextlib.suppress(OSError):
                        conn.sock.shutdown(socket.SHUT_RDWR)
                continue
            if (conn.began and conn.began < late) or (not conn.began and conn.active < idle) \
                    or (conn.out and conn.active < idle):
                with contextlib.suppress(OSError):
                    conn.sock.shutdown(socket.SHUT_RDWR)  # its thread-to-be sees the end and closes it
        self._resume_listener()

    def stop(self, graceful: float) -> None:
        """Take no new connections; let answers in flight finish (at most ``graceful`` s); close everything."""
        self._accepting = False
        with contextlib.suppress(OSError, ValueError):
            self._epoll.unregister(self.listener.fileno())
        for conn in list(self._conns.values()):  # idle kept-alive connections: closed now (answers say close)
            if not conn.busy and not conn.out and not conn.began:
                with contextlib.suppress(OSError):
                    conn.sock.shutdown(socket.SHUT_RDWR)
        stop_by = time.monotonic() + graceful
        while time.monotonic() < stop_by and any(c.busy or c.out for c in list(self._conns.values())):
            time.sleep(0.05)
        self._alive = False
        for thread in self._workers:
            thread.join(timeout=2)
        for conn in list(self._conns.values()):
            self._close(conn)
        self._epoll.close()

    # --- the threads -----------------------------------------------------------------------------------
    def _serve(self) -> None:
        poll, listen_fd, conns = self._epoll.poll, self.listener.fileno(), self._conns
        while self._alive:
            try:
                events = poll(0.5, 1)
            except (OSError, ValueError):  # closed by stop()
                return
            for fd, mask in events:
                if fd == listen_fd:
                    try:
                        self._accept()
                    except Exception:  # noqa: BLE001 - never the end of the thread; maintenance resumes accepting
                        self._listener_paused = True
                    continue
                conn = conns.get(fd)
                if conn is None or conn.closed:
                    continue
                conn.busy = True
                try:
                    self._turn(conn, mask)
                except Exception:  # noqa: BLE001 - a connection's failure must not end the thread
                    self._close(conn)

    def _accept(self) -> None:
        try:
            while len(self._conns) < self.limits.connection_limit:
                try:
                    sock, peer = self.listener.accept()
                except (BlockingIOError, InterruptedError):
                    break
                except OSError:  # e.g. EMFILE: taken up again by the next maintenance turn, not in a busy loop
                    self._listener_paused = True
                    return
                sock.setblocking(False)
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conn = _Connection(sock, peer, self.limits)
                self._conns[conn.fd] = conn
                conn.busy = False
                self._epoll.register(conn.fd, _ARM_READ)
        finally:
            if len(self._conns) >= self.limits.connection_limit:
                self._listener_paused = True
            elif self._accepting and not self._listener_paused:
                with contextlib.suppress(OSError, ValueError):
                    self._epoll.modify(self.listener.fileno(), select.EPOLLIN | select.EPOLLONESHOT)

    def _resume_listener(self) -> None:
        with self._lock:
            if self._listener_paused and self._accepting and len(self._conns) < self.limits.connection_limit:
                self._listener_paused = False
                with contextlib.suppress(OSError, ValueError):
                    self._epoll.modify(self.listener.fileno(), select.EPOLLIN | select.EPOLLONESHOT)

    def _turn(self, conn: _Connection, mask: int) -> None:
        """One readiness event of ``conn``, on this thread (which owns it until it is re-armed or closed)."""
        if conn.out:
            if not self._sent(conn):
                return
        elif conn.linger:
            self._drain(conn)
            return
        elif mask & (select.EPOLLIN | select.EPOLLRDHUP | select.EPOLLHUP | select.EPOLLERR) \
                and not self._receive(conn):
            return
        self._answer_ready(conn)

    def _receive(self, conn: _Connection) -> bool:
        """Read what the socket has and parse it. False when the connection was closed."""
        reader = conn.reader
        while True:
            try:
                data = conn.sock.recv(_READ_SIZE)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                self._close(conn)
                return False
            if not data:
                if reader.done:  # answer what arrived whole (a client may half-close after its request)
                    conn.close_after = True
                    break
                self._close(conn)
                return False
            conn.active = time.monotonic()
            if not conn.began:
                conn.began = conn.active  # (reset only once a request is answered: bytes that never make one
            try:                          # — a stream of blank lines — run out the request deadline)
                reader.feed(data)
            except _Refused as refused:
                self._refuse(conn, refused)
                return False
            if reader.last:
                conn.close_after = True
                break
            if len(data) < _READ_SIZE or len(reader.done) >= _PIPELINED \
                    or reader.done_bytes >= self.limits.max_body_bytes:
                break  # (a client that pipelines without end is read again once these are answered)
        return True

    def _answer_ready(self, conn: _Connection) -> None:
        """Answer the complete requests in order; then wait for more (or for the socket to drain)."""
        reader = conn.reader
        while reader.done:
            request = reader.next_request()
            conn.began = conn.active if reader.current is not None or reader.done else 0.0
            conn.continued = False
            if not request.keep_alive or not self._accepting:  # (stopping: this answer is the last)
                conn.close_after = True
            self._respond(conn, request)
            if not self._sent(conn):
                return  # the rest when the socket drains, or closed
        if conn.close_after:
            self._close(conn)
            return
        current = reader.current
        if current is not None and current.expects and not conn.continued and reader.in_body:
            conn.continued = True  # (only now: a 100 must not go ahead of the answers before it)
            with contextlib.suppress(OSError):
                conn.sock.send(_CONTINUE)
        self._arm(conn, _ARM_READ)

    # --- answering ---------------------------------------------------------------------------------------
    def _environ(self, conn: _Connection, request: _Request) -> dict[str, Any]:
        url = httptools.parse_url(request.url)
        path = unquote_to_bytes(url.path or b"/").decode("latin-1")
        if path.startswith("/"):
            path = "/" + path.lstrip("/")
        environ = dict(self._base_environ)
        environ.update({
            "REQUEST_METHOD": request.method.decode("latin-1").upper(),
            "PATH_INFO": path,
            "QUERY_STRING": (url.query or b"").decode("latin-1"),
            "REQUEST_URI": request.url.decode("latin-1"),
            "SERVER_PROTOCOL": f"HTTP/{request.version}",
            "REMOTE_ADDR": str(conn.peer[0]), "REMOTE_HOST": str(conn.peer[0]), "REMOTE_PORT": str(conn.peer[1]),
        })
        for raw_name, raw_value in request.headers:
            name = raw_name.decode("latin-1")
            if "_" in name:
                continue  # as waitress: X_Forwarded_For must not pass for X-Forwarded-For
            key = name.upper().replace("-", "_")
            key = key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key
            value = raw_value.decode("latin-1").strip()
            environ[key] = f"{environ[key]}, {value}" if key in environ else value
        body = bytes(request.body)
        if body or "CONTENT_LENGTH" in environ or "HTTP_TRANSFER_ENCODING" in environ:
            environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input"] = io.BytesIO(body)
        return environ

    def _respond(self, conn: _Connection, request: _Request) -> None:
        """Call the app and queue its whole answer on ``conn.out``."""
        try:
            environ = self._environ(conn, request)
        except (httptools.HttpParserInvalidURLError, ValueError) as exc:
            self._queue_error(conn, 400, f"malformed request target: {exc}")
            return
        started: list[Any] = []
        written: list[bytes] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
            if exc_info is not None and started and started[2]:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers, False]
            return written.append

        result: Any = None
        try:
            result = self.app(environ, start_response)
            if isinstance(result, _FileBody) and _has_fileno(result.file) and started:
                self._queue_file(conn, request, started, result)
                result = None  # closed once sent
                return
            body, spooled = self._collect(written, result)
        except Exception:  # noqa: BLE001 - the app failed: a 500, the connection closed
            self._queue_error(conn, 500, "the server failed to answer this request")
            return
        finally:
            if result is not None and hasattr(result, "close"):
                with contextlib.suppress(Exception):
                    result.close()
        if not started:
            self._queue_error(conn, 500, "the server failed to answer this request")
            return
        size = body.tell() if spooled else len(body)  # type: ignore[union-attr,arg-type]
        try:
            code = _status_code(started[0])
            bodiless = request.method == b"HEAD" or code in _NO_BODY or code < 200
            head = self._head(conn, request, started[0], started[1], code, None if bodiless else size)
        except ValueError:  # a status or header the app wrote that HTTP cannot carry
            bodiless, head = True, b""
            self._queue_error(conn, 500, "the server failed to answer this request")
        if head:
            conn.out.append(memoryview(head))
        if bodiless or not size:
            if spooled:
                body.close()  # type: ignore[union-attr]
            return
        if spooled:
            conn.out.append(_FilePart(body, 0, size, body))  # type: ignore[arg-type]
        else:
            conn.out.append(memoryview(body))  # type: ignore[arg-type]

    def _collect(self, written: list[bytes], result: Iterable[bytes]) -> tuple[bytes | IO[bytes], bool]:
        """The answer's body: bytes, or a temporary file (rewound... at its end: ``tell()`` is its size)
        once it grows past ``spool_bytes``."""
        chunks = list(written)
        size = sum(len(c) for c in chunks)
        spool: IO[bytes] | None = None
        for chunk in result:
            if not chunk:
                continue
            if spool is None:
                chunks.append(chunk)
                size += len(chunk)
                if size > self.limits.spool_bytes:
                    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed once sent (_FilePart.owner)
                    for c in chunks:
                        spool.write(c)
                    chunks = []
            else:
                spool.write(chunk)
        if spool is not None:
            spool.flush()
            return spool, True
        return b"".join(chunks), False

    def _queue_file(self, conn: _Connection, request: _Request, started: list[Any], body: _FileBody) -> None:
        file = body.file
        offset = file.tell()
        size = os.fstat(file.fileno()).st_size - offset
        for name, value in started[1]:
            if name.lower() == "content-length" and value.isdigit():
                size = min(size, int(value))
        try:
            code = _status_code(started[0])
            bodiless = request.method == b"HEAD" or code in _NO_BODY or code < 200
            head = self._head(conn, request, started[0], started[1], code, None if bodiless else size)
        except ValueError:
            body.close()
            self._queue_error(conn, 500, "the server failed to answer this request")
            return
        conn.out.append(memoryview(head))
        if bodiless or size <= 0:
            body.close()
            return
        conn.out.append(_FilePart(file, offset, size, body))

    def _head(self, conn: _Connection, request: _Request, status: str, headers: list[tuple[str, str]], code: int,
              size: int | None) -> bytes:
        """The answer's head. ``size``: the body's length (None: no body follows). Raises ``ValueError`` for
        a header HTTP cannot carry."""
        lines = [f"HTTP/1.1 {status}"]
        has_length = False
        for name, value in headers:
            if "\r" in value or "\n" in value or not _TOKEN.fullmatch(name):
                raise ValueError(f"header {name!r} cannot be sent")
            lower = name.lower()
            if lower in ("connection", "transfer-encoding", "keep-alive"):
                continue
            if lower == "content-length":
                if size is not None or code < 200 or code == 204:
                    continue  # the length actually sent (and none at all where HTTP forbids one)
                has_length = True
            lines.append(f"{name}: {value}")
        if size is not None:
            lines.append(f"Content-Length: {size}")
        elif not has_length and request.method != b"HEAD" and code not in _NO_BODY and code >= 200:
            lines.append("Content-Length: 0")
        lines.append(f"Date: {self._http_date()}")
        lines.append(f"Server: {self.limits.ident}")
        if not self._accepting:  # stopping: this answer is the connection's last (the app may have run long)
            conn.close_after = True
        if conn.close_after:
            lines.append("Connection: close")
        elif request.version == "1.0":
            lines.append("Connection: keep-alive")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _queue_error(self, conn: _Connection, status: int, message: str) -> None:
        conn.close_after = True
        conn.linger = True
        body = f"{_REASONS.get(status, 'Error')}\n\n{message}\n".encode()
        conn.out.append(memoryview(
            (f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\nContent-Type: text/plain; charset=utf-8\r\n"
             f"Content-Length: {len(body)}\r\nDate: {self._http_date()}\r\nServer: {self.limits.ident}\r\n"
             "Connection: close\r\n\r\n").encode("latin-1") + body))

    def _refuse(self, conn: _Connection, refused: _Refused) -> None:
        conn.reader.done.clear()
        conn.out.clear()
        self._queue_error(conn, refused.status, str(refused))
        if self._flush(conn):
            self._finish(conn)

    def _http_date(self) -> str:
        now = int(time.time())
        if self._date[0] != now:
            self._date = (now, formatdate(now, usegmt=True))
        return self._date[1]

    # --- sending -----------------------------------------------------------------------------------------
    def _flush(self, conn: _Connection) -> bool:
        """Send what ``conn.out`` holds without blocking. True when all is sent; otherwise the socket is armed
        for writing (and False)."""
        out = conn.out
        try:
            while out:
                item = out[0]
                if isinstance(item, _FilePart):
                    while item.left > 0:
                        sent = os.sendfile(conn.fd, item.file.fileno(), item.offset, min(item.left, _SENDFILE_BLOCK))
                        if sent == 0:  # the file shrank under us: the promised length cannot be kept
                            self._close(conn)
                            return False
                        item.offset += sent
                        item.left -= sent
                        conn.active = time.monotonic()
                    out.popleft()
                    item.owner.close()
                    continue
                sent = conn.sock.send(item)
                conn.active = time.monotonic()
                if sent < len(item):
                    out[0] = item[sent:]
                    continue
                out.popleft()
        except (BlockingIOError, InterruptedError):
            self._arm(conn, _ARM_WRITE)
            return False
        except OSError:
            self._close(conn)
            return False
        return True

    def _sent(self, conn: _Connection) -> bool:
        """Send what ``conn.out`` holds; True when all is sent and the connection stays open (this thread
        still owns it), False when the rest waits for the socket to drain or the connection was closed."""
        if not self._flush(conn):
            return False
        if conn.close_after:
            self._finish(conn)
            return False
        return True

    def _finish(self, conn: _Connection) -> None:
        """Close ``conn`` after its last answer. After a refusal the client may still be sending (a body
        refused from its declared length): closing with unread bytes would reset the connection and could
        destroy the answer before the client reads it, so the sending side is shut and the rest read and
        dropped (for at most ``_LINGER`` s) first."""
        if not conn.linger:
            self._close(conn)
            return
        with contextlib.suppress(OSError):
            conn.sock.shutdown(socket.SHUT_WR)
        conn.began = time.monotonic()
        self._drain(conn)

    def _drain(self, conn: _Connection) -> None:
        try:
            while conn.sock.recv(_READ_SIZE):
                pass
        except (BlockingIOError, InterruptedError):
            self._arm(conn, _ARM_READ)
            return
        except OSError:
            pass
        self._close(conn)

    def _arm(self, conn: _Connection, mask: int) -> None:
        """Give ``conn`` back to the epoll set (this thread no longer owns it)."""
        conn.busy = False
        try:
            self._epoll.modify(conn.fd, mask)
        except (OSError, ValueError):
            self._close(conn)

    def _close(self, conn: _Connection) -> None:
        if conn.closed:
            return
        conn.closed = True
        conn.busy = False
        if self._conns.get(conn.fd) is conn:
            del self._conns[conn.fd]
        with contextlib.suppress(OSError, ValueError):
            self._epoll.unregister(conn.fd)
        for item in conn.out:
            if isinstance(item, _FilePart):
                item.owner.close()
        conn.out.clear()
        with contextlib.suppress(OSError):
            conn.sock.close()
        if self._listener_paused:
            self._resume_listener()


def _status_code(status: str) -> int:
    """The code of a WSGI status line (``"200 OK"``); ``ValueError`` for anything else."""
    if not _STATUS.fullmatch(status):
        raise ValueError(f"not an HTTP status line: {status!r}")
    return int(status[:3])


def _has_fileno(file: Any) -> bool:
    try:
        file.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False
    return True
