"""Korean search in real chromium: readers' queries typed, pasted and composed by an input
method must bring up the section that answers them; the site's search worker must be the one
running; a page read without searching must not download the search index."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import urlparse

import pytest

from macros.search_index import APPENDIX_BOOST, appendix_locations
from macros.terms import load_terms

from .browser import chromium, visit
from .builder import REPO
from .search_queries import COMPOSED, PASTED, QUERIES, Query
from .searching import SEARCH_BOX, compose_query, install_probe, paste_query, type_query

pytestmark = pytest.mark.browser
TOP = 3


@pytest.fixture(scope="module")
def browser(site_network):
    with chromium(site_network) as launched:
        yield launched


@pytest.fixture(scope="module")
def search_page(browser, site_url):
    """One page for all the queries, as a reader searching again and again."""
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    install_probe(page)
    page.goto(site_url, wait_until="networkidle")
    page.locator(SEARCH_BOX).click()
    yield page
    context.close()


def params(queries: list[Query]):
    return [pytest.param(query, id=query.text,
                         marks=[pytest.mark.xfail(reason=query.known_miss)] if query.known_miss else [])
            for query in queries]


def assert_found(query: Query, results: list[str]) -> None:
    top = results[:TOP]
    assert any(found in query.answers for found in top), \
        f"{query.text!r} ({query.kind}): wanted one of {query.answers} in the top {TOP}, got {top}"


@pytest.mark.parametrize("query", params(QUERIES))
def test_typed_query_finds_its_section(search_page, site_url, query):
    # No extra key after the text: Hangul typed this way arrives as inserted text.
    assert_found(query, type_query(search_page, query.text, site_url).results)


@pytest.mark.parametrize("query", params(PASTED))
def test_pasted_query_finds_its_section(search_page, site_url, query):
    assert_found(query, paste_query(search_page, query.text, site_url).results)


@pytest.mark.parametrize("query", params(COMPOSED))
def test_ime_composed_query_finds_its_section(search_page, site_url, query):
    assert_found(query, compose_query(search_page, query.text, site_url).results)


def test_the_sites_search_worker_is_the_one_answering(browser, site_url):
    with visit(browser, site_url + "ch02/") as seen:
        page = seen.page
        assert page.evaluate("typeof window.koreanSearch") == "object", "overrides/main.html did not load"
        page.locator(SEARCH_BOX).click()
        page.keyboard.type("볼륨을")
        page.wait_for_selector(".md-search-result__item", timeout=60000)
        loaded = {urlparse(url).path for url in seen.requests}
        ours = {"/assets/javascripts/korean-search.js", "/assets/javascripts/workers/korean-search-worker.js",
                "/assets/javascripts/workers/korean-words.js", "/assets/javascripts/workers/korean-rank.js"}
        assert ours <= loaded, sorted(loaded)
        assert any(re.fullmatch(r"/assets/javascripts/workers/search\.[0-9a-f]+\.min\.js", path) for path in loaded), \
            "our worker must load Material's worker inside it"
        worker_urls = [worker.url for worker in page.workers]
        assert any("/workers/korean-search-worker.js?material=search." in url for url in worker_urls), worker_urls
        assert not seen.errors, seen.errors


def test_results_mark_the_words_found_cleanly(search_page, site_url):
    # A word and its stem share a place in the text (볼륨을, 볼륨); marking it twice broke
    # Material's <mark> tags into visible "rk>" text.
    type_query(search_page, "볼륨을 백업하려면", site_url)
    results = search_page.locator(".md-search-result__list")
    marked = results.locator("mark").all_inner_texts()
    assert any("볼륨" in text for text in marked) and any("백업" in text for text in marked), marked
    text = results.inner_text()
    assert "rk>" not in text and "<mark" not in text and "</" not in text


@pytest.mark.parametrize("path", ["", "ch06/", "glossary/"])
def test_a_page_read_without_searching_loads_no_search_index(browser, site_url, path):
    with visit(browser, site_url + path) as seen:
        page = seen.page
        page.mouse.wheel(0, 2000)
        page.wait_for_load_state("networkidle")
        fetched = [url for url in seen.requests if "search_index" in url or "/workers/" in url]
        assert not fetched, f"loaded before search was opened: {fetched}"

        with page.expect_request(lambda request: request.url.endswith("/search/search_index.json")):
            page.locator(SEARCH_BOX).click()  # opening search loads it


def test_a_search_link_opens_with_results(browser, site_url):
    with visit(browser, site_url + "?q=바인드+마운트를") as seen:
        seen.page.wait_for_selector(".md-search-result__item", timeout=60000)
        links = seen.page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
        assert any("#bind-mount" in link for link in links), links


def test_index_carries_synonyms_from_the_glossary(built_site):
    folder, _ = built_site
    data = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
    groups = [set(group) for group in data["config"]["korean"]["synonyms"]]
    named = [term for term in load_terms()
             if term.english and not {",", "/"} & set(term.korean + term.english)]
    assert named, "the glossary lists no English names"
    for term in named:
        pair = {term.korean.lower(), term.english.lower()}
        assert any(pair <= group for group in groups), f"no synonym group for {term.korean} = {term.english}"
        for alias in term.aliases:
            assert any({term.korean.lower(), alias.lower()} <= group for group in groups), alias


def test_appendix_pages_rank_lower(built_site):
    folder, _ = built_site
    data = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
    appendix = appendix_locations(None)
    assert {"glossary/", "commands/"} <= appendix
    for doc in data["docs"]:
        boost = doc.get("boost", 1)
        in_appendix = doc["location"].split("#")[0] in appendix
        assert boost == (APPENDIX_BOOST if in_appendix else 1), doc["location"]


def test_index_step_runs_without_mkdocs(built_site, tmp_path):
    folder, _ = built_site
    (tmp_path / "search").mkdir()
    original = (folder / "search" / "search_index.json").read_text(encoding="utf-8")
    (tmp_path / "search" / "search_index.json").write_text(original, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "macros.search_index", str(tmp_path)], cwd=REPO, check=True)
    again = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert again == json.loads(original), "running the step again must change nothing"
