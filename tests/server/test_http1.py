"""The web worker's HTTP/1.1 server (:mod:`cstograph.server.http1`) on a real loopback socket, with small WSGI
apps: what it reads, what it writes, and what a hostile or slow client can hold.

(The whole server is held to the same rules through gunicorn in ``test_safety.py``; these tests reach the
corners a Flask app does not: pipelining, spooled and file answers, the limits one by one.)
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cstograph.server.http1 import HTTPServer, Limits

from .._netguard import allow

WAIT = 10.0  # "never answered" means not within this many seconds


class Running:
    def __init__(self, server: HTTPServer, port: int) -> None:
        self.server = server
        self.port = port
        self.seen: list[dict[str, Any]] = []

    def connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=WAIT)
        return sock


@contextlib.contextmanager
def serving(app: Callable[..., Any], *, threads: int = 2, **limits: Any) -> Iterator[Running]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = allow(int(listener.getsockname()[1]))
    server = HTTPServer(app, listener, threads=threads, limits=Limits(**limits))
    server.start()
    stop = threading.Event()

    def maintain() -> None:
        while not stop.wait(0.1):
            server.maintain()

    keeper = threading.Thread(target=maintain, daemon=True)
    keeper.start()
    try:
        yield Running(server, port)
    finally:
        stop.set()
        keeper.join()
        server.stop(1.0)
        listener.close()


def echo(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """Answers what it read: method, path, query, the body's length and the body."""
    body = environ["wsgi.input"].read()
    text = (f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} ?{environ['QUERY_STRING']} "
            f"len={environ.get('CONTENT_LENGTH')} ").encode("latin-1") + body
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(text)))])
    return [text]


