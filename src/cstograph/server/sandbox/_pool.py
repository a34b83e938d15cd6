"""A pool of sandbox processes that run untrusted jobs (client queries, posted-data validation).

Why processes. The engine (Oxigraph) cannot cancel a query, can overflow its stack on a deep one and can
allocate without bound; a parser can be made to expand entities. In a process of its own, each job gets
what no thread can: a hard deadline (the process ends), a memory ceiling (``RLIMIT_AS``), a lower CPU
priority once it runs long, and a crash that takes nobody else with it. Nothing is shared between the
serving workers and the pool but a listening Unix socket, and a job's only lock — a *long-job slot* — is
an ``flock`` that the kernel releases when its holder dies, so no dying process can leave anything held.

Life of a job in a pool process (one job at a time; many processes accept on one socket). Its *job thread*
(large stack) does the job's whole path, so a short job crosses no thread inside the process::

    accept → read the request frame → arm a kernel timer (deadline + grace: SIGALRM kills the process)
    → run the job → disarm the timer → answer; a process that ran a long job exits after answering

and its main thread, the *watchdog*, looks at the running job when something can be due (never per job)::

    · used ``demote_after`` s of CPU → take a middle slot (flock) and lower the job thread's priority below
                                     the serving workers' and the cheap jobs' (its process exits after
                                     answering); no slot free → answer STOPPED (busy) and exit
    · used ``slow_after`` s of CPU → take a long-job slot (flock, the middle one given back) and lower the
                                     job thread's priority more; no slot free → answer STOPPED (busy), exit

So however many clients send runaways, at most ``middle_slots + long_slots`` processes hold a job past a few
milliseconds of CPU; the others stay free for cheap jobs, which never wait behind a runaway.
    · still running at the deadline → answer STOPPED (timeout) and exit

The pool's supervisor forks the processes and forks a new one for each that ends, whatever the cause.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import resource
import select
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ._protocol import Frame, Kind, read_frame, write_frame

__all__ = ["Handler", "PoolLimits", "PoolSpec", "run_supervisor", "set_title"]

#: A job handler: runs in a pool process's job thread; gets the request frame, returns the answer frame.
Handler = Callable[[Frame], Frame]


@dataclass(frozen=True, slots=True)
class PoolLimits:
    #: Processes in the pool (jobs that can run at once).
    size: int = 4
    #: Memory a job may add to its process, in MiB (``RLIMIT_AS`` above what the process had when forked).
    memory_mb: int = 2048
    #: Stack of the job thread, in MiB (the engine evaluates recursively; the parse limits bound the depth).
    stack_mb: int = 256
    #: A job that has used this much CPU (seconds) needs a middle slot and runs at ``demoted_nice`` from then on
    #: (no middle slots: no such stage). Many clients sending runaways then hold few processes and little CPU.
    demote_after: float = 0.1
    #: Jobs past ``demote_after`` but not ``slow_after`` that may run at once (default: as many as long jobs,
    #: leaving at least one process for cheap jobs).
    middle_slots: int | None = None
    #: Niceness of a demoted job (a weight of about a tenth of the serving workers' under Linux's scheduler).
    demoted_nice: int = 10
    #: A job that has used this much CPU (seconds) is *long*: it needs a long-job slot and runs at lower priority.
    slow_after: float = 0.25
    #: Long jobs that may run at once; the other processes stay free for short ones.
    long_slots: int = 2
    #: Niceness of a long job (CPU priority below the serving workers').
    nice: int = 19
    #: Seconds after its deadline that the kernel timer ends a process whose job thread holds it up.
    grace: float = 0.5
    #: The largest request frame body accepted (posted data), in bytes.
    max_request_bytes: int = 16 * 1024 * 1024

    @property
    def middle(self) -> int:
        """How many middle slots the pool has (0: jobs are not demoted before ``slow_after``)."""
        if self.demote_after >= self.slow_after:
            return 0
        if self.middle_slots is not None:
            return max(0, self.middle_slots)
        return max(0, min(self.long_slots, self.size - self.long_slots - 1))


@dataclass(frozen=True, slots=True)
class PoolSpec:
    name: str
    #: Folder of the pool's socket and slot files (private to the server's user).
    run_dir: Path
    limits: PoolLimits
    #: Called once in the supervisor before it forks processes (e.g. import and load what jobs need); returns
    #: the handler, which the forked processes inherit.
    prepare: Callable[[], Handler]

    @property
    def socket_path(self) -> Path:
        return self.run_dir / f"{self.name}.sock"

    def slot_path(self, index: int, kind: str = "long") -> Path:
        return self.run_dir / f"{self.name}.{kind}-{index}"


def set_title(title: str) -> None:
    """Name this process for ``ps`` (``cstograph: query sandbox``…), when setproctitle is available."""
    try:
        from setproctitle import setproctitle
    except ImportError:  # pragma: no cover - an optional nicety
        return
    setproctitle(title)


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send ``sig`` to this process when its parent ends (Linux ``PR_SET_PDEATHSIG``)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(sig), 0, 0, 0)  # PR_SET_PDEATHSIG = 1


def _prefer_as_oom_victim(score: int) -> None:
    """Raise this process's ``oom_score_adj`` (allowed without privileges), so that under memory pressure the
    kernel ends a sandbox process before a serving one."""
    with contextlib.suppress(OSError), open("/proc/self/oom_score_adj", "w") as handle:
        handle.write(str(score))


def _address_space() -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    return 0


class _Slots:
    """Slots of one kind (long, middle): one file per slot, held with ``flock``. A process that took one ends
    after its job, and the kernel releases the lock then — whatever way the process ends."""

    def __init__(self, spec: PoolSpec, kind: str, count: int) -> None:
        self._fds = [os.open(spec.slot_path(i, kind), os.O_RDWR | os.O_CREAT, 0o600) for i in range(count)]

    def take(self) -> int | None:
        """A free slot (its descriptor, now locked), or None."""
        for fd in self._fds:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue
            return fd
        return None

    @staticmethod
    def give_back(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@dataclass(slots=True)
class _Running:
    """The job a pool process is running, as its two threads share it (under :attr:`_Sandbox.lock`)."""

    conn: socket.socket
    deadline: float
    #: CPU time of the job thread when the job began.
    cpu_at_start: float
    #: Whether it holds a long-job slot (and runs at lower priority): the process ends after answering.
    long: bool = False
    #: Whether its thread's priority was lowered (a process cannot raise it again): it ends after answering.
    demoted: bool = False
    #: The middle slot it holds (until it takes a long one).
    middle: int | None = None
    #: Whether an answer was claimed: by the job thread (its result) or by the watchdog (STOPPED). One only.
    answered: bool = False


class _Sandbox:
    """One pool process. Its *job thread* (large stack) does a job's whole path — accept, read the request,
    run, answer — so a short job crosses no thread inside the process. Its *main thread* is the watchdog
    (:meth:`watch`): at the deadline, or when no long-job slot is free, it answers STOPPED itself and ends
    the process; the kernel timer, armed by the job thread, ends a process whose watchdog cannot get the
    interpreter."""

    def __init__(self, spec: PoolSpec, listener: socket.socket, handler: Handler) -> None:
        self.spec = spec
        self.limits = spec.limits
        self.listener = listener
        self.handler = handler
        self.lock = threading.Lock()
        self.running: _Running | None = None
        self.slots = _Slots(spec, "long", spec.limits.long_slots)
        self.middle = _Slots(spec, "middle", spec.limits.middle)
        self._thread_clock = 0
        self._thread_id = 0
        self._go = threading.Event()
        started = threading.Event()
        previous = threading.stack_size(self.limits.stack_mb * 1024 * 1024)
        try:  # (its stack is mapped now, before the memory ceiling that jobs then run under)
            self.thread = threading.Thread(target=self._jobs, args=(started,), name="cstograph-job", daemon=True)
            self.thread.start()
        finally:
            threading.stack_size(previous)
        started.wait()

    def start_jobs(self) -> None:
        """Let the job thread take jobs (once the process's limits are set)."""
        self._go.set()

    # --- the job thread ----------------------------------------------------------------------------------
    def _jobs(self, started: threading.Event) -> None:
        self._thread_id = threading.get_native_id()
        self._thread_clock = time.pthread_getcpuclockid(threading.get_ident())
        started.set()
        self._go.wait()
        while True:
            try:
                conn, _ = self.listener.accept()
            except InterruptedError:
                continue
            try:
                self._one(conn)
            finally:
                conn.close()

    def _one(self, conn: socket.socket) -> None:
        limits = self.limits
        try:
            request = read_frame(conn, deadline=time.monotonic() + 5.0, max_body=limits.max_request_bytes)
        except (OSError, TimeoutError):
            return
        deadline = float(request.header.get("deadline", time.monotonic() + 5.0))  # type: ignore[arg-type]
        left = deadline - time.monotonic()
        if left <= 0:
            return  # the client stopped waiting while the job queued
        signal.setitimer(signal.ITIMER_REAL, left + limits.grace)
        running = _Running(conn, deadline, time.clock_gettime(self._thread_clock))
        with self.lock:
            self.running = running
        try:
            answer = self.handler(request)
        except BaseException as exc:  # noqa: BLE001 - every failure becomes an answer
            traceback.print_exc(file=sys.stderr)
            answer = Frame(Kind.REFUSED, {"status": 400, "message": f"the job failed: {type(exc).__name__}: {exc}"})
        with self.lock:
            self.running = None
            mine = not running.answered
            running.answered = True
            lowered = running.long or running.demoted
        if not mine:  # the watchdog answered STOPPED and is ending the process
            threading.Event().wait()
        signal.setitimer(signal.ITIMER_REAL, 0)
        with contextlib.suppress(OSError):
            conn.settimeout(10.0)
            write_frame(conn, answer)
        if lowered:  # its thread's priority stays lowered (and it may hold a slot): a fresh process replaces this one
            conn.close()
            os._exit(0)

    # --- the watchdog (main thread) ------------------------------------------------------------------------
    def watch(self) -> None:
        """Never returns: the process ends by ``os._exit`` (here or in the job thread), or by a signal.

        The watchdog wakes only when something can be due: a job that began while it slept is first looked at
        within ``demote_after`` seconds (it cannot have used more CPU than that yet), then when it could have
        used ``demote_after``, then ``slow_after`` s of CPU, and at its deadline. Nothing wakes it per job: a
        short job (most are) begins and ends unseen; an idle process wakes ``1 / demote_after`` times a second."""
        limits = self.limits
        idle = limits.demote_after if limits.middle else limits.slow_after
        while True:
            if not self.thread.is_alive():
                os._exit(1)
            with self.lock:
                running = self.running
            time.sleep(idle if running is None else self._check(running))

    def _check(self, running: _Running) -> float:
        """Stop a job past its deadline; give a job that has used ``slow_after`` s of CPU a long-job slot and a
        lower priority, or stop it as busy when no slot is free. CPU, not wall time, so that a cheap query
        slowed down by a busy machine is not mistaken for a runaway. Returns how long to sleep before the
        next look."""
        limits = self.limits
        idle = limits.demote_after if limits.middle else limits.slow_after
        left = running.deadline - time.monotonic()
        if left <= 0:
            self._stop(running, "timeout", "the job ran past its time limit")
            return idle
        if running.long:
            return left
        used = time.clock_gettime(self._thread_clock) - running.cpu_at_start
        if limits.middle and not running.demoted:
            if used < limits.demote_after:
                return max(0.005, min(left, limits.demote_after - used))
            with self.lock:  # (flagged first: the job thread, ending the job now, then ends the process)
                if running.answered:
                    return idle
                running.middle = self.middle.take()
                running.demoted = running.middle is not None
            if not running.demoted:
                self._stop(running, "busy", f"too many long-running jobs at once (past {limits.demote_after:g} s "
                                            f"of CPU, the limit is {limits.middle}); retry later")
                return idle
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self._thread_id, limits.demoted_nice)
        if used < limits.slow_after:
            return max(0.005, min(left, limits.slow_after - used))
        with self.lock:  # (a slot taken for a job that has just ended would stay held by a process that goes on)
            if running.answered:
                return idle
            running.long = took = self.slots.take() is not None
            if took and running.middle is not None:
                self.middle.give_back(running.middle)
                running.middle = None
        if not took:
            self._stop(running, "busy", f"too many long-running jobs at once (the limit is {limits.long_slots}); "
                                        "retry later")
            return idle
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self._thread_id, limits.nice)
        return left

    def _stop(self, running: _Running, reason: str, message: str) -> None:
        with self.lock:
            if running.answered:
                return  # the job thread's answer went first
            running.answered = True
        with contextlib.suppress(OSError):
            running.conn.settimeout(1.0)
            write_frame(running.conn, _stopped(reason, message))
        os._exit(0)


