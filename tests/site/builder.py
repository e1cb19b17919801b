"""Builds the site into a folder and serves it on 127.0.0.1, for tests and the benchmark."""

from __future__ import annotations

import functools
import gzip
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


@contextmanager
def built_site() -> Iterator[Path | None]:
    """A fresh build in a temporary folder for a benchmark; None (and the error printed) if it fails."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        result = build(Path(folder))
        if result.returncode != 0:
            print(f"build failed:\n{result.stderr[-2000:]}")
            yield None
        else:
            yield Path(folder)


COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _GzipHandler(_QuietHandler):
    """Compresses text files for clients that accept gzip and sends cache headers, as static
    hosts such as GitHub Pages do (max-age=600), so transfer and Lighthouse figures match
    what a reader's browser really gets."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in COMPRESSIBLE \
                or not path.is_file():
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(folder: Path, compress: bool = False) -> Iterator[str]:
    handler = functools.partial(_GzipHandler if compress else _QuietHandler, directory=str(folder))
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
