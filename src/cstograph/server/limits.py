"""Limits of the endpoint: the result-size cap, in-process deadlines, and operator metrics.

Served queries run in sandbox processes (:mod:`.sandbox`), which end a runaway at its deadline. In-process
execution (tests, the development server) uses :class:`QueryRunner`: pyoxigraph releases the GIL while it
evaluates and serialises, so each job runs in a reusable daemon thread while the request thread waits for
it with a deadline; a runaway there keeps its thread until it ends on its own.

Size cap. Results are serialised by Oxigraph into a :class:`CappedWriter`, which counts bytes and rows
and raises :class:`ResultTooLarge` as soon as a cap is passed, which stops the serialisation.
"""

from __future__ import annotations

import csv
import ctypes
import io
import json
import multiprocessing
import os
import queue
import re
import threading
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

import pyoxigraph as ox

__all__ = ["CappedWriter", "Metrics", "QueryRunner", "QueryTimeout", "ResultTooLarge"]

T = TypeVar("T")


class QueryTimeout(Exception):
    """The query did not finish within its time limit. ``finished`` is set when it ends after all."""

    def __init__(self, message: str, finished: threading.Event | None = None) -> None:
        super().__init__(message)
        self.finished = finished if finished is not None else threading.Event()


class ResultTooLarge(Exception):
    """The result passed the row or byte cap."""


class QueryRunner:
    """Runs callables in reusable daemon threads, each waited for with a deadline.

    A thread whose task passes its deadline stays busy until the task ends (or the process does); the
    runner simply starts another thread when no idle one is left. Reusing threads matters: starting a
    thread per query cost 0.3–0.6 ms, a hand-off to an idle one about 0.05 ms (measured on this machine).
    Safe across ``fork`` (gunicorn preloading): a child starts with no threads and a fresh queue.
    """

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._tasks: queue.SimpleQueue[tuple[Callable[[], object], dict[str, object], threading.Event]] = (
            queue.SimpleQueue())
        self._idle = 0

    def _loop(self) -> None:
        tasks = self._tasks
        while True:
            fn, box, done = tasks.get()
            _call(fn, box, done)
            del fn, box, done
            with self._lock:
                if tasks is not self._tasks:  # the runner was reset (fork): retire
                    return
                self._idle += 1

    def run(self, fn: Callable[[], T], timeout: float) -> T:
        """``fn()``'s value or exception, or :class:`QueryTimeout` after ``timeout`` seconds."""
        box: dict[str, object] = {}
        done = threading.Event()
        with self._lock:
            if self._idle:
                self._idle -= 1
            else:
                threading.Thread(target=self._loop, name="cstograph-query", daemon=True).start()
        self._tasks.put((fn, box, done))
        return _outcome(box, done, timeout)  # type: ignore[return-value]


def _call(fn: Callable[[], object], box: dict[str, object], done: threading.Event) -> None:
    try:
        box["value"] = fn()
    except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
        # pyoxigraph result objects are thread-bound ("unsendable"): drop the frames' locals here,
        # not in the thread that re-raises the exception.
        cause: BaseException | None = exc
        while cause is not None:
            traceback.clear_frames(cause.__traceback__)
            cause = cause.__cause__ or cause.__context__
        box["error"] = exc
    finally:
        done.set()


def _outcome(box: dict[str, object], done: threading.Event, timeout: float) -> object:
    if not done.wait(timeout):
        raise QueryTimeout(f"the query ran longer than its time limit of {timeout:g} s and was stopped", done)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]


# Row boundaries in each results serialisation (counted on the bytes Oxigraph writes).
_ROW_MARKERS: dict[str, re.Pattern[bytes]] = {
    "json": re.compile(rb"\},\{|\[\{"),  # "bindings":[{…},{…}]; JSON escapes '"', so '},{"' is structural
    "xml": re.compile(rb"<result>"),  # '<' is escaped inside XML text
    "csv": re.compile(rb"\r\n"),  # one header line
    "tsv": re.compile(rb"\n"),  # TSV escapes newlines in terms; one header line
}


def check_answer(body: bytes, results_format: str, *, max_bytes: int, max_rows: int) -> None:
    """Apply the caps to an answer serialised elsewhere (a remote server's, passed through): raises
    :class:`ResultTooLarge` past ``max_bytes`` bytes or ``max_rows`` rows. Rows are bounded from above by a
    byte count first (each JSON row holds a ``{``, each XML row a ``<result``, each CSV/TSV row a newline,
    whatever the server's layout), and counted exactly only when that bound passes the cap."""
    if len(body) > max_bytes:
        raise ResultTooLarge(f"the result is larger than the limit of {max_bytes} bytes")
    bound = body.count(_ROW_BOUNDS[results_format])
    if bound > max_rows and _exact_rows(body, results_format) > max_rows:
        raise ResultTooLarge(f"the result has more than the limit of {max_rows} rows; add a LIMIT")


