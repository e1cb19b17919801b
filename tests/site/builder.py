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
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

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


@dataclass
class QuietSite:
    url: str
    network: Optional[str]   # the network namespace to start the browser in; None: the machine's own


@contextmanager
def serve_quietly(folder: Path) -> Iterator[QuietSite]:
    """The site served inside a network namespace of its own, for a browser started in the same one.
    Chromium aborts page loads with ERR_NETWORK_CHANGED when a network interface comes or goes,
    and the labs running beside the site tests add and remove container interfaces all the time.
    Without root (no namespace to make) the site is served on the machine's own loopback."""
    if os.geteuid() != 0:
        with serve(folder) as url:
            yield QuietSite(url, None)
        return
    server = subprocess.Popen(["unshare", "--net", "--", sys.executable, "-m", "tests.site.builder", str(folder)],
                              cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"the site server in its own network did not start (exit {server.poll()})")
        yield QuietSite(url, f"/proc/{server.pid}/ns/net")
    finally:
        server.stdin.close()
        server.wait(timeout=30)


def _serve_until_stdin_closes(folder: Path) -> None:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    with serve(folder) as url:
        print(url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    _serve_until_stdin_closes(Path(sys.argv[1]))
