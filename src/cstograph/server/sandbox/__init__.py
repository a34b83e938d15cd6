"""Sandbox pools: processes that run untrusted jobs with hard time, memory and stack limits.

The serving workers never evaluate a client's query or parse posted data themselves: they send the job
to a pool (:class:`PoolClient`) and answer from its frame. See :mod:`._pool` for what a pool guarantees.
"""

from __future__ import annotations

from ._client import JobCrashed, JobStopped, PoolClient, PoolUnavailable
from ._pool import Handler, PoolLimits, PoolSpec, die_with_parent, run_supervisor, set_title
from ._protocol import Frame, Kind

__all__ = [
    "Frame",
    "Handler",
    "JobCrashed",
    "JobStopped",
    "Kind",
    "PoolClient",
    "PoolLimits",
    "PoolSpec",
    "PoolUnavailable",
    "die_with_parent",
    "run_supervisor",
    "set_title",
]
