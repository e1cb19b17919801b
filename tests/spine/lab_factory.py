"""Writes small lab trees into a temporary folder for tests of the format and the runner."""

from __future__ import annotations

from pathlib import Path

import yaml

MINIMAL = {
    "id": "sample",
    "title": "시험용 실습",
    "purpose": "형식 검사를 위한 실습입니다.",
    "chapter": "ch01",
    "section": "시험",
    "images": ["busybox"],
    "steps": [{"run": "docker run --rm busybox true", "explain": "확인합니다."}],
}


def write_lab(root: Path, definition: dict, chapter: str = "ch01", folder: str | None = None,
              files: dict[str, str] | None = None) -> Path:
    lab_dir = root / chapter / (folder or definition.get("id", "unnamed"))
    lab_dir.mkdir(parents=True, exist_ok=True)
    (lab_dir / "lab.yaml").write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    for name, content in (files or {}).items():
        target = lab_dir / "files" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return lab_dir


def variant(**changes) -> dict:
    definition = {**MINIMAL, **changes}
    return {key: value for key, value in definition.items() if value is not None}


def lab_in(root: Path, **changes):
    """One lab written into root and loaded (any image name is accepted)."""
    from labs.loader import load_labs

    write_lab(root, variant(**changes))
    [lab] = load_labs(root, known_image=lambda image: True)
    return lab


def labs_env(**extra: str) -> dict:
    import os

    return dict(os.environ, PYTHONPATH=str(REPO), **extra)


def labs_cli(*args: str, env_extra: dict | None = None, stdin: str = "", timeout: float = 300):
    """`python -m labs ARGS` as a reader runs it; env_extra may point LABS_DIR at written labs."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "labs", *args], cwd=REPO, env=labs_env(**(env_extra or {})),
                          capture_output=True, text=True, timeout=timeout, input=stdin)


REPO = Path(__file__).resolve().parents[2]
