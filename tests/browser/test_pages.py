"""What a person sees, in a real browser: Debian's headless chromium drives pages served by a real
``cstograph serve`` process on 127.0.0.1. Chromium is driven over its DevTools protocol through a small
WebSocket client (RFC 6455) written here on the standard library: no browser download, no driver."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import _netguard
from tests.conftest import PROJECT_DIR, RunningServer, require_tool, start_server, stop_process, stop_server

pytestmark = pytest.mark.browser


class DevTools:
    """A minimal Chrome DevTools Protocol client over one WebSocket (client frames masked, §5.3)."""

    def __init__(self, ws_url: str) -> None:
        rest = ws_url.split("://", 1)[1]
        hostport, _, path = rest.partition("/")
        host, _, port = hostport.partition(":")
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("websocket handshake failed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.decode(errors="replace"))
        self.next_id = 0

    def close(self) -> None:
        self.sock.close()

    def _recv_exact(self, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("websocket closed")
            buf += chunk
        return buf

    def _send(self, text: str) -> None:
        payload = text.encode()
        header = bytes([0x81])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _recv(self) -> str:
        message = b""
        while True:
            b1, b2 = self._recv_exact(2)
            n = b2 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._recv_exact(8))[0]
            payload = self._recv_exact(n)
            if b1 & 0x0F == 0x9:  # ping: answer pong
                continue
            message += payload
            if b1 & 0x80:
                return message.decode()

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self._recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(msg["error"])
                return msg.get("result", {})  # type: ignore[no-any-return]

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, expression: str, *, timeout: float = 30) -> Any:
        """Poll until ``expression`` is truthy (a wait, not a timed assertion)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"never true in the page: {expression}")
            time.sleep(0.1)

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)
        self.wait_for(f"location.href.startsWith({json.dumps(url.split('#')[0].rsplit('/', 1)[0])}) "
                      "&& document.readyState === 'complete'")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    exe = require_tool("chromium")
    profile = tmp_path_factory.mktemp("chromium-profile")
    proc = subprocess.Popen(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
         "--window-size=1280,1000", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and port_file.read_text().strip()):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = _netguard.allow(int(port_file.read_text().split()[0]))  # the port chromium chose
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:  # noqa: S310 - loopback
            pages = [t for t in json.loads(r.read()) if t.get("type") == "page"]
        tools = DevTools(pages[0]["webSocketDebuggerUrl"])
        tools.call("Page.enable")
        tools.call("Runtime.enable")
        yield tools
        tools.close()
    finally:
        stop_process(proc)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """The project's real data files served as they are (no build needed)."""
    files = [PROJECT_DIR / "ontology" / "cstograph.ttl", *sorted((PROJECT_DIR / "data").glob("*.ttl")),
             *sorted((PROJECT_DIR / "data" / "links").glob("*.ttl"))]
    server = start_server(["--data", *map(str, files)], tmp_path_factory.mktemp("site") / "server.log")
    try:
        yield server
    finally:
        stop_server(server)


def test_resource_page_shows_label_timeline_and_sources(browser: DevTools, site: RunningServer) -> None:
    browser.open(site.url + "/id/state/ARM")
    assert browser.evaluate("location.pathname") == "/id/state/ARM.html"  # 303 followed to the HTML document
    heading = browser.evaluate("document.querySelector('h1').innerText")
    assert "Armenia" in heading and "Армения" in heading
    # The membership timeline is drawn and visible: bars with a real size on screen.
    bars = browser.evaluate("""Array.from(document.querySelectorAll('svg.timeline rect.bar')).map(function(r){
        var b = r.getBoundingClientRect(); return {w: b.width, h: b.height, start: r.dataset.start}; })""")
    assert len(bars) >= 2 and all(b["w"] > 0 and b["h"] > 0 for b in bars)
    assert any(b["start"].startswith("1992") for b in bars)
    # A source with its quote, as the reader sees it.
    quotes = browser.evaluate("Array.from(document.querySelectorAll('blockquote.quote'))"
                              ".map(function(q){return q.innerText;})")
    assert quotes and all(q.startswith("“") and len(q) > 10 for q in quotes)
    # Following a link to a related resource opens its page.
    href = browser.evaluate("document.querySelector('#memberships a[href^=\"/id/membership/\"], "
                            "table.related a[href^=\"/id/membership/\"]').getAttribute('href')")
    browser.open(site.url + href)
    assert "/id/membership/" in browser.evaluate("location.pathname")
    assert browser.evaluate("document.querySelector('h1').innerText")


def test_query_page_runs_an_example_query_and_shows_a_table(browser: DevTools, site: RunningServer) -> None:
    browser.open(site.url + "/sparql")
    if not browser.evaluate("!!document.getElementById('examples')"):
        pytest.fail("no query page with examples at /sparql")
    chosen = browser.evaluate("""(function(){
        var s = document.getElementById('examples');
        var opt = Array.from(s.options).find(function(o){ return /treaty-signatories/.test(o.value); })
                  || Array.from(s.options).find(function(o){ return o.value; });
        s.value = opt.value; s.dispatchEvent(new Event('change'));
        return opt.value; })()""")
    assert chosen
    assert browser.evaluate("document.getElementById('query').value.length") > 20
    browser.evaluate("document.getElementById('run').click()")
    rows = browser.wait_for("document.querySelectorAll('#out table tr').length")
    assert rows >= 2  # a header row and at least one result
    status = browser.evaluate("document.getElementById('status').innerText")
    assert "rows" in status
    headers = browser.evaluate("Array.from(document.querySelectorAll('#out table th'))"
                               ".map(function(t){return t.innerText;})")
    assert headers and all(h.startswith("?") for h in headers)


@pytest.mark.parametrize("path", ["/", "/timeline", "/sparql", "/ontology", "/id/", "/id/state/", "/id/state/ARM",
                                  "/search?q=armenia", "/no/such/page"])
def test_every_page_shows_the_site_header_with_its_search_box(browser: DevTools, site: RunningServer,
                                                             path: str) -> None:
    browser.open(site.url + path)
    assert browser.evaluate("document.contentType") == "text/html", path
    shown = browser.evaluate("""(function(){
        var box = document.querySelector('header.site form.search input[name=q]');
        if (!box) return null;
        var r = box.getBoundingClientRect(), h = document.querySelector('header.site').getBoundingClientRect();
        return {box: r.width > 0 && r.height > 0, header: h.width > 0 && h.height > 0}; })()""")
    assert shown == {"box": True, "header": True}, path


def test_timeline_picture_renders(browser: DevTools, site: RunningServer, tmp_path: Path) -> None:
    browser.open(site.url + "/timeline")
    assert browser.evaluate("document.contentType") == "text/html"  # a page of the site around the picture
    assert browser.evaluate("!!document.querySelector('header.site form.search input[name=q]')")
    rows = browser.evaluate("document.querySelectorAll('main svg.timeline g.row').length")
    assert rows >= 6
    shot = browser.call("Page.captureScreenshot", format="png")
    png = base64.b64decode(shot["data"])
    assert png.startswith(b"\x89PNG")
    (tmp_path / "timeline.png").write_bytes(png)
