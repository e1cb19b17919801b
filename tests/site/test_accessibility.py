"""Every page for every reader, on a phone too: axe-core finds nothing serious in the light or
dark palette, diagrams can be read at 390 px, Korean words stay whole, long outputs are
collapsed, and each page says what it is about at the published address."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from macros import long_output

from . import axe
from .browser import chromium, visit
from .builder import pages

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(
    ("" if path.name == "index.md" else path.stem + "/") if path.parent == DOCS
    else path.parent.relative_to(DOCS).as_posix() + "/" + ("" if path.name == "index.md" else path.stem + "/")
    for path in DOCS.rglob("*.md") if "includes" not in path.parts
)
PHONE = 390
SMALLEST_DIAGRAM_TEXT = 11  # CSS px
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(site_network):
    with chromium(site_network) as launched:
        yield launched


@pytest.fixture(scope="module")
def built_pages(built_site) -> dict[str, BeautifulSoup]:
    folder, _ = built_site
    found = {}
    for page_file in pages(folder):
        path = page_file.parent.relative_to(folder).as_posix()
        found["" if path == "." else path + "/"] = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
    return found


# --- axe-core -------------------------------------------------------------------------------

@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing_serious(browser, site_url, path, dark):
    if not axe.installed():
        pytest.fail("axe-core is not installed: npm ci --prefix tests/site/npm (./dev test does it)")
    with visit(browser, site_url + path, dark=dark) as seen:
        serious = axe.blocking(axe.audit(seen.page))
    assert not serious, f"/{path} ({'dark' if dark else 'light'}):\n{axe.describe(serious)}"


def test_axe_catches_a_link_told_apart_by_colour_alone(browser, site_url):
    """The check above can fail: the same run flags a link whose underline is taken away."""
    with visit(browser, site_url + "ch01/") as seen:
        seen.page.add_style_tag(content=".md-typeset a { text-decoration: none !important; }")
        rules = {rule["id"] for rule in axe.blocking(axe.audit(seen.page))}
    assert "link-in-text-block" in rules


# --- diagrams on a phone --------------------------------------------------------------------

SMALLEST_TEXT_IN = """
svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll("text")].map(text => parseFloat(getComputedStyle(text).fontSize) * scale);
  return Math.min(...sizes);
}
"""


def test_diagrams_open_full_screen_with_the_keyboard_and_are_readable_on_a_phone(browser, site_url, built_pages):
    with_diagrams = [path for path, soup in built_pages.items() if soup.select("figure.diagram svg")]
    assert with_diagrams, "no page has a diagram"
    checked = 0
    for path in with_diagrams:
        with visit(browser, site_url + path, width=PHONE) as seen:
            page = seen.page
            figures = page.locator("figure.diagram")
            for index in range(figures.count()):
                figure = figures.nth(index)
                name = figure.get_attribute("id")
                button = figure.get_by_role("button", name="그림 크게 보기")
                button.focus()
                page.keyboard.press("Enter")
                dialog = page.get_by_role("dialog", name=figure.locator("figcaption").inner_text())
                dialog.wait_for()
                smallest = dialog.locator("svg").evaluate(SMALLEST_TEXT_IN)
                assert smallest >= SMALLEST_DIAGRAM_TEXT, f"/{path} {name}: text {smallest:.1f} px when enlarged"
                page.keyboard.press("Escape")
                dialog.wait_for(state="hidden")
                expect(figure.locator("svg"), f"{name}: diagram not back in its place").to_have_count(1)
                expect(button, f"{name}: focus not returned to the button").to_be_focused()
                checked += 1
            assert not seen.errors, seen.errors
    assert checked >= len(with_diagrams)


# --- Korean words stay whole ----------------------------------------------------------------

BROKEN_WORDS_IN = """
selector => {
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    if (!element.getClientRects().length) continue;
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[\\uac00-\\ud7a3]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}
"""
HEADINGS_AND_LINKS = "article :is(h1, h2, h3, h4, h5, h6), article a, .md-nav a, .md-footer a"


def test_korean_words_do_not_break_inside_a_word_on_a_phone(browser, site_url):
    broken = {}
    for path in PAGES:
        with visit(browser, site_url + path, width=PHONE) as seen:
            words = seen.page.evaluate(BROKEN_WORDS_IN, HEADINGS_AND_LINKS)
        if words:
            broken["/" + path] = words
    assert not broken, f"Korean words split across lines in headings or links: {broken}"


def test_korean_words_do_not_break_inside_a_word_in_search_results(browser, site_url):
    with visit(browser, site_url, width=PHONE) as seen:
        page = seen.page
        page.locator("label.md-header__button[for=__search]").click()
        page.locator("input.md-search__input").fill("컨테이너를 지웁니다")
        page.keyboard.press("End")  # Material listens for key-ups
        page.wait_for_selector(".md-search-result__item", timeout=45000)
        results = page.locator(".md-search-result__item")
        assert results.count() > 0
        words = page.evaluate(BROKEN_WORDS_IN, ".md-search-result__item")
    assert not words, f"Korean words split across lines in search results: {words}"


# --- long pages stay light ------------------------------------------------------------------

def test_long_recorded_outputs_are_collapsed_past_a_few_lines(built_pages):
    collapsed = 0
    for path, soup in built_pages.items():
        for block in soup.select("div.no-copy pre"):
            if block.find_parent("details", class_="lab-output-more"):
                continue
            lines = block.get_text().rstrip("\n").split("\n")
            assert len(lines) <= long_output.COLLAPSE_OVER, f"/{path}: {len(lines)} output lines shown at once"
        for more in soup.select("details.lab-output-more"):
            assert more.summary.get_text().startswith(long_output.SUMMARY)
            assert not more.has_attr("open")
            assert more.select_one("div.no-copy pre"), f"/{path}: nothing behind {long_output.SUMMARY}"
            collapsed += 1
    assert collapsed > 0, "no recorded output is long enough to collapse; the check proves nothing"


# --- descriptions and the published address -------------------------------------------------

def site_description() -> str:
    """mkdocs.yml's site_description: what Material writes on a page that has none of its own."""
    config = (DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8")
    line = next(line for line in config.splitlines() if line.startswith("site_description:"))
    return yaml.safe_load(line)["site_description"]


def test_every_page_has_its_own_description(built_pages):
    default = site_description()
    missing = []
    for path, soup in built_pages.items():
        meta = soup.select_one('meta[name="description"]')
        content = (meta.get("content") or "").strip() if meta else ""
        if not content or content == default:
            missing.append("/" + path)
    assert not missing, f"pages whose description is missing or the site's default: {sorted(missing)}"


def test_canonical_links_and_sitemap_name_the_published_address(built_site, built_pages):
    folder, _ = built_site
    for path, soup in built_pages.items():
        canonical = soup.select_one('link[rel="canonical"]')
        assert canonical, f"/{path}: no canonical link"
        address = urlparse(canonical["href"])
        assert address.scheme == "https" and address.hostname not in ("127.0.0.1", "localhost"), canonical["href"]
        assert address.path.endswith("/" + path), f"/{path}: canonical {canonical['href']}"
    sitemap = (folder / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(urlparse(location).scheme == "https" for location in locations), locations[:3]
    assert not any("127.0.0.1" in location or "localhost" in location for location in locations)
