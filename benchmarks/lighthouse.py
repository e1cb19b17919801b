"""Lighthouse on a phone (its default mobile emulation and simulated slow 4G) for the pages a
reader is most likely to open, served as a static host serves them (gzip, cache headers).
Prints the median of three runs per page; a benchmark, not a test: nothing is asserted."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.site.browser import CHROMIUM, FLAGS
from tests.site.builder import built_site, serve

LIGHTHOUSE = Path(__file__).resolve().parents[1] / "tests/site/npm/node_modules/lighthouse/cli/index.js"
PAGES = ["", "ch04/", "troubleshooting/", "glossary/"]
RUNS = 3
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
GOALS = {"performance": 90, "accessibility": 100, "best-practices": 95, "seo": 95}
METRICS = {  # audit id -> (column title, unit divisor, format)
    "largest-contentful-paint": ("LCP s", 1000, "{:.1f}"),
    "total-blocking-time": ("TBT ms", 1, "{:.0f}"),
    "cumulative-layout-shift": ("CLS", 1, "{:.3f}"),
    "dom-size": ("DOM", 1, "{:.0f}"),
}


def lighthouse(url: str) -> dict:
    result = subprocess.run(
        ["node", str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         "--form-factor=mobile", f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=" + " ".join(["--headless=new", *FLAGS])],
        capture_output=True, text=True, timeout=300, env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    report = json.loads(result.stdout)
    figures = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    for audit in METRICS:
        figures[audit] = report["audits"][audit].get("numericValue") or 0
    figures["failing"] = sorted(
        audit_id for name in ("accessibility", "best-practices", "seo")
        for ref in report["categories"][name]["auditRefs"]
        if ref["weight"] and (report["audits"][(audit_id := ref["id"])]["score"] or 0) < 1)
    return figures


def median_run(url: str, runs: int) -> dict:
    reports = [lighthouse(url) for _ in range(runs)]
    median = {key: statistics.median(report[key] for report in reports) for key in reports[0] if key != "failing"}
    median["failing"] = sorted({audit for report in reports for audit in report["failing"]})
    return median


def main(paths: list[str] | None = None, runs: int = RUNS) -> None:
    if not LIGHTHOUSE.is_file():
        print("lighthouse is not installed: npm ci --prefix tests/site/npm (./dev test does it)")
        return
    with built_site() as folder:
        if folder is not None:
            report(folder, paths or PAGES, runs)


def report(site: Path, paths: list[str], runs: int) -> None:
    print(f"Lighthouse 12 (mobile: Moto G Power screen, simulated slow 4G, 4x CPU slowdown), "
          f"median of {runs} runs; gzip + Cache-Control as a static host serves the site")
    print("goals: " + ", ".join(f"{name} >= {goal}" for name, goal in GOALS.items()))
    header = ["page", "perf", "a11y", "best", "seo"] + [title for title, _, _ in METRICS.values()]
    print(f"{header[0]:18}" + "".join(f"{title:>8}" for title in header[1:]) + "  verdict")
    with serve(site, compress=True) as url:
        for path in paths:
            started = time.monotonic()
            figures = median_run(url + path, runs)
            cells = [f"{figures[name]:8.0f}" for name in CATEGORIES]
            cells += [f"{fmt.format(figures[audit] / divisor):>8}" for audit, (_, divisor, fmt) in METRICS.items()]
            missed = [name for name, goal in GOALS.items() if figures[name] < goal]
            verdict = "ok" if not missed else "below goal: " + ", ".join(missed)
            print(f"/{path:17}" + "".join(cells) + f"  {verdict}  ({time.monotonic() - started:.0f} s)", flush=True)
            if figures["failing"]:
                print(f"{'':18}  failing audits: {', '.join(figures['failing'])}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or None)
