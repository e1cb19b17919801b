"""`./dev bench cpu [pytest args]`: what the suite costs the machine, test file by test file.

The whole suite (or the tests named) runs once, one test at a time, on the newest profile;
benchmarks/cpu_per_test.py notes each test's busy core-seconds. The table then sums them by
file, and says what the labs cost once per engine profile that `./dev test` runs them on,
against the busy time a wall-time goal allows on this machine's cores."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from .cpu_per_test import OUTPUT_VARIABLE
from .phases import GOALS

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / ".artifacts" / "cpu-per-test.tsv"
LAB_TESTS = "tests/test_labs.py"
OLDER_PROFILES = 2  # classic and current run the labs beside the whole suite (./dev test)


def main(pytest_args: list[str]) -> None:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("")
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "benchmarks.cpu_per_test", "-p", "no:cacheprovider", "-q", *pytest_args],
        cwd=REPO, env=dict(os.environ, **{OUTPUT_VARIABLE: str(OUTPUT)}),
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    rows = read_rows(OUTPUT)
    print(f"pytest exit {completed.returncode}; {len(rows)} tests; per test: {OUTPUT}")
    print(format_table(rows, os.cpu_count() or 1))


def read_rows(path: Path) -> list[tuple[str, float, float]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        node, wall, busy = line.split("\t")
        rows.append((node, float(wall), float(busy)))
    return rows


def format_table(rows: list[tuple[str, float, float]], cores: int) -> str:
    by_file: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for node, wall, busy in rows:
        totals = by_file[node.split("::", 1)[0]]
        totals[0] += 1
        totals[1] += wall
        totals[2] += busy
    lines = [f"{'test file':52} {'tests':>5} {'wall s':>8} {'core-s':>8}"]
    for name, (count, wall, busy) in sorted(by_file.items(), key=lambda item: -item[1][2]):
        lines.append(f"{name:52} {count:5d} {wall:8.1f} {busy:8.1f}")
    suite = sum(busy for _node, _wall, busy in rows)
    lines.append(f"{'all, one profile':52} {len(rows):5d} {sum(w for _n, w, _b in rows):8.1f} {suite:8.1f}")
    if LAB_TESTS in by_file:
        labs = by_file[LAB_TESTS][2]
        whole = suite + OLDER_PROFILES * labs
        lines.append(f"{f'./dev test: + labs on {OLDER_PROFILES} older profiles':52} {'':5} {'':8} {whole:8.1f}")
        for label, seconds in GOALS.items():
            lines.append(f"busy time a {label} goal of {seconds} s allows on {cores} cores: {seconds * cores} core-s")
        lines.append(f"labs alone on {OLDER_PROFILES + 1} profiles: {(OLDER_PROFILES + 1) * labs:.1f} core-s")
    return "\n".join(lines)
