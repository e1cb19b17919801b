"""Builds the site with Zensical, Material for MkDocs' successor, from the same mkdocs.yml.

Zensical runs mkdocs-macros' define_env but not MkDocs hooks, and writes only inside the project
folder; its own search replaces Material's, so our search index step does not apply to it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / ".zensical.yml"
SITE = REPO / ".zensical-site"


def build() -> subprocess.CompletedProcess:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^docs_dir:.*$", f"docs_dir: docs\nsite_dir: {SITE.name}", config)
    CONFIG.write_text(config, encoding="utf-8")
    shutil.rmtree(SITE, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1")
    env.pop("LABS_ALLOW_UNRECORDED", None)
    try:
        return subprocess.run([str(Path(sys.executable).parent / "zensical"), "build", "--clean", "--strict", "-f", str(CONFIG)],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    finally:
        CONFIG.unlink(missing_ok=True)
