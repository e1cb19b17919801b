"""Every chapter has the same shape: description, what you learn, what to have ready, the
sections, a summary and a way on to the next page; every page has its own description."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .builder import pages

# Reading order; the last chapter leads on to the troubleshooting page.
CHAPTERS = ["ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch07"]
AFTER_LAST = "troubleshooting"


@pytest.fixture(scope="module")
def soups(built_site) -> dict[str, BeautifulSoup]:
    folder, _ = built_site
    return {path.parent.relative_to(folder).as_posix() or "index":
            BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser") for path in pages(folder)}


def description(soup: BeautifulSoup) -> str:
    meta = soup.find("meta", attrs={"name": "description"})
    return meta["content"].strip() if meta and meta.get("content") else ""


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_the_shared_shape(soups, chapter):
    soup = soups[chapter]
    article = soup.select_one("article")
    titles = [title.get_text(strip=True) for title in article.select(".admonition.abstract > .admonition-title")]
    assert "이 장에서 배우는 것" in titles, f"{chapter}: no '이 장에서 배우는 것' box"
    before = article.find(id="before-you-begin")
    assert before is not None and "시작하기 전에" in before.get_text(), f"{chapter}: no '시작하기 전에' section"
    summary = article.find(id="summary")
    assert summary is not None and "정리" in summary.get_text(), f"{chapter}: no '정리' section"
    headings = [heading.get("id") for heading in article.find_all("h2")]
    assert headings.index("before-you-begin") < headings.index("summary") == len(headings) - 1, \
        f"{chapter}: '시작하기 전에' must come first and '정리' last among the sections: {headings}"
    following = CHAPTERS[CHAPTERS.index(chapter) + 1] if chapter != CHAPTERS[-1] else AFTER_LAST
    onward = [link["href"] for link in summary.find_all_next("a", href=True) if link.find_parent("article")]
    assert any(href.rstrip("/").endswith(f"../{following}") or href.startswith(f"../{following}/")
               for href in onward), f"{chapter}: no link on to {following} after '정리'"


def test_every_page_has_its_own_description(soups):
    seen: dict[str, str] = {}
    for page, soup in soups.items():
        text = description(soup)
        assert text, f"{page}: no description"
        assert text not in seen, f"{page} and {seen.get(text)} share the description {text!r}"
        seen[text] = page
