"""A sandbox pool with a toy handler, run as its own process by tests/server/test_sandbox.py:
``python -m tests.server._toy_pool RUN_DIR SIZE LONG_SLOTS``. Jobs: ``{"do": "echo"|"sleep"|"burn"|"spin"|
"crash"|"allocate"|"nice", ...}``."""

from __future__ import annotations

import ctypes
import hashlib
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

from cstograph.server.sandbox import Frame, Kind, PoolLimits, PoolSpec, run_supervisor


def _burn(seconds: float) -> None:
    """Use ``seconds`` of this thread's CPU (not wall time: the machine may be busy)."""
    data = b"x" * (1 << 20)
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        hashlib.sha256(data).digest()


def handle(frame: Frame) -> Frame:
    do = frame.header.get("do")
    if do == "echo":
        return Frame(Kind.OK, {"pid": os.getpid()}, frame.body)
    if do == "sleep":
        time.sleep(float(frame.header["seconds"]))  # type: ignore[arg-type]
        return Frame(Kind.OK, {"pid": os.getpid()})
    if do == "burn":  # CPU in the job thread with the GIL released (hashing large buffers)
        _burn(float(frame.header["seconds"]))  # type: ignore[arg-type]
        return Frame(Kind.OK, {"pid": os.getpid()})
    if do == "spin":  # CPU without the GIL released: a pure-Python loop holding the interpreter
        end = time.monotonic() + float(frame.header["seconds"])  # type: ignore[arg-type]
        while time.monotonic() < end:
            pass
        return Frame(Kind.OK, {"pid": os.getpid()})
    if do == "crash":  # as a fault in the engine: SIGSEGV to the job's own thread (a kill() of the process may
        signal.pthread_kill(threading.get_ident(), signal.SIGSEGV)  # be taken by another thread, later)
    if do == "allocate":  # memory the process may not have: the ceiling makes the allocation fail
        size = int(frame.header["mb"]) * 1024 * 1024  # type: ignore[call-overload]
        buffer = ctypes.create_string_buffer(size)
        return Frame(Kind.OK, {"pid": os.getpid(), "size": len(buffer)})
    if do == "nice":  # the niceness of the job's own thread, once it has run long
        _burn(float(frame.header["seconds"]))  # type: ignore[arg-type]
        return Frame(Kind.OK, {"nice": os.getpriority(os.PRIO_PROCESS, 0), "pid": os.getpid()})
    return Frame(Kind.REFUSED, {"status": 400, "message": f"unknown job {do!r}"})


def main() -> None:
    run_dir, size, long_slots = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    limits = PoolLimits(size=size, long_slots=long_slots, memory_mb=256, stack_mb=16, slow_after=0.3,
                        demote_after=0.1)
    spec = PoolSpec("toy", run_dir, limits, lambda: handle)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(spec.socket_path))
    listener.listen(64)
    run_supervisor(spec, listener)


if __name__ == "__main__":
    main()
