"""Debian's chromium, headless, driven by Playwright; records every request and console error."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these, chromium phones home at start and this machine's closed network refuses it.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-features=Translate,OptimizationHints,MediaRouter"]


@dataclass
class Visit:
    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    transferred: dict[str, int] = field(default_factory=dict)


@contextmanager
def chromium(network: Optional[str] = None) -> Iterator[Browser]:
    """network: a network namespace (/proc/PID/ns/net) to start chromium in, that of the site's
    server (see builder.serve_quietly); Playwright talks to it over a pipe, not the network.
    As root, chromium raises its own priority (nice -8) above the labs running beside it, whose
    readiness waits then run out: it starts without the capability to do so."""
    with tempfile.TemporaryDirectory(prefix="docker-labs-chromium-") as folder, sync_playwright() as playwright:
        executable = CHROMIUM
        if network is not None:
            executable = str(Path(folder) / "chromium")
            Path(executable).write_text(
                f"#!/bin/sh\nexec nsenter --net={network} "
                f'setpriv --bounding-set -sys_nice --inh-caps -sys_nice {CHROMIUM} "$@"\n')
            os.chmod(executable, 0o755)
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def visit(browser: Browser, url: str, dark: bool = False, width: int = 1280) -> Iterator[Visit]:
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        color_scheme="dark" if dark else "light",
        permissions=["clipboard-read", "clipboard-write"],
        locale="ko-KR",
    )
    page = context.new_page()
    record = Visit(page)
    page.on("request", lambda request: record.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and record.errors.append(message.text))
    page.on("pageerror", lambda error: record.errors.append(str(error)))

    def finished(request) -> None:
        try:
            sizes = request.sizes()
            record.transferred[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        except Exception:  # a request the page cancelled has no sizes
            pass

    page.on("requestfinished", finished)
    page.goto(url, wait_until="networkidle")
    try:
        yield record
    finally:
        context.close()
