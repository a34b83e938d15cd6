"""Frames between a serving worker and a sandbox process, over a Unix stream socket.

A frame is ``kind`` (1 byte), a JSON header (4-byte big-endian length) and a body (4-byte length). JSON, not
pickle: the peers are ours, but the header carries the client's query text, and JSON cannot run code.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from dataclasses import dataclass, field

__all__ = ["Frame", "FrameError", "Kind", "read_frame", "write_frame"]

_PREFIX = struct.Struct(">BI")
_LENGTH = struct.Struct(">I")
#: The largest header accepted (the header holds the query: the request body limit bounds it first).
MAX_HEADER = 16 * 1024 * 1024


class Kind:
    """Frame kinds."""

    REQUEST = 1
    #: The job ran: the body is the answer.
    OK = 2
    #: The job was refused or failed in a way the client caused (the header says how: ``status``, ``message``).
    REFUSED = 3
    #: The job was stopped: past its deadline, or too many long jobs at once.
    STOPPED = 4


class FrameError(OSError):
    """The peer closed the connection or sent something that is not a frame."""


@dataclass(frozen=True, slots=True)
class Frame:
    kind: int
    header: dict[str, object] = field(default_factory=dict)
    body: bytes = b""


def write_frame(sock: socket.socket, frame: Frame) -> None:
    header = json.dumps(frame.header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    sock.sendall(_PREFIX.pack(frame.kind, len(header)) + header + _LENGTH.pack(len(frame.body)))
    if frame.body:
        sock.sendall(frame.body)


def _read_exactly(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer before the deadline")
            sock.settimeout(left)
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            raise FrameError("the peer closed the connection")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(sock: socket.socket, *, deadline: float | None = None, max_body: int = 1 << 31) -> Frame:
    """Read one frame; raises :class:`FrameError` (closed, malformed) or :class:`TimeoutError`."""
    kind, header_size = _PREFIX.unpack(_read_exactly(sock, _PREFIX.size, deadline))
    if header_size > MAX_HEADER:
        raise FrameError(f"frame header of {header_size} bytes")
    try:
        header = json.loads(_read_exactly(sock, header_size, deadline)) if header_size else {}
    except ValueError as exc:
        raise FrameError(f"malformed frame header: {exc}") from exc
    (body_size,) = _LENGTH.unpack(_read_exactly(sock, _LENGTH.size, deadline))
    if body_size > max_body:
        raise FrameError(f"frame body of {body_size} bytes")
    body = _read_exactly(sock, body_size, deadline) if body_size else b""
    if not isinstance(header, dict):
        raise FrameError("frame header is not an object")
    return Frame(kind, header, body)
