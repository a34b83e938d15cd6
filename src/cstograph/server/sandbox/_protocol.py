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


#: Bodies up to this size are sent with their frame's head in one call (one segment, one wake-up).
_JOIN_BELOW = 256 * 1024
#: What one read asks for: a small frame arrives whole in one call.
_READ_SIZE = 64 * 1024


def write_frame(sock: socket.socket, frame: Frame) -> None:
    header = json.dumps(frame.header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head = _PREFIX.pack(frame.kind, len(header)) + header + _LENGTH.pack(len(frame.body))
    if len(frame.body) <= _JOIN_BELOW:
        sock.sendall(head + frame.body)
    else:
        sock.sendall(head)
        sock.sendall(frame.body)


class _Reader:
    """Reads a frame from a socket that carries one frame each way (what the peer sends after it is never
    asked for), with as few calls as the data allows, and a deadline for the whole frame."""

    def __init__(self, sock: socket.socket, deadline: float | None) -> None:
        self._sock = sock
        self._deadline = deadline
        self._buffer = bytearray()
        self._offset = 0

    def take(self, size: int) -> bytes:
        while len(self._buffer) - self._offset < size:
            if self._deadline is not None:
                left = self._deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no answer before the deadline")
                self._sock.settimeout(left)
            missing = size - (len(self._buffer) - self._offset)
            chunk = self._sock.recv(min(max(missing, _READ_SIZE), 1 << 20))
            if not chunk:
                raise FrameError("the peer closed the connection")
            self._buffer += chunk
        out = bytes(self._buffer[self._offset:self._offset + size])
        self._offset += size
        return out


def read_frame(sock: socket.socket, *, deadline: float | None = None, max_body: int = 1 << 31) -> Frame:
    """Read one frame; raises :class:`FrameError` (closed, malformed) or :class:`TimeoutError`."""
    reader = _Reader(sock, deadline)
    kind, header_size = _PREFIX.unpack(reader.take(_PREFIX.size))
    if header_size > MAX_HEADER:
        raise FrameError(f"frame header of {header_size} bytes")
    try:
        header = json.loads(reader.take(header_size)) if header_size else {}
    except ValueError as exc:
        raise FrameError(f"malformed frame header: {exc}") from exc
    (body_size,) = _LENGTH.unpack(reader.take(_LENGTH.size))
    if body_size > max_body:
        raise FrameError(f"frame body of {body_size} bytes")
    body = reader.take(body_size) if body_size else b""
    if not isinstance(header, dict):
        raise FrameError("frame header is not an object")
    return Frame(kind, header, body)