def slow_at(path: str | None, seconds: float, entered: threading.Event) -> Callable[..., list[bytes]]:
    """An ``echo`` that, for ``path`` (None: every path), sets ``entered`` and takes ``seconds`` first."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if path is None or environ["PATH_INFO"] == path:
            entered.set()
            time.sleep(seconds)
        return echo(environ, start_response)

    return app


_PENDING: weakref.WeakKeyDictionary[socket.socket, bytes] = weakref.WeakKeyDictionary()  # read past an answer


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 answer (status, headers in lower case, body by Content-Length; none for HEAD's)."""
    data = _PENDING.pop(sock, b"")
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed after {data!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    size = 0 if headers.get("x-head") else int(headers.get("content-length", "0"))
    while len(rest) < size:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("closed in the body")
        rest += chunk
    body, leftover = rest[:size], rest[size:]
    if leftover:
        _PENDING[sock] = leftover
    return status, headers, body


def closed(sock: socket.socket) -> bool:
    """Whether the server closed ``sock`` (reads EOF, or a reset) with nothing more to read."""
    try:
        return _PENDING.pop(sock, b"") == b"" and sock.recv(1) == b""
    except ConnectionResetError:
        return True


# --- reading ------------------------------------------------------------------------------------------------
def test_pipelined_requests_are_answered_in_order_on_one_connection() -> None:
    with serving(echo) as srv, srv.connect() as sock:
        sock.sendall(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                     b"GET /b?q=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answers = [read_answer(sock) for _ in range(3)]
        assert [a[2] for a in answers] == [b"POST /a ? len=5 hello", b"GET /b ?q=1 len=None ", b"GET /c ? len=None "]
        assert "close" not in answers[0][1].get("connection", "")
        assert answers[2][1]["connection"] == "close"
        assert closed(sock)


def test_a_thousand_pipelined_requests_in_one_write_are_all_answered_in_order() -> None:
    with serving(echo) as srv, srv.connect() as sock:
        sock.sendall(b"".join(b"GET /%d HTTP/1.1\r\nHost: x\r\n\r\n" % n for n in range(1000)))
        assert [read_answer(sock)[2] for _ in range(1000)] == [b"GET /%d ? len=None " % n for n in range(1000)]


def test_a_chunked_body_is_decoded_and_given_its_length() -> None:
    with serving(echo) as srv, srv.connect() as sock:
        sock.sendall(b"POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        assert read_answer(sock)[2] == b"POST /p ? len=11 hello world"


def test_the_environ_as_pep_3333_and_waitress_gave_it() -> None:
    seen: list[dict[str, Any]] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        seen.append(dict(environ))
        start_response("204 No Content", [])
        return []

    with serving(app) as srv, srv.connect() as sock:
        sock.sendall(b"GET //a%20b/%E2%9C%93?x=%20y HTTP/1.1\r\nHost: example.org:8080\r\nX-Twice: 1\r\n"
                     b"X-Twice: 2\r\nX_Forwarded_For: 6.6.6.6\r\nContent-Type: text/plain\r\n\r\n")
        status, headers, body = read_answer(sock)
    assert (status, body) == (204, b"")
    assert "content-length" not in headers
    environ = seen[0]
    assert environ["PATH_INFO"] == "/a b/\u00e2\u009c\u0093"  # leading slashes folded; bytes as latin-1
    assert environ["QUERY_STRING"] == "x=%20y"
    assert environ["HTTP_HOST"] == "example.org:8080"
    assert environ["HTTP_X_TWICE"] == "1, 2"
    assert "HTTP_X_FORWARDED_FOR" not in environ  # a header with underscores is dropped
    assert environ["CONTENT_TYPE"] == "text/plain"
    assert environ["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert environ["REMOTE_ADDR"] == "127.0.0.1"
    assert environ["wsgi.input"].read() == b""


def test_expect_100_continue_is_answered_before_the_body() -> None:
    with serving(echo) as srv, srv.connect() as sock:
        sock.sendall(b"POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
        assert sock.recv(1024) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"abc")
        assert read_answer(sock)[2] == b"POST /e ? len=3 abc"


def test_http_1_0_closes_unless_kept_alive() -> None:
    with serving(echo) as srv:
        with srv.connect() as sock:
            sock.sendall(b"GET /x HTTP/1.0\r\n\r\n")
            assert read_answer(sock)[0] == 200
            assert closed(sock)
        with srv.connect() as sock:
            sock.sendall(b"GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            status, headers, _ = read_answer(sock)
            assert (status, headers["connection"]) == (200, "keep-alive")
            sock.sendall(b"GET /y HTTP/1.0\r\n\r\n")
            assert read_answer(sock)[2] == b"GET /y ? len=None "


# --- refusals -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("sent", "status"), [
    (b"NOT HTTP AT ALL\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
    (b"GET / HTTP/1.1\r\nBad Header\r\n\r\n", 400),
    # refused from its declared length: the client is still sending when the answer comes
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n" + b"x" * 100, 413),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + b"400\r\n" + b"x" * 1024 + b"\r\n", 413),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"y" * 5000 + b"\r\n\r\n", 431),
    (b"GET /" + b"z" * 5000 + b" HTTP/1.1\r\n", 431),  # a head past the limit, not even complete
])
def test_bad_requests_get_a_4xx_then_the_connection_closes(sent: bytes, status: int) -> None:
    with serving(echo, max_body_bytes=1000, max_header_bytes=4096) as srv:
        with srv.connect() as sock:
            sock.sendall(sent)
            got, headers, body = read_answer(sock)
            assert (got, headers["connection"]) == (status, "close")
            assert body.startswith(b"Bad Request" if status == 400 else b"Content Too" if status == 413
                                   else b"Request Header")
            assert closed(sock)
        with srv.connect() as sock:  # and the server answers the next client
            sock.sendall(b"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_answer(sock)[0] == 200


def test_an_app_that_fails_gets_a_500_and_the_server_goes_on() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if environ["PATH_INFO"] == "/boom":
            raise RuntimeError("boom")
        return echo(environ, start_response)

    with serving(app) as srv:
        with srv.connect() as sock:
            sock.sendall(b"GET /boom HTTP/1.1\r\nHost: x\r\n\r\n")
            status, _, body = read_answer(sock)
            assert status == 500 and b"boom" not in body
        with srv.connect() as sock:
            sock.sendall(b"GET /fine HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_answer(sock)[0] == 200


# --- what a client can hold -----------------------------------------------------------------------------------
def test_clients_that_trickle_their_request_hold_no_thread() -> None:
    with serving(echo, threads=1) as srv:
        tricklers = [srv.connect() for _ in range(5)]
        try:
            for sock in tricklers:
                sock.sendall(b"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
            with srv.connect() as sock:
                sock.sendall(b"GET /quick HTTP/1.1\r\nHost: x\r\n\r\n")
                assert read_answer(sock)[2] == b"GET /quick ? len=None "
            for sock in tricklers:  # and they are answered once they finish
                sock.sendall(b"cdefghij")
                assert read_answer(sock)[2] == b"POST /slow ? len=10 abcdefghij"
        finally:
            for sock in tricklers:
                sock.close()


def test_a_client_that_does_not_read_its_answer_holds_no_thread() -> None:
    big = bytes(range(256)) * (128 * 1024)  # 32 MiB: more than loopback's socket buffers hold; past the spool size

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["PATH_INFO"] == "/big":
            start_response("200 OK", [("Content-Type", "application/octet-stream")])
            return (big[i:i + 65536] for i in range(0, len(big), 65536))
        return echo(environ, start_response)

    with serving(app, threads=1, spool_bytes=1 << 20) as srv, srv.connect() as reader, srv.connect() as other:
        reader.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.3)  # the answer fills the socket's buffers; the rest waits in the server
        other.sendall(b"GET /meanwhile HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_answer(other)[2] == b"GET /meanwhile ? len=None "
        status, headers, body = read_answer(reader)
        assert (status, int(headers["content-length"])) == (200, len(big))
        assert body == big


def test_a_file_from_wsgi_file_wrapper_is_sent_whole(tmp_path: Path) -> None:
    data = bytes(range(256)) * 20_000
    path = tmp_path / "dump.bin"
    path.write_bytes(data)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        file = path.open("rb")
        file.seek(100)
        start_response("200 OK", [("Content-Type", "application/octet-stream"),
                                  ("Content-Length", str(len(data) - 100))])
        return environ["wsgi.file_wrapper"](file, 8192)

    with serving(app) as srv, srv.connect() as sock:
        sock.sendall(b"GET /f HTTP/1.1\r\nHost: x\r\n\r\n")
        status, headers, body = read_answer(sock)
        assert (status, body) == (200, data[100:])
        sock.sendall(b"HEAD /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head = b""
        while chunk := sock.recv(65536):
            head += chunk
        assert head.startswith(b"HTTP/1.1 200") and f"Content-Length: {len(data) - 100}".encode() in head
        assert head.endswith(b"\r\n\r\n")  # HEAD: no body follows


def test_a_request_not_whole_by_its_deadline_is_closed_and_idle_connections_too() -> None:
    with serving(echo, request_timeout=0.5, idle_timeout=1.0) as srv, srv.connect() as late, srv.connect() as idle:
        late.sendall(b"GET /never-finished HTTP/1.1\r\nHost: x\r\n")
        idle.sendall(b"GET /one HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_answer(idle)[0] == 200
        assert closed(late)  # within WAIT
        assert closed(idle)


def test_past_the_connection_limit_new_connections_wait_for_a_place() -> None:
    with serving(echo, connection_limit=2, idle_timeout=60.0) as srv:
        first, second = srv.connect(), srv.connect()
        try:
            for sock in (first, second):
                sock.sendall(b"GET /held HTTP/1.1\r\nHost: x\r\n\r\n")
                assert read_answer(sock)[0] == 200
            with srv.connect() as third:
                third.sendall(b"GET /third HTTP/1.1\r\nHost: x\r\n\r\n")
                third.settimeout(0.5)
                with pytest.raises(TimeoutError):
                    third.recv(1)  # not taken while two are open
                first.close()
                third.settimeout(WAIT)
                assert read_answer(third)[2] == b"GET /third ? len=None "
        finally:
            first.close()
            second.close()


def test_stop_lets_an_answer_in_flight_finish() -> None:
    entered = threading.Event()
    slow = slow_at(None, 0.5, entered)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = allow(int(listener.getsockname()[1]))
    server = HTTPServer(slow, listener, threads=1)
    server.start()
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        sock.sendall(b"GET /inflight HTTP/1.1\r\nHost: x\r\n\r\n")
        assert entered.wait(WAIT)
        stopper = threading.Thread(target=server.stop, args=(5.0,))
        stopper.start()
        assert read_answer(sock)[2] == b"GET /inflight ? len=None "
        stopper.join(WAIT)
        assert not stopper.is_alive()
        assert closed(sock)
    listener.close()


# --- found by review (2026-12-02): each failed before its fix ----------------------------------------------
def test_trailer_fields_never_reach_the_app_and_are_bounded() -> None:
    seen: list[dict[str, Any]] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        seen.append(dict(environ))
        return echo(environ, start_response)

    with serving(app, max_body_bytes=1000, max_header_bytes=4096) as srv:
        with srv.connect() as sock:
            sock.sendall(b"POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n"
                         b"X-Forwarded-For: 6.6.6.6\r\nHost: evil\r\n\r\n")
            assert read_answer(sock)[2] == b"POST /t ? len=3 abc"
        assert "HTTP_X_FORWARDED_FOR" not in seen[0] and seen[0]["HTTP_HOST"] == "x"
        with srv.connect() as sock:  # trailers without end: refused once past the limits, not held in memory
            sock.sendall(b"POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n")
            for _ in range(200):
                try:
                    sock.sendall(b"X-A: " + b"a" * 100 + b"\r\n")
                except OSError:
                    break
            assert read_answer(sock)[0] == 413


def test_a_body_in_tiny_chunks_arrives_whole() -> None:
    body = bytes(range(256)) * 100
    with serving(echo, max_body_bytes=100_000) as srv, srv.connect() as sock:
        sock.sendall(b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     + b"".join(b"2\r\n" + body[i:i + 2] + b"\r\n" for i in range(0, len(body), 2)) + b"0\r\n\r\n")
        assert read_answer(sock)[2] == b"POST /c ? len=25600 " + body


def test_blank_lines_without_a_request_run_out_the_request_deadline() -> None:
    with serving(echo, request_timeout=0.5, idle_timeout=60.0) as srv, srv.connect() as sock:
        for _ in range(40):  # a blank line every 0.1 s: never a request, never idle
            try:
                sock.sendall(b"\r\n")
            except OSError:
                break
            time.sleep(0.1)
        assert closed(sock)


@pytest.mark.parametrize("head", [b"GET / HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"])
def test_an_http_1_1_request_needs_exactly_one_host(head: bytes) -> None:
    with serving(echo) as srv, srv.connect() as sock:
        sock.sendall(head)
        assert read_answer(sock)[0] == 400


def test_a_request_after_connection_close_is_dropped_and_the_first_answered() -> None:
    with serving(echo) as srv, srv.connect() as sock:
        sock.sendall(b"GET /first HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                     b"GET /second HTTP/1.1\r\nHost: x\r\n\r\n")
        status, headers, body = read_answer(sock)
        assert (status, body, headers["connection"]) == (200, b"GET /first ? len=None ", "close")
        assert closed(sock)


def test_100_continue_waits_for_the_answers_before_it() -> None:
    entered = threading.Event()
    slow = slow_at("/a", 0.3, entered)
    with serving(slow) as srv, srv.connect() as sock:
        sock.sendall(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"POST /b HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        assert read_answer(sock)[2] == b"GET /a ? len=None "
        data = _PENDING.pop(sock, b"")
        while len(data) < len(b"HTTP/1.1 100 Continue\r\n\r\n"):
            data += sock.recv(1)
        assert data == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"ok")
        assert read_answer(sock)[2] == b"POST /b ? len=2 ok"


@pytest.mark.parametrize(("status", "headers"), [
    ("OK", [("Content-Type", "text/plain")]),
    ("200 OK", [("X-Name", "caf\u00e9 \u2713")]),
    ("200 OK", [("X-Split", "a\r\nSet-Cookie: x=1")]),
    ("200 OK", [("Bad Name", "v")]),
])
def test_a_status_or_header_http_cannot_carry_is_a_500(status: str, headers: list[tuple[str, str]]) -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response(status, headers)
        return [b"body"]

    with serving(app) as srv, srv.connect() as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        got, answer_headers, _ = read_answer(sock)
        assert got == 500 and "set-cookie" not in answer_headers


def test_answers_without_a_body_carry_none(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 32)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["PATH_INFO"] == "/204":
            start_response("204 No Content", [("Content-Length", "10")])
            return [b""]
        start_response("304 Not Modified", [("ETag", '"e"')])
        return environ["wsgi.file_wrapper"](path.open("rb"))

    with serving(app) as srv, srv.connect() as sock:
        sock.sendall(b"GET /204 HTTP/1.1\r\nHost: x\r\n\r\nGET /304 HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"GET /204 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    answers = data.split(b"\r\n\r\n")
    assert [a.split(b"\r\n")[0] for a in answers[:3]] == [b"HTTP/1.1 204 No Content", b"HTTP/1.1 304 Not Modified",
                                                          b"HTTP/1.1 204 No Content"]
    assert answers[3] == b"" and b"Content-Length" not in answers[0]  # no body, and no length on a 204


def test_stopping_closes_idle_connections_and_says_close_on_the_last_answers() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = allow(int(listener.getsockname()[1]))
    entered = threading.Event()
    server = HTTPServer(slow_at("/slow", 0.5, entered), listener, threads=2)
    server.start()
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as idle, \
            socket.create_connection(("127.0.0.1", port), timeout=WAIT) as busy:
        idle.sendall(b"GET /once HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_answer(idle)[0] == 200
        busy.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        assert entered.wait(WAIT)
        started = time.monotonic()
        stopper = threading.Thread(target=server.stop, args=(5.0,))
        stopper.start()
        assert closed(idle)
        status, headers, body = read_answer(busy)  # the answer in flight, then no more on this connection
        assert (status, body, headers["connection"]) == (200, b"GET /slow ? len=None ", "close")
        assert closed(busy)  # (/after, pipelined behind it, is not answered)
        stopper.join(WAIT)
        assert time.monotonic() - started < 4.0  # not the whole graceful time
    listener.close()
