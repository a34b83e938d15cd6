"""Executors (``cstograph.server.execution``): the direct one, which a remote store's front uses, runs jobs in
the calling thread, at most ``limit`` at once, and turns a handler's STOPPED answer into the same exception
as a sandbox's."""

from __future__ import annotations

import threading
import time

import pytest

from cstograph.server.execution import DirectExecutor
from cstograph.server.sandbox import Frame, JobStopped, Kind


def test_direct_jobs_run_in_the_calling_thread_at_most_limit_at_once() -> None:
    release = threading.Event()
    running: list[str] = []

    def handler(frame: Frame) -> Frame:
        running.append(threading.current_thread().name)
        if frame.header.get("wait"):
            release.wait(10)
        return Frame(Kind.OK, {"deadline": frame.header["deadline"]}, b"done")

    executor = DirectExecutor(handler, limit=1)
    deadline = time.monotonic() + 5
    answer = executor.run({"job": "x"}, deadline=deadline)
    assert answer.body == b"done" and answer.header["deadline"] == deadline  # the deadline reaches the handler
    assert running == [threading.current_thread().name]
    holder = threading.Thread(target=executor.run, args=({"wait": True},), kwargs={"deadline": time.monotonic() + 10})
    holder.start()
    while len(running) < 2:
        time.sleep(0.01)
    with pytest.raises(JobStopped) as stopped:  # the one place is taken until this job's deadline
        executor.run({"job": "y"}, deadline=time.monotonic() + 0.2)
    assert stopped.value.reason == "busy"
    release.set()
    holder.join(10)
    assert executor.run({"job": "z"}, deadline=time.monotonic() + 5).kind == Kind.OK  # the place came back


def test_a_stopped_answer_is_a_stopped_job() -> None:
    executor = DirectExecutor(lambda _: Frame(Kind.STOPPED, {"reason": "timeout", "message": "too long"}), limit=2)
    with pytest.raises(JobStopped) as stopped:
        executor.run({}, deadline=time.monotonic() + 5)
    assert (stopped.value.reason, str(stopped.value)) == ("timeout", "too long")


def test_a_failing_job_is_refused_not_raised() -> None:
    """As a sandbox answers a job whose handler fails: a 4xx frame that names the failure, the place freed."""

    def handler(frame: Frame) -> Frame:
        raise KeyError("no such field")

    executor = DirectExecutor(handler, limit=1)
    for _ in range(2):  # (the one place comes back after each)
        answer = executor.run({}, deadline=time.monotonic() + 5)
        assert answer.kind == Kind.REFUSED and answer.header["status"] == 400
        assert "KeyError" in str(answer.header["message"])
