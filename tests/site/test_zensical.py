"""The same pages from Zensical as from MkDocs: nothing the site needs at build time may hide in
an MkDocs-only hook. Each page's main text (the article) must match; theme chrome, navigation
and search (Zensical has its own) may differ."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup

from .builder import pages
from .zensical_build import SITE, build


@pytest.fixture(scope="module")
def zensical_site():
    result = build()
    if result.returncode != 0:
        pytest.fail(f"zensical build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}", pytrace=False)
    yield SITE
    shutil.rmtree(SITE, ignore_errors=True)


BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "td", "th", "dt", "dd", "figcaption", "summary"]


def main_text(html: str) -> list[str]:
    """The text of each block of the article, whitespace collapsed. Inline markup (Pygments'
    token spans, which a build step may thin out) does not count, only what a reader sees."""
    article = BeautifulSoup(html, "html.parser").select_one("article")
    assert article is not None, "no <article> on the page"
    for chrome in article.select(".headerlink, button, script"):
        chrome.decompose()
    texts = (re.sub(r"\s+", " ", block.get_text("")).strip() for block in article.find_all(BLOCKS))
    return [text for text in texts if text]


def test_zensical_builds_every_page_with_the_same_main_text(built_site, zensical_site):
    folder, _ = built_site
    mkdocs_pages = pages(folder)
    assert len(mkdocs_pages) >= 10
    for page in mkdocs_pages:
        relative = page.relative_to(folder)
        twin = zensical_site / relative
        assert twin.exists(), f"Zensical made no {relative}"
        expected, found = main_text(page.read_text(encoding="utf-8")), main_text(twin.read_text(encoding="utf-8"))
        assert found == expected, f"{relative}: first difference at line " + str(
            next(i for i, (a, b) in enumerate(zip(expected + [""], found + [""])) if a != b))
