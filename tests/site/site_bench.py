"""Site figures: build time, and the bytes each page transfers with everything it loads."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from .browser import chromium, visit
from .builder import build, pages, serve

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
        with serve(target) as url, chromium() as browser:
            print(f"{'page':28} {'KB':>8} {'requests':>9} diagrams  goal")
            for page_file in pages(target):
                path = page_file.parent.relative_to(target).as_posix()
                path = "" if path == "." else path + "/"
                with visit(browser, url + path) as seen:
                    diagrams = seen.page.locator("figure.diagram").count()
                    total = sum(seen.transferred.values())
                goal = ANY_PAGE_GOAL if diagrams else PLAIN_PAGE_GOAL
                verdict = "ok" if total <= goal else "OVER"
                print(f"/{path:27} {total / 1024:8.1f} {len(seen.transferred):9} {diagrams:8}  "
                      f"{verdict} (<= {goal // 1024} KB)")


if __name__ == "__main__":
    main()
