"""The sandbox pool (``cstograph.server.sandbox``) on a toy handler: deadlines end processes, long jobs need a
slot, a crash costs only its job, a memory ceiling holds, and nothing a dying process held stays held."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import cstograph.server.sandbox as sandbox
from cstograph.server.sandbox import JobCrashed, JobStopped, Kind, PoolClient, PoolUnavailable

from ..conftest import PROJECT_DIR, stop_process


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PoolClient]:
    """A pool of 3 processes, 1 long-job slot and 1 middle slot, 256 MiB per job, middle after 0.1 s of CPU, long
    after 0.3 s (each test leaves it whole)."""
    tmp_path = tmp_path_factory.mktemp("pool")
    proc = subprocess.Popen([sys.executable, "-m", "tests.server._toy_pool", str(tmp_path), "3", "1"],
                            cwd=PROJECT_DIR, start_new_session=True)
    client = PoolClient(tmp_path / "toy.sock")
    deadline = time.monotonic() + 20
    while True:
        try:
            client.call({"do": "echo"}, deadline=time.monotonic() + 2)
            break
        except (PoolUnavailable, JobStopped):
            assert time.monotonic() < deadline, "the toy pool did not start"
            time.sleep(0.05)
    try:
        yield client
    finally:
        stop_process(proc)


def in_3s() -> float:
    return time.monotonic() + 3.0


def test_public_surface() -> None:
    assert sorted(sandbox.__all__) == ["Frame", "Handler", "JobCrashed", "JobStopped", "Kind", "PoolClient",
                                       "PoolLimits", "PoolSpec", "PoolUnavailable", "die_with_parent",
                                       "run_supervisor", "set_title"]


def test_a_job_answers_with_its_frame(pool: PoolClient) -> None:
    answer = pool.call({"do": "echo"}, b"payload \x00\xff", deadline=in_3s())
    assert answer.kind == Kind.OK and answer.body == b"payload \x00\xff"
    refused = pool.call({"do": "nothing"}, deadline=in_3s())
    assert refused.kind == Kind.REFUSED and refused.header["status"] == 400


def test_a_job_past_its_deadline_is_stopped_and_its_process_replaced(pool: PoolClient) -> None:
    pids = {pool.call({"do": "echo"}, deadline=in_3s()).header["pid"] for _ in range(6)}
    with pytest.raises(JobStopped) as stopped:
        pool.call({"do": "sleep", "seconds": 30}, deadline=time.monotonic() + 1.0)
    assert stopped.value.reason == "timeout"
    time.sleep(0.5)
    after = {pool.call({"do": "echo"}, deadline=in_3s()).header["pid"] for _ in range(9)}
    assert len(after) == 3 and after != pids  # one process was replaced


def test_a_job_holding_the_interpreter_is_ended_by_the_kernel(pool: PoolClient) -> None:
    """A job that never releases the GIL cannot be stopped by its watchdog thread: the kernel timer ends it."""
    with pytest.raises((JobStopped, JobCrashed)):
        pool.call({"do": "spin", "seconds": 30}, deadline=time.monotonic() + 1.0)
    assert pool.call({"do": "echo"}, deadline=in_3s()).kind == Kind.OK


def _slot_holder(*, within: float = 30.0) -> int:
    """The sandbox process that holds the long-job slot (its flock), once one does. A wait, not a timed
    assertion: on a loaded machine a job takes longer than usual to use the 0.25 s of CPU that makes it long."""
    stop = time.monotonic() + within
    while True:
        holders = {int(line.split()[4]) for line in Path("/proc/locks").read_text().splitlines()
                   if " FLOCK " in line and " WRITE " in line}
        sandboxes = {int(p) for p in subprocess.run(["pgrep", "-f", "cstograph: toy sandbox"], capture_output=True,
                                                    text=True, check=False).stdout.split()}
        found = holders & sandboxes
        if len(found) == 1:
            return found.pop()
        if time.monotonic() > stop:
            raise AssertionError(f"no single sandbox holds the long-job slot: {found}")
        time.sleep(0.05)


def test_only_one_long_job_at_a_time(pool: PoolClient) -> None:
    """With one long-job slot, a second job that runs long is stopped as busy; short jobs still run, and so
    do jobs that wait long without using the CPU."""
    results: list[object] = []
    first = threading.Thread(target=lambda: results.append(_outcome(pool, 2.0)))
    first.start()
    _slot_holder()
    assert _outcome(pool, 2.0) == "busy"
    assert pool.call({"do": "echo"}, deadline=in_3s()).kind == Kind.OK
    assert pool.call({"do": "sleep", "seconds": 0.6}, deadline=in_3s()).kind == Kind.OK
    first.join(10)
    assert results == ["ok"]


def _outcome(pool: PoolClient, seconds: float) -> str:
    """How a job burning ``seconds`` of CPU ends: ok, busy, timeout or crashed."""
    try:
        pool.call({"do": "burn", "seconds": seconds}, deadline=time.monotonic() + seconds * 4 + 3)
    except JobStopped as exc:
        return exc.reason
    except JobCrashed:
        return "crashed"
    return "ok"


def test_a_long_job_runs_at_lower_priority_and_its_slot_comes_back(pool: PoolClient) -> None:
    quick = pool.call({"do": "nice", "seconds": 0}, deadline=in_3s())
    slow = pool.call({"do": "nice", "seconds": 0.6}, deadline=time.monotonic() + 10)
    assert quick.header["nice"] == os.nice(0) and slow.header["nice"] == 19  # this process's own, then the lowest
    assert _outcome(pool, 0.6) == "ok"  # the slot was released


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_job_past_a_few_milliseconds_of_cpu_is_demoted_and_its_process_replaced(pool: PoolClient) -> None:
    """Past ``demote_after`` (0.1 s) of CPU, below ``slow_after``: the job runs on at nice 10 — below cheap
    jobs and the serving workers, above long jobs — holds no slot, and its process (which cannot raise its
    priority again) is replaced after answering."""
    quick = pool.call({"do": "nice", "seconds": 0.005}, deadline=in_3s())
    middle = pool.call({"do": "nice", "seconds": 0.2}, deadline=time.monotonic() + 10)
    assert quick.header["nice"] == os.nice(0)
    assert middle.header["nice"] == max(os.nice(0), 10)
    deadline = time.monotonic() + 10
    while _alive(int(middle.header["pid"])) and time.monotonic() < deadline:  # type: ignore[call-overload]
        time.sleep(0.05)
    assert not _alive(int(middle.header["pid"])), "the demoted job's process goes on"  # type: ignore[call-overload]
    assert pool.call({"do": "echo"}, deadline=in_3s()).kind == Kind.OK


def test_jobs_past_a_few_milliseconds_need_a_middle_slot(pool: PoolClient) -> None:
    """One middle slot: of two jobs that each need 0.2 s of CPU at once, one runs (demoted), the other is
    stopped as busy once it has used 0.1 s — so clients sending many such jobs hold few processes."""
    outcomes: list[str] = []
    threads = [threading.Thread(target=lambda: outcomes.append(_outcome(pool, 0.2))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert sorted(outcomes) == ["busy", "ok"], outcomes
    assert _outcome(pool, 0.2) == "ok"  # the slot came back


def test_a_crash_costs_only_its_job(pool: PoolClient) -> None:
    with pytest.raises(JobCrashed):
        pool.call({"do": "crash"}, deadline=in_3s())
    assert pool.call({"do": "echo"}, deadline=in_3s()).kind == Kind.OK


def test_memory_ceiling(pool: PoolClient) -> None:
    """A job may add 256 MiB to its process: 64 MiB works, 1 GiB fails (and costs only that job)."""
    assert pool.call({"do": "allocate", "mb": 64}, deadline=in_3s()).header["size"] == 64 * 1024 * 1024
    answer = pool.call({"do": "allocate", "mb": 1024}, deadline=in_3s())
    assert answer.kind == Kind.REFUSED and "MemoryError" in str(answer.header["message"])
    assert pool.call({"do": "echo"}, deadline=in_3s()).kind == Kind.OK


def test_a_killed_slot_holder_leaves_no_slot_held(pool: PoolClient) -> None:
    """SIGKILL the process holding the only long-job slot: the kernel releases its flock; the next long job runs."""
    outcome: list[str] = []
    holder = threading.Thread(target=lambda: outcome.append(_outcome(pool, 5.0)), daemon=True)
    holder.start()
    os.kill(_slot_holder(), signal.SIGKILL)
    holder.join(10)
    assert outcome == ["crashed"]
    assert _outcome(pool, 0.6) == "ok"


def test_a_missing_pool_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(PoolUnavailable):
        PoolClient(tmp_path / "none.sock").call({"do": "echo"}, deadline=in_3s())


def test_a_request_the_pool_will_not_read_is_a_failed_job(pool: PoolClient) -> None:
    """A body past the pool's request limit (16 MiB): the sandbox closes the connection while the client is
    still sending. The client sees a job that failed (a 503 for the endpoint), not a broken pipe (a 500)."""
    with pytest.raises(JobCrashed):
        pool.call({"do": "echo"}, b"x" * (17 * 1024 * 1024), deadline=in_3s())
    assert pool.call({"do": "echo"}, deadline=in_3s()).kind == Kind.OK
