"""`python -m benchmarks [PART...]` (what `./dev bench` runs): prints figures and never asserts,
since these machines are noisy. Benchmarks live outside `labs`, so product code never
imports them or the test helpers they use."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from labs import engine as engine_module
from labs.loader import load_labs
from labs.runner import LabRunner

REPO = Path(__file__).resolve().parent.parent
LAB_GOAL_SECONDS = 10
ENGINE_GOAL_SECONDS = 60


PARTS = ("engine", "images", "labs", "records", "phases", "site", "cpu")


def run_benchmarks(parts: list[str]) -> int:
    chosen = parts or ["engine", "images", "labs", "records", "site"]
    for part in chosen:
        print(f"\n## {part}")
        {"engine": engine_start, "images": images, "labs": labs_wall_time, "records": record_figures,
         "phases": fresh_test_phases, "site": site, "cpu": cpu_per_test_file}[part]()
    return 0


def record_figures() -> None:
    """How the records are compared, and which steps print differently on the other engine
    setups than on the one a page shows first (Docker 29 where it was recorded)."""
    from labs.compare import same_output
    from labs.records import read_record
    from macros.variant_notes import setup_name

    labs = load_labs()
    modes: dict[str, int] = {}
    differing: dict[tuple[int, str], list[str]] = {}
    for lab in labs:
        record = read_record(lab)
        for phase in ("steps", "cleanup"):
            for index, step in enumerate(getattr(lab.definition, phase)):
                modes[step.compare.mode] = modes.get(step.compare.mode, 0) + 1
                if record is None:
                    continue
                mine = getattr(record.primary, phase)[index]
                for other in record.others:
                    theirs = getattr(other, phase)[index]
                    if theirs.exit_code != mine.exit_code or not same_output(
                            step.compare, mine, record.primary.host, theirs, other.host):
                        pair = (-other.engine_major, f"{setup_name(record.primary)} -> {setup_name(other)}")
                        differing.setdefault(pair, []).append(
                            f"{lab.id} {phase}[{index}]: {step.run.splitlines()[0][:60]}")
    for mode in ("exact", "unordered", "lines", "exit-code"):
        print(f"steps compared by {mode:10} {modes.get(mode, 0):4}")
    print(f"steps compared by exit code only: {modes.get('exit-code', 0)} (goal <= 5)")
    for (_order, pair), lines in sorted(differing.items()):
        print(f"steps whose output differs, {pair}: {len(lines)}")
        for line in lines:
            print(f"  {line}")


def fresh_test_phases() -> None:
    from .phases import main

    main()


def cpu_per_test_file() -> None:
    from .cpu import main

    main([])


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
    from .images import main

    main([])


def labs_wall_time() -> None:
    engine = engine_module.client()
    labs = load_labs()
    total = 0.0
    for lab in labs:
        result = LabRunner(lab, engine, log=lambda _line: None).run()
        total += result.seconds
        verdict = "ok" if result.ok else "FAILED"
        goal = "" if result.seconds < LAB_GOAL_SECONDS else f"  (over the {LAB_GOAL_SECONDS} s goal)"
        print(f"{lab.id:28} {result.seconds:6.1f} s  {verdict}{goal}")
    print(f"{'all labs, one after another':28} {total:6.1f} s")


def site() -> None:
    from . import lighthouse
    from . import site as site_figures

    site_figures.main()
    print("\n## site on a phone (Lighthouse)")
    lighthouse.main()


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="./dev bench", description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", choices=PARTS,
                        help="잴 항목; 없으면 phases와 cpu를 뺀 전부 (what to measure; all but phases and cpu when omitted). "
                             "phases는 엔진과 이미지를 처음부터 다시 설치합니다 (phases reinstalls from nothing); "
                             "cpu는 전체 테스트를 하나씩 돌려 파일별 CPU 시간을 잽니다 (cpu: the suite one test at a time, "
                             "busy core-seconds per test file)")
    return run_benchmarks(parser.parse_args(argv).parts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