def _stopped(reason: str, message: str) -> Frame:
    return Frame(Kind.STOPPED, {"reason": reason, "message": message})


def _serve_jobs(spec: PoolSpec, listener: socket.socket, handler: Handler) -> None:
    """A pool process: one job at a time until it must exit (or is made to)."""
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the kernel timer's signal ends the process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the root stops us
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    die_with_parent()
    set_title(f"cstograph: {spec.name} sandbox")
    _prefer_as_oom_victim(800)
    sandbox = _Sandbox(spec, listener, handler)
    ceiling = _address_space() + spec.limits.memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    sandbox.start_jobs()
    sandbox.watch()


def run_supervisor(spec: PoolSpec, listener: socket.socket) -> None:
    """Run the pool: prepare, fork ``limits.size`` processes, fork a new one for each that ends. Never returns;
    ends (with its processes) on SIGTERM or when its parent ends."""
    die_with_parent(signal.SIGTERM)
    set_title(f"cstograph: {spec.name} pool")
    handler = spec.prepare()
    children: set[int] = set()
    stopping = False
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    births: list[float] = []
    while not stopping:
        while len(children) < spec.limits.size and not stopping:
            now = time.monotonic()
            births = [b for b in births if now - b < 1.0]
            if len(births) > 20 * spec.limits.size:  # a respawn storm: breathe
                time.sleep(0.05)
            births.append(now)
            pid = os.fork()
            if pid == 0:
                os.close(wake_r)
                os.close(wake_w)
                try:
                    _serve_jobs(spec, listener, handler)
                finally:
                    os._exit(1)
            children.add(pid)
        with contextlib.suppress(InterruptedError):
            select.select([wake_r], [], [], 1.0)
        with contextlib.suppress(BlockingIOError):
            os.read(wake_r, 4096)
        while children:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                children.clear()
                break
            if pid == 0:
                break
            children.discard(pid)
        if os.getppid() != parent:
            break
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for _ in children:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(-1, 0)
    os._exit(0)


