"""Builds the site into a folder and serves it on 127.0.0.1, for tests and the benchmark."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[2]


def build(target: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "LABS_ALLOW_UNRECORDED"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def pages(folder: Path) -> list[Path]:
    """Every HTML page of the built site except the 404 page and search assets."""
    return sorted(path for path in folder.rglob("index.html") if "assets" not in path.parts)
