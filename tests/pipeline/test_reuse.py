"""What a build reuses from the one before: nothing is re-validated when nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

from cstograph.config import Settings
from cstograph.pipeline import build


def test_a_forced_rebuild_of_unchanged_data_revalidates_nothing(project_copy: Path, tmp_path: Path) -> None:
    settings = Settings.discover(project_dir=project_copy, build_dir=tmp_path / "build")
    first = build(settings)
    again = build(settings, force=True)
    assert first.manifest["validation"]["reused"] is False  # type: ignore[index]
    assert again.manifest["validation"]["reused"] is True  # type: ignore[index]
    assert again.manifest["reasoning"]["closure_reused"] is True  # type: ignore[index]
    assert json.loads((again.path / "manifest.json").read_text())["triples"] == first.manifest["triples"]
    (project_copy / "shapes" / "core.ttl").write_text((project_copy / "shapes" / "core.ttl").read_text() + "\n# edit\n")
    changed = build(settings)
    assert changed.manifest["validation"]["reused"] is False  # type: ignore[index]
