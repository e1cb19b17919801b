"""`./dev bench phases`: `./dev test` in a clean clone, phase by phase, twice.

First from nothing on this machine (no unpacked engine, no engine data, no stand-in archives,
no virtual environment or npm folders: what a fresh machine has, except the Debian packages
the machine already holds), then again warm. Each run's own phase file (.artifacts/phases.tsv,
written by ./dev) gives the figures; older profiles' phases overlap the whole suite, so only
"all of ./dev test" is the wall time a contributor waits."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from labs import engine as engine_module
from labs.images.archive_cache import CACHE_DIR

REPO = Path(__file__).resolve().parent.parent
TOTALS = ("all of ./dev test", "CPU busy")
GOALS = {"fresh": 360, "warm": 240}


def main() -> None:
    if not engine_module.switchable():
        print("엔진이 이 프로젝트 밖에서 켜져 있어 재지 않습니다 (engine not started here; not measured).")
        return
    with tempfile.TemporaryDirectory(prefix="docker-labs-bench-") as folder:
        clone = _clean_clone(Path(folder))
        _forget_installed_state()
        runs = {}
        for label in ("fresh", "warm"):
            kept = REPO / ".artifacts" / f"bench-phases-{label}.log"
            kept.parent.mkdir(parents=True, exist_ok=True)
            with open(kept, "w") as output:
                result = subprocess.run(["./dev", "test"], cwd=clone, stdout=output, stderr=subprocess.STDOUT)
            summaries = [line for line in kept.read_text(errors="replace").splitlines()
                         if " passed" in line or " failed" in line]
            print(f"{label}: ./dev test exit {result.returncode} ({kept}): {'; '.join(summaries[-3:])}")
            runs[label] = read_phases(clone / ".artifacts/phases.tsv")
        print()
        print(format_table(runs))


def _clean_clone(folder: Path) -> Path:
    clone = folder / "main"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    shared = REPO.parent / "shared"
    if shared.is_dir():
        (folder / "shared").symlink_to(shared.resolve())
    return clone


def _forget_installed_state() -> None:
    engine_module.down(log=lambda _line: None)
    for profile in engine_module.PROFILES.values():
        shutil.rmtree(profile.root.parent, ignore_errors=True)
    shutil.rmtree(CACHE_DIR, ignore_errors=True)


def read_phases(path: Path) -> dict[str, float]:
    phases: dict[str, float] = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        name, _, seconds = line.partition("\t")
        phases[name] = float(seconds)
    return phases


def format_table(runs: dict[str, dict[str, float]]) -> str:
    labels = list(runs)
    names = list(dict.fromkeys(name for phases in runs.values() for name in phases))
    names.sort(key=lambda name: name.startswith(TOTALS))
    width = max(len(name) for name in names) if names else 10
    lines = [f"| {'phase':{width}} | " + " | ".join(f"{label:>8}" for label in labels) + " |",
             f"|{'-' * (width + 2)}|" + "|".join("-" * 9 + ":" for _ in labels) + "|"]
    for name in names:
        cells = [f"{runs[label][name]:7.1f} s" if name in runs[label] else f"{'-':>9}" for label in labels]
        lines.append(f"| {name:{width}} | " + " | ".join(cells) + " |")
    goals = ", ".join(f"{label} <= {GOALS[label]} s" for label in labels if label in GOALS)
    lines.append(f"\n(goals: {goals}; phases marked isolated run beside the whole suite)")
    return "\n".join(lines)


if __name__ == "__main__":
    os.chdir(REPO)
    main()
