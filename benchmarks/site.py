"""Site figures: build time, and the bytes each page transfers with everything it loads."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from . import search
from tests.site.browser import chromium, visit
from tests.site.builder import build, pages, serve

PLAIN_PAGE_GOAL = 400 * 1024
ANY_PAGE_GOAL = 1536 * 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder)
        started = time.monotonic()
        result = build(target)
        seconds = time.monotonic() - started
        if result.returncode != 0:
            print(f"build failed:\n{result.stderr[-2000:]}")
            return
        print(f"site build (mkdocs build --strict): {seconds:.2f} s (goal < 5 s)")
        print("transferred bytes per page with everything it loads; 'gzip' as a static host such as"
              " GitHub Pages serves it, 'plain' from a server that compresses nothing")
        with serve(target, compress=True) as gzip_url, serve(target) as plain_url, chromium() as browser:
            print(f"{'page':24} {'gzip KB':>8} {'plain KB':>9} {'requests':>9} diagrams  goal (gzip)")
            for page_file in pages(target):
                path = page_file.parent.relative_to(target).as_posix()
                path = "" if path == "." else path + "/"
                with visit(browser, gzip_url + path) as seen:
                    diagrams = seen.page.locator("figure.diagram").count()
                    compressed, requests = sum(seen.transferred.values()), len(seen.transferred)
                with visit(browser, plain_url + path) as seen:
                    plain = sum(seen.transferred.values())
                goal = ANY_PAGE_GOAL if diagrams else PLAIN_PAGE_GOAL
                verdict = "ok" if compressed <= goal else "OVER"
                print(f"/{path:23} {compressed / 1024:8.1f} {plain / 1024:9.1f} {requests:9} {diagrams:8}  "
                      f"{verdict} (<= {goal // 1024} KB)")
        print("\nsearch (benchmarks/search.py)")
        search.measure(target)


if __name__ == "__main__":
    main()
