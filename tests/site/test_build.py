"""The built site: strict build, commands only from labs, every lab shown, links whole, nothing remote."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from labs.loader import load_labs

from .builder import pages

SHELL_LANGUAGES = ("language-bash", "language-sh", "language-shell", "language-console", "language-powershell",
                   "language-bat", "language-cmd", "language-ps1")
REQUESTING = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
              "video": "src", "audio": "src", "embed": "src", "object": "data"}


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site_pages(built_site):
    folder, _ = built_site
    return {path: soup_of(path) for path in pages(folder)}


def test_strict_build_has_no_warnings(built_site):
    _, result = built_site
    assert "WARNING" not in result.stderr, result.stderr


def test_every_command_block_comes_from_a_lab(site_pages):
    commands = set()
    for lab in load_labs():
        for step in [*lab.definition.steps, *lab.definition.cleanup]:
            commands.add(step.run.strip())
            if step.other_shells is not None:
                commands |= {text.strip() for text in step.other_shells.forms(step.run).values()}
    strays, checked = [], 0
    for path, soup in site_pages.items():
        for block in soup.select("div.highlight"):
            classes = set(block.get("class", []))
            if "no-copy" in classes:
                continue
            text = block.find("code").get_text().strip()
            if not classes & set(SHELL_LANGUAGES) and not re.search(r"^\s*docker\s", text, re.MULTILINE):
                continue  # a lab's file or an example that runs no docker command
            checked += 1
            if text not in commands:
                strays.append(f"{path.parent.name}: {sorted(classes)} {text[:80]!r}")
    assert checked >= len(commands) * 0.9, f"only {checked} command blocks found for {len(commands)} commands"
    assert not strays, "copyable code blocks that no lab defines:\n" + "\n".join(strays)


def test_every_lab_appears_on_a_page(site_pages):
    shown = {anchor["id"][4:] for soup in site_pages.values() for anchor in soup.select("[id^=lab-]")}
    missing = sorted(lab.id for lab in load_labs() if lab.id not in shown)
    assert not missing, f"labs on no page: {missing}"


def test_output_blocks_have_no_copy_button_class(site_pages):
    for soup in site_pages.values():
        for title in soup.select("span.filename"):
            if title.get_text() in ("출력", "오류 출력 (stderr)"):
                assert "no-copy" in title.find_parent("div")["class"]


def test_internal_links_and_anchors_resolve(built_site, site_pages):
    folder, _ = built_site
    ids_cache: dict[Path, set[str]] = {}
    broken = []
    for path, soup in site_pages.items():
        page_url = "/" + path.parent.relative_to(folder).as_posix() + "/"
        for anchor in soup.find_all("a", href=True):
            href = anchor["href"]
            parsed = urlparse(href)
            if parsed.scheme or href.startswith("//") or href.startswith("mailto:"):
                continue
            target_url = urlparse(urljoin(page_url.replace("//", "/"), href))
            target = folder / unquote(target_url.path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page_url}: {href} (no file)")
                continue
            fragment = unquote(target_url.fragment)
            if fragment and target.suffix == ".html":
                if target not in ids_cache:
                    ids_cache[target] = {tag["id"] for tag in soup_of(target).find_all(id=True)}
                if fragment not in ids_cache[target]:
                    broken.append(f"{page_url}: {href} (no anchor #{fragment})")
    assert not broken, "\n".join(broken)


def test_no_page_asks_another_host(built_site, site_pages):
    folder, _ = built_site
    remote = []
    for path, soup in site_pages.items():
        for tag, attribute in REQUESTING.items():
            for element in soup.find_all(tag):
                if tag == "link" and "canonical" in (element.get("rel") or []):
                    continue  # names the published address; the browser requests nothing
                url = element.get(attribute, "")
                if re.match(r"^(https?:)?//", url) and not re.match(r"^https?://127\.0\.0\.1[:/]", url):
                    remote.append(f"{path.parent.name}: <{tag} {attribute}={url}>")
    for stylesheet in folder.rglob("*.css"):
        for url in re.findall(r"url\((['\"]?)((https?:)?//[^)'\"]+)", stylesheet.read_text(errors="replace")):
            remote.append(f"{stylesheet.name}: url({url[1]})")
    assert not remote, "\n".join(remote)


def test_diagrams_are_inline_svg_with_korean_labels(site_pages):
    figures = [figure for soup in site_pages.values() for figure in soup.select("figure.diagram")]
    assert figures, "no diagrams on the site"
    for figure in figures:
        svg = figure.find("svg")
        assert svg is not None and svg.get("viewbox"), figure.get("id")
        assert re.search(r"[\uac00-\ud7a3]", svg.get_text()), f"{figure.get('id')}: no Korean label"


def test_search_index_is_plain_utf8(built_site):
    folder, _ = built_site
    index = (folder / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "컨테이너" in index and "\\uceec" not in index  # 컨 as written, not as an escape