_ROW_BOUNDS = {"json": b"{", "xml": b"<result", "csv": b"\n", "tsv": b"\n"}


def _exact_rows(body: bytes, results_format: str) -> int:
    if results_format == "json":
        return len(json.loads(body).get("results", {}).get("bindings", []))
    if results_format == "csv":
        return max(0, sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1)
    fmt = ox.QueryResultsFormat.XML if results_format == "xml" else ox.QueryResultsFormat.TSV
    result = ox.parse_query_results(body, format=fmt)
    return sum(1 for _ in result) if isinstance(result, ox.QuerySolutions) else 0


class CappedWriter:
    """A binary sink that stops a serialisation past ``max_bytes`` bytes or ``max_rows`` result rows."""

    def __init__(self, *, max_bytes: int, max_rows: int | None = None, results_format: str | None = None) -> None:
        self.max_bytes = max_bytes
        self.max_rows = max_rows
        self._marker = _ROW_MARKERS.get(results_format or "") if max_rows is not None else None
        self._header_rows = 1 if results_format in ("csv", "tsv") else 0
        self._chunks: list[bytes] = []
        self._size = 0
        self._rows = 0
        self._tail = b""

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        self._size += len(chunk)
        if self._size > self.max_bytes:
            raise ResultTooLarge(f"the result is larger than the limit of {self.max_bytes} bytes")
        if self._marker is not None and self.max_rows is not None:
            window = self._tail + chunk
            self._rows += len(self._marker.findall(window)) - len(self._marker.findall(self._tail))
            self._tail = window[-4:]
            if self._rows - self._header_rows > self.max_rows:
                raise ResultTooLarge(f"the result has more than the limit of {self.max_rows} rows; add a LIMIT")
        self._chunks.append(chunk)
        return len(chunk)

    def flush(self) -> None:
        """File-like protocol."""

    def getvalue(self) -> bytes:
        return b"".join(self._chunks)


class Metrics:
    """Counters of all serving processes, with nothing a dying process can leave held.

    The counters live in anonymous shared memory allocated before the processes are forked, one row
    (*slot*) per process: a process writes only its own row (under a lock of its own threads, which dies
    with it), and a reader sums the rows without locking. A process that ends leaves its row's totals; the
    next process given that slot (:meth:`bind`, done by the arbiter's fork hooks) adds to them.
    """

    FIELDS = ("requests", "queries", "errors", "client_errors", "timeouts", "too_large", "busy", "crashes",
              "latency_sum_ms", "latency_max_ms")
    BUCKETS = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)

    def __init__(self, slots: int = 64) -> None:
        self.slots = slots
        self._width = len(self.FIELDS) + len(self.BUCKETS) + 1
        self._values = multiprocessing.RawArray(ctypes.c_double, slots * self._width)
        self._slot = 0
        self._lock = threading.Lock()
        self.started = time.time()
        os.register_at_fork(after_in_child=self._after_fork)

    def _after_fork(self) -> None:
        self._lock = threading.Lock()

    def bind(self, slot: int) -> None:
        """Write this process's counts to row ``slot`` (0 ≤ slot < ``slots``)."""
        if not 0 <= slot < self.slots:
            raise ValueError(f"metrics slot {slot} outside 0..{self.slots - 1}")
        self._slot = slot

    def _index(self, name: str) -> int:
        return self._slot * self._width + self.FIELDS.index(name)

    def add(self, name: str, amount: float = 1.0) -> None:
        index = self._index(name)
        with self._lock:
            self._values[index] += amount

    def observe_latency(self, ms: float) -> None:
        row = self._slot * self._width
        bucket = next((i for i, b in enumerate(self.BUCKETS) if ms <= b), len(self.BUCKETS))
        with self._lock:
            self._values[self._index("latency_sum_ms")] += ms
            slot = self._index("latency_max_ms")
            self._values[slot] = max(self._values[slot], ms)
            self._values[row + len(self.FIELDS) + bucket] += 1

    def snapshot(self) -> dict[str, object]:
        """The counters summed over all processes (maxima: the largest)."""
        width = self._width
        raw = list(self._values)
        rows = [raw[i * width:(i + 1) * width] for i in range(self.slots)]
        totals = [sum(column) for column in zip(*rows, strict=True)]
        max_index = self.FIELDS.index("latency_max_ms")
        totals[max_index] = max(row[max_index] for row in rows)
        out: dict[str, object] = {}
        for i, name in enumerate(self.FIELDS):
            out[name] = totals[i] if name.startswith("latency") else int(totals[i])
        queries = out["queries"] or 1
        out["latency_mean_ms"] = round(totals[self.FIELDS.index("latency_sum_ms")] / queries, 3)
        labels = [f"le_{b}ms" for b in self.BUCKETS] + ["gt_10000ms"]
        out["latency_histogram"] = {label: int(totals[len(self.FIELDS) + i]) for i, label in enumerate(labels)}
        out["uptime_s"] = round(time.time() - self.started, 1)
        return out
