"""The remote store's HTTP client (:class:`cstograph.store.RemoteConnection`) against a loopback server that
answers with scripted bytes: bodies by length, chunked and delimited by the end of the connection, a
kept-alive connection the server closed, an answer cut at the limit, a malformed answer."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from cstograph.store import RemoteConnection, StaleConnection

from .._netguard import allow

Script = Callable[[socket.socket, bytes], bool]  # (connection, request bytes) -> keep the connection open?


def _read_request(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = sock.recv(65536)
        except OSError:  # (reset by a client that dropped the connection)
            return b""
        if not chunk:
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


@contextmanager
def scripted(script: Script) -> Iterator[tuple[int, list[bytes], list[int]]]:
    """A server on 127.0.0.1 answering each request with ``script``; yields (port, requests seen,
    connections accepted)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = allow(int(listener.getsockname()[1]))
    seen: list[bytes] = []
    accepted: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            accepted.append(1)
            with conn:
                while True:
                    request = _read_request(conn)
                    if not request:
                        break
                    seen.append(request)
                    if not script(conn, request):
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port, seen, accepted
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def answer(body: bytes, *, extra: bytes = b"", status: bytes = b"200 OK") -> bytes:
    return (b"HTTP/1.1 " + status + b"\r\nContent-Type: text/plain\r\nContent-Length: " + str(len(body)).encode()
            + b"\r\n" + extra + b"\r\n" + body)


def test_a_request_goes_in_one_piece_and_the_connection_is_kept() -> None:
    def script(conn: socket.socket, request: bytes) -> bool:
        conn.sendall(answer(b"seen " + request.split(b"\r\n\r\n", 1)[1]))
        return True

    with scripted(script) as (port, seen, accepted):
        client = RemoteConnection("http", "127.0.0.1", port, timeout=5)
        for n in range(3):
            got = client.exchange("POST", "/q?x=1", headers={"Accept": "text/plain"}, body=b"query=%d" % n)
            assert (got.status, got.body, got.complete, got.keep_alive) == (200, b"seen query=%d" % n, True, True)
            assert got.header("Content-Type") == "text/plain"
        client.close()
    assert len(accepted) == 1  # one connection for the three
    head = seen[0].split(b"\r\n\r\n")[0].split(b"\r\n")
    assert head[0] == b"POST /q?x=1 HTTP/1.1"
    assert b"Host: 127.0.0.1:%d" % port in head and b"Content-Length: 7" in head and b"Accept: text/plain" in head


def test_chunked_and_connection_delimited_bodies() -> None:
    def script(conn: socket.socket, request: bytes) -> bool:
        if request.startswith(b"GET /chunked"):
            conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
            return True
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/csv\r\n\r\nuntil,the,end\r\n")
        return False  # closes: the end of the body

    with scripted(script) as (port, _, accepted):
        client = RemoteConnection("http", "127.0.0.1", port, timeout=5)
        got = client.exchange("GET", "/chunked", headers={})
        assert (got.body, got.keep_alive) == (b"hello world", True)
        got = client.exchange("GET", "/closed", headers={})
        assert (got.body, got.complete, got.keep_alive) == (b"until,the,end\r\n", True, False)
        got = client.exchange("GET", "/chunked", headers={})  # a new connection
        assert got.body == b"hello world"
        client.close()
    assert len(accepted) == 2


def test_a_kept_alive_connection_the_server_closed_is_reported_stale() -> None:
    def script(conn: socket.socket, request: bytes) -> bool:
        conn.sendall(answer(b"once"))
        return False  # closes without saying so

    with scripted(script) as (port, _, _):
        client = RemoteConnection("http", "127.0.0.1", port, timeout=5)
        assert client.exchange("GET", "/", headers={}).body == b"once"
        with pytest.raises(StaleConnection):
            client.exchange("GET", "/", headers={})
        assert client.exchange("GET", "/", headers={}).body == b"once"  # and the next opens anew
        client.close()


def test_an_answer_past_the_limit_is_cut_and_the_connection_dropped() -> None:
    big = b"x" * 300_000

    def script(conn: socket.socket, request: bytes) -> bool:
        with contextlib.suppress(OSError):  # (the client drops the connection)
            conn.sendall(answer(big))
        return True

    with scripted(script) as (port, _, accepted):
        client = RemoteConnection("http", "127.0.0.1", port, timeout=5)
        got = client.exchange("GET", "/", headers={}, limit=1000)
        assert not got.complete and 1000 < len(got.body) < len(big)
        got = client.exchange("GET", "/", headers={}, limit=1_000_000)
        assert got.complete and got.body == big
        client.close()
    assert len(accepted) == 2


def test_a_malformed_answer_or_a_silent_server() -> None:
    def script(conn: socket.socket, request: bytes) -> bool:
        if request.startswith(b"GET /garbage"):
            conn.sendall(b"NOT HTTP\r\n\r\n")
        return True  # /silent: never answers

    with scripted(script) as (port, _, _):
        client = RemoteConnection("http", "127.0.0.1", port, timeout=5)
        with pytest.raises(ValueError, match="malformed HTTP answer"):
            client.exchange("GET", "/garbage", headers={})
        with pytest.raises(TimeoutError):
            client.exchange("GET", "/silent", headers={}, timeout=0.3)
        client.close()


# --- found by review (2026-12-02) ---------------------------------------------------------------------------
def test_interim_answers_are_skipped_and_answers_stay_paired_with_their_requests() -> None:
    count = [0]

    def script(conn: socket.socket, request: bytes) -> bool:
        count[0] += 1
        conn.sendall(b"HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n")
        time.sleep(0.05)  # (the final answer in a packet of its own)
        conn.sendall(answer(b"answer to request %d" % count[0]))
        return True

    with scripted(script) as (port, _, _):
        client = RemoteConnection("http", "127.0.0.1", port, timeout=5)
        for n in (1, 2):
            got = client.exchange("GET", "/", headers={})
            assert (got.status, got.body) == (200, b"answer to request %d" % n)
            assert "link" not in got.headers
        client.close()


def test_an_upload_refused_before_its_end_gets_the_servers_answer() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = allow(int(listener.getsockname()[1]))

    def refuse_early() -> None:
        conn, _ = listener.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            conn.sendall(answer(b"too large", status=b"413 Content Too Large", extra=b"Connection: close\r\n"))
            conn.shutdown(socket.SHUT_WR)
            time.sleep(0.5)  # then it goes away with the body unread (a reset)

    thread = threading.Thread(target=refuse_early, daemon=True)
    thread.start()
    client = RemoteConnection("http", "127.0.0.1", port, timeout=5)
    got = client.exchange("PUT", "/graph", headers={"Content-Type": "application/n-triples"}, body=b"x" * 20_000_000)
    assert (got.status, got.body) == (413, b"too large")
    client.close()
    thread.join(5)
    listener.close()


def test_an_ipv6_host_is_bracketed() -> None:
    try:
        listener = socket.socket(socket.AF_INET6)
        listener.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    listener.listen(1)
    port = allow(int(listener.getsockname()[1]))
    heads: list[bytes] = []

    def serve_one() -> None:
        conn, _ = listener.accept()
        with conn:
            heads.append(_read_request(conn))
            conn.sendall(answer(b"ok"))

    thread = threading.Thread(target=serve_one, daemon=True)
    thread.start()
    client = RemoteConnection("http", "::1", port, timeout=5)
    assert client.exchange("GET", "/", headers={}).body == b"ok"
    client.close()
    thread.join(5)
    listener.close()
    assert b"\r\nHost: [::1]:%d\r\n" % port in heads[0]
