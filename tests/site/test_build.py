"""The built site: strict build, commands only from labs, every lab shown, links whole, nothing remote."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from labs.loader import load_labs
from macros.lab_markdown import STDERR_TITLE, STDOUT_TITLE, TERMINAL_TITLE

from .builder import REPO, pages

DOCS = REPO / "docs"

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
    titles = {STDOUT_TITLE, STDERR_TITLE, TERMINAL_TITLE}
    seen = set()
    for soup in site_pages.values():
        for title in soup.select("span.filename"):
            if title.get_text() in titles:
                assert "no-copy" in title.find_parent("div")["class"]
                seen.add(title.get_text())
    assert seen == titles, f"output titles found: {sorted(seen)}"


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


# --- every published file is used ----------------------------------------------------------

def _tolerant_yaml(text: str):
    """mkdocs.yml carries !ENV and !!python/... tags; only its plain entries matter here."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load(text, Loader=Loader)


def _configured_assets(config_text: str) -> set[str]:
    """extra_css and extra_javascript entries of mkdocs.yml, as paths inside docs/."""
    config = _tolerant_yaml(config_text) or {}
    found = set()
    for key in ("extra_css", "extra_javascript"):
        for entry in config.get(key) or []:
            path = entry.get("path") if isinstance(entry, dict) else entry
            if path:
                found.add(path.lstrip("/"))
    return found


def _excluded(relative: str, config_text: str) -> bool:
    """Files mkdocs does not publish (exclude_docs, gitignore-style folder lines)."""
    config = _tolerant_yaml(config_text) or {}
    for line in (config.get("exclude_docs") or "").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and (relative.startswith(line.lstrip("/")) or relative == line.lstrip("/")):
            return True
    return False


def used_files(site: Path, soups: dict[Path, BeautifulSoup]) -> set[str]:
    """Site-relative paths that a built page asks for (src, href, data, url() in the site's CSS)
    or inlines (the diagram macro's <figure id="diagram-NAME"> stands for diagrams/NAME.svg)."""
    used = set()

    def add(url: str, base: str) -> None:
        parsed = urlparse(url)
        if parsed.scheme or url.startswith(("//", "#", "mailto:", "data:")):
            return
        target = urlparse(urljoin(base, url)).path
        used.add(unquote(target).lstrip("/"))

    for path, soup in soups.items():
        base = "/" + path.relative_to(site).as_posix()
        for element in soup.find_all(True):
            for attribute in ("src", "href", "data", "poster", "xlink:href"):
                if element.get(attribute):
                    add(element[attribute], base)
            for candidate in (element.get("srcset") or "").split(","):
                if candidate.strip():
                    add(candidate.split()[0], base)
        for figure in soup.select("figure.diagram[id^=diagram-]"):
            used.add(f"diagrams/{figure['id'][len('diagram-'):]}.svg")
    for stylesheet in site.rglob("*.css"):
        base = "/" + stylesheet.relative_to(site).as_posix()
        for url in re.findall(r"url\((['\"]?)([^)'\"]+)\1\)", stylesheet.read_text(errors="replace")):
            add(url[1], base)
    return used


def unused_files(docs: Path, site: Path, soups: dict[Path, BeautifulSoup], config_text: str) -> list[str]:
    """Files under docs/ (not pages) that mkdocs publishes and no built page uses."""
    used = used_files(site, soups) | _configured_assets(config_text)
    unused = []
    for path in sorted(docs.rglob("*")):
        relative = path.relative_to(docs).as_posix()
        if path.is_dir() or path.suffix == ".md" or path.name.startswith(".") or _excluded(relative, config_text):
            continue
        if relative not in used:
            unused.append(relative)
    return unused


def test_every_file_under_docs_is_used_by_a_page(built_site):
    folder, _ = built_site
    soups = {path: soup_of(path) for path in folder.rglob("*.html")}
    unused = unused_files(DOCS, folder, soups, (REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert not unused, ("files under docs/ that no built page uses (delete them, or use them on a page):\n"
                        + "\n".join(unused))


def test_the_unused_file_check_finds_an_unused_file(tmp_path):
    docs, site = tmp_path / "docs", tmp_path / "site"
    for relative in ("index.md", "diagrams/used.svg", "diagrams/unused.svg", "images/photo.png", "images/logo.png",
                     "stylesheets/extra.css", "includes/abbreviations.md", "includes/note.txt", "fonts/a.woff2"):
        (docs / relative).parent.mkdir(parents=True, exist_ok=True)
        (docs / relative).write_text("x")
    (site / "ch").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "assets" / "site.css").write_text("@font-face { src: url('../fonts/a.woff2') }")
    page = site / "ch" / "index.html"
    page.write_text('<figure class="diagram" id="diagram-used"><svg></svg></figure>'
                    '<img src="../images/photo.png?v=1"><a href="https://example.org/images/logo.png">x</a>')
    config = "extra_css:\n  - stylesheets/extra.css\nexclude_docs: |\n  includes/\nmarkdown_extensions:\n" \
             "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    assert unused_files(docs, site, {page: soup_of(page)}, config) == ["diagrams/unused.svg", "images/logo.png"]
