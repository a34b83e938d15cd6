"""Run ``cstograph build`` and SIGKILL it at the N-th step of its publish sequence (fault injection).

Usage: ``python -m tests._kill_build PROJECT BUILD_DIR N [--store DIR] [--reuse] [--in-prune]`` — the steps
counted are the file-system calls a build makes to publish (``mkdtemp``, ``rename``, ``replace``, ``symlink``,
``rmtree``, ``unlink``); with ``N = 0`` the build runs to the end and prints how many steps it made. The build
is forced (``--force``) unless ``--reuse`` is given (then unchanged inputs reuse the last build, as a plain
``cstograph build`` does). With ``--in-prune`` only the steps of the removal of old builds are counted.

With ``--store DIR`` the build also writes the on-disk store ``DIR``, and only the steps of that write are
counted (the build's own publish sequence is what the runs without ``--store`` cover): the calls above and
``mkdir``. There, a call made inside another counted one (the files an ``rmtree`` removes, the folders a
``copytree`` makes) is one more step only the first time, as "during" the outer call, so that the count does
not grow with the size of a version.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cstograph.pipeline
from cstograph.config import Settings
from cstograph.pipeline import build

STEPS = ((os, "rename"), (os, "replace"), (os, "symlink"), (os, "unlink"), (shutil, "rmtree"), (tempfile, "mkdtemp"))
STORE_STEPS = (*STEPS, (os, "mkdir"))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests._kill_build")
    parser.add_argument("project", type=Path)
    parser.add_argument("build_dir", type=Path)
    parser.add_argument("kill_at", type=int)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--in-prune", action="store_true")
    args = parser.parse_args()
    made = 0
    counting = args.store is None and not args.in_prune  # else only inside the store write / the prune
    depth = 0  # store steps: how deep inside counted calls this one is
    nested_counted = False  # store steps: whether the current outer call has had its one "during" step

    def kill_if_due() -> None:
        nonlocal made
        made += 1
        if made == args.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def deadly(fn: Callable[..., Any]) -> Callable[..., Any]:
        def step(*a: Any, **kw: Any) -> Any:
            if counting:
                kill_if_due()
            return fn(*a, **kw)

        return step

    def deadly_in_store(fn: Callable[..., Any]) -> Callable[..., Any]:
        def step(*a: Any, **kw: Any) -> Any:
            nonlocal depth, nested_counted
            if counting and (depth == 0 or not nested_counted):
                nested_counted = depth > 0
                kill_if_due()
            depth += 1
            try:
                return fn(*a, **kw)
            finally:
                depth -= 1

        return step

    def counted(fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*a: Any, **kw: Any) -> Any:
            nonlocal counting
            counting = True
            try:
                return fn(*a, **kw)
            finally:
                counting = False

        return run

    if args.store is None:
        for module, name in STEPS:
            setattr(module, name, deadly(getattr(module, name)))
    else:
        for module, name in STORE_STEPS:
            setattr(module, name, deadly_in_store(getattr(module, name)))
        cstograph.pipeline.write_disk_store = counted(cstograph.pipeline.write_disk_store)
    if args.in_prune:
        cstograph.pipeline.prune = counted(cstograph.pipeline.prune)
    build(Settings.discover(project_dir=args.project, build_dir=args.build_dir), force=not args.reuse,
          store_dir=args.store)
    print(made)


if __name__ == "__main__":
    main()
