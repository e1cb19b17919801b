"""`python -m labs bench`: prints figures; never asserts (these machines are noisy)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from . import engine as engine_module
from .cli import others_declared
from .loader import load_labs
from .runner import LabRunner

REPO = Path(__file__).resolve().parent.parent
LAB_GOAL_SECONDS = 10
ENGINE_GOAL_SECONDS = 60


def run_benchmarks(parts: list[str]) -> int:
    chosen = parts or ["engine", "images", "labs", "suite", "site"]
    for part in chosen:
        print(f"\n## {part}")
        {"engine": engine_start, "images": images, "labs": labs_wall_time,
         "suite": suite_serial_and_parallel, "site": site}[part]()
    return 0


def engine_start() -> None:
    if engine_module.answers() and not engine_module.info().started_here:
        print("엔진이 이 프로젝트 밖에서 켜져 있어 재지 않습니다 (engine not started here; not measured).")
        return
    engine_module.down(log=lambda _line: None)
    started = time.monotonic()
    engine_module.up(log=lambda _line: None)
    seconds = time.monotonic() - started
    print(f"engine start from nothing (packages cached): {seconds:.1f} s (goal < {ENGINE_GOAL_SECONDS} s)")


def images() -> None:
    from .images.bench import main

    main()


def labs_wall_time() -> None:
    engine = engine_module.client()
    labs = load_labs()
    total = 0.0
    for lab in labs:
        result = LabRunner(lab, engine, log=lambda _line: None, others=others_declared(lab, labs)).run()
        total += result.seconds
        verdict = "ok" if result.ok else "FAILED"
        goal = "" if result.seconds < LAB_GOAL_SECONDS else f"  (over the {LAB_GOAL_SECONDS} s goal)"
        print(f"{lab.id:28} {result.seconds:6.1f} s  {verdict}{goal}")
    print(f"{'all labs, one after another':28} {total:6.1f} s")


def suite_serial_and_parallel() -> None:
    timings = {}
    for label, extra in (("serial", ["-p", "no:xdist"]), ("-n 2", ["-n", "2"])):
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "tests/test_labs.py", *extra],
                                cwd=REPO, capture_output=True, text=True, env=dict(os.environ))
        timings[label] = time.monotonic() - started
        last = (result.stdout.strip().splitlines() or ["?"])[-1]
        print(f"lab suite {label:7} {timings[label]:6.1f} s   {last}")
    print(f"speed-up with -n 2: {timings['serial'] / timings['-n 2']:.2f}x (goal >= 1.6x)")


def site() -> None:
    from tests.site.site_bench import main

    main()
