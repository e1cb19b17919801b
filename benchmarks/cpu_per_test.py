"""A pytest plugin for `./dev bench cpu`: each test's wall time and the machine's busy
core-seconds while it ran (setup and teardown included), one line each in a TSV file.
The suite runs one test at a time for this, so the busy time is that test's, the engine's
work for it and the browser's included."""

from __future__ import annotations

import os
import time

import pytest

OUTPUT_VARIABLE = "BENCH_CPU_PER_TEST"


def busy_ticks() -> int:
    """All CPUs' busy time so far, in 1/100 s (user, nice, system, irq, softirq, steal)."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    return fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    ticks, started = busy_ticks(), time.monotonic()
    yield
    with open(os.environ[OUTPUT_VARIABLE], "a", encoding="utf-8") as output:
        output.write(f"{item.nodeid}\t{time.monotonic() - started:.2f}\t{(busy_ticks() - ticks) / 100:.2f}\n")
