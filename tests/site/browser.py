"""Debian's chromium, headless, driven by Playwright; records every request and console error."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

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
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
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
