"""The served site in a real browser: fonts, diagrams, search, copy buttons, no remote requests."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from labs.loader import find_lab

from .browser import chromium, visit

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(
    ("" if path.name == "index.md" else path.stem + "/") if path.parent == DOCS
    else path.parent.relative_to(DOCS).as_posix() + "/" + ("" if path.name == "index.md" else path.stem + "/")
    for path in DOCS.rglob("*.md") if "includes" not in path.parts
)
pytestmark = pytest.mark.browser
COPY_BUTTON = "button[data-md-type=copy], button.md-clipboard"


@pytest.fixture(scope="module")
def browser(site_network):
    with chromium(site_network) as launched:
        yield launched


def korean_fonts(page) -> set[str]:
    """The fonts chromium really used to draw the first Korean heading."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    heading = session.send("DOM.querySelector", {"nodeId": root, "selector": "article h1"})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": heading})["fonts"]
    return {font["familyName"] for font in fonts}


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_page_renders_locally_and_cleanly(browser, site_url, artifacts, path, dark):
    origin = urlparse(site_url).netloc
    with visit(browser, site_url + path, dark=dark) as seen:
        page = seen.page
        name = (path.strip("/").replace("/", "-") or "home") + ("-dark" if dark else "")
        screenshots = artifacts / "screenshots"
        screenshots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshots / f"{name}.jpg"), full_page=True, type="jpeg", quality=70)

        assert not seen.errors, seen.errors
        elsewhere = [url for url in seen.requests
                     if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).netloc != origin]
        assert not elsewhere, f"requests that left 127.0.0.1: {elsewhere}"

        if re.search(r"[\uac00-\ud7a3]", page.inner_text("article h1")):
            fonts = korean_fonts(page)
            assert any("CJK" in font or "KR" in font for font in fonts), f"Korean drawn with {fonts}"

        for figure in page.query_selector_all("figure.diagram svg"):
            box = figure.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50, f"diagram not drawn: {box}"
            labels = figure.query_selector_all("text")
            assert labels and all(label.bounding_box() for label in labels[:5])


SEARCHES = [("컨테이너", "ch0"), ("볼륨", "ch02/"), ("이미지", "ch02/"), ("life-demo", "ch02/"), ("web-a", "ch01/")]


@pytest.mark.parametrize("query, expected", SEARCHES, ids=[query for query, _ in SEARCHES])
def test_search_finds_the_right_page(browser, site_url, query, expected):
    with visit(browser, site_url) as seen:
        page = seen.page
        search = page.locator("input.md-search__input")
        search.click()
        page.keyboard.type(query)
        page.keyboard.press("End")  # Hangul arrives as inserted text; the search listens for key-ups
        page.wait_for_selector(".md-search-result__item a", timeout=45000)  # the index is built in a worker
        links = [link.get_attribute("href") for link in page.query_selector_all(".md-search-result__item a")]
        assert any(expected in (link or "") for link in links), f"{query!r} found {links}"


def test_copy_button_copies_exactly_the_command(browser, site_url):
    command = find_lab("lifecycle").definition.steps[0].run
    with visit(browser, site_url + "ch02/") as seen:
        page = seen.page
        block = page.locator("div.language-bash", has_text=command).first
        block.scroll_into_view_if_needed()
        block.hover()
        block.locator(COPY_BUTTON).click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.strip() == command
        outputs = page.locator(f"div.no-copy :is({COPY_BUTTON})")
        assert outputs.count() == 0, "recorded output blocks must not have a copy button"
