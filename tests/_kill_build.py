"""Run ``cstograph build`` and SIGKILL it at the N-th step of its publish sequence (fault injection).

Usage: ``python -m tests._kill_build PROJECT BUILD_DIR N`` — the steps counted are the file-system calls a
build makes to publish (``mkdtemp``, ``rename``, ``replace``, ``symlink``, ``rmtree``, ``unlink``); with
``N = 0`` the build runs to the end and prints how many steps it made.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cstograph.config import Settings
from cstograph.pipeline import build

STEPS = ((os, "rename"), (os, "replace"), (os, "symlink"), (os, "unlink"), (shutil, "rmtree"), (tempfile, "mkdtemp"))


def main() -> None:
    project, build_dir, kill_at = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    made = 0

    def deadly(fn: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            nonlocal made
            made += 1
            if made == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)

        return step

    for module, name in STEPS:
        setattr(module, name, deadly(getattr(module, name)))
    build(Settings.discover(project_dir=project, build_dir=build_dir), force=True)
    print(made)


if __name__ == "__main__":
    main()
