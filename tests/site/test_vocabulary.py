"""Every built page keeps to one vocabulary (the glossary's) and to 합니다체.

The glossary (docs/glossary.md, read by macros/terms.py) lists for each term the variants the
site does not use. This is a small pytest over that table rather than textlint with a prh
dictionary: the table already lives in the glossary where readers see it, the search helper reads
the same table, and the check needs no Node toolchain in a suite that is otherwise Python.
The built HTML is checked, not the Markdown, so text that macros bring from lab.yaml
(titles, purposes, explanations) and the diagrams' SVG text are covered too. Code and recorded
output are left out: there the words are Docker's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from macros.terms import VARIANTS_CLASS, Term, load_terms

from .builder import pages

# Docker's own text and the glossary's list of variants are not prose to check.
NOT_PROSE = f"pre, code, kbd, script, style, div.highlight, .{VARIANTS_CLASS}, .headerlink"
BLOCKS = ("p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption",
          "summary", "title", "desc", "text", "tspan", "blockquote", "div", "tr", "br")

# Word choices that are not glossary terms: (rejected, preferred).
STYLE = (
    ("진짜", "실제"),
    ("이 책의 명령", "이 사이트의 명령"),
    ("이 책의 실습", "이 사이트의 실습"),
)

# 해요체 endings at the end of a sentence; the site writes 합니다체. Questions in -나요?/-까요?
# (a reader's question, a heading) are fine, so they are not listed.
HAEYO = re.compile(r"(?:지요|죠|니까요|해요|에요|예요|네요|군요|거든요|잖아요|돼요|어요|아요)(?=[.!?…)]*(?:\s|$))",
                   re.MULTILINE)
QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|‘[^’\n]*’|\'[^\'\n]*\'')

# The issue that introduced this check named these; the glossary must keep rejecting them.
MUST_REJECT = {"포트 포워딩", "포트 공개", "WSL2", "애플 실리콘", "Apple Silicon", "한살이",
               "익명 볼륨", "저장소"}


def prose_lines(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    main = soup.select_one("article") or soup
    for element in main.select(NOT_PROSE):
        element.decompose()
    for element in main.find_all(BLOCKS):
        element.insert_before("\n")
        element.insert_after("\n")
    text = main.get_text("")
    return [re.sub(r"\s+", " ", line).strip() for line in text.split("\n") if line.strip()]


def _excused(line: str, start: int, variant: str, longer_names: list[str]) -> bool:
    """A rejected variant inside another term's preferred name (저장소 in 패키지 저장소) is that term."""
    for name in longer_names:
        offset = name.find(variant)
        while offset >= 0:
            if line[start - offset:start - offset + len(name)] == name:
                return True
            offset = name.find(variant, offset + 1)
    return False


def rejected_uses(lines: list[str], terms: list[Term]) -> list[str]:
    preferred = [term.korean for term in terms]
    found = []
    checks = [(variant, term.korean) for term in terms for variant in term.rejected] + list(STYLE)
    for line in lines:
        for variant, better in checks:
            longer = [name for name in preferred if variant in name and name != variant]
            for match in re.finditer(re.escape(variant), line):
                if not _excused(line, match.start(), variant, longer):
                    found.append(f"{variant!r} (use {better!r}): …{line[max(0, match.start() - 30):match.end() + 30]}…")
    return found


def haeyo_uses(lines: list[str]) -> list[str]:
    found = []
    for line in lines:
        unquoted = QUOTED.sub("", line)
        for match in HAEYO.finditer(unquoted):
            found.append(f"…{unquoted[max(0, match.start() - 30):match.end() + 5]}…")
    return found


@pytest.fixture(scope="module")
def terms() -> list[Term]:
    return load_terms()


@pytest.fixture(scope="module")
def page_lines(built_site) -> dict[str, list[str]]:
    folder, _ = built_site
    return {path.parent.relative_to(folder).as_posix() or "index": prose_lines(path.read_text(encoding="utf-8"))
            for path in pages(folder)}


def test_glossary_names_the_rejected_variants(terms):
    rejected = {variant for term in terms for variant in term.rejected}
    assert MUST_REJECT <= rejected, f"glossary no longer rejects {sorted(MUST_REJECT - rejected)}"
    preferred = {term.korean for term in terms}
    assert not rejected & preferred, f"variants both preferred and rejected: {sorted(rejected & preferred)}"


def test_every_term_anchor_is_on_the_built_glossary(built_site, terms):
    folder, _ = built_site
    soup = BeautifulSoup((Path(folder) / "glossary" / "index.html").read_text(encoding="utf-8"), "html.parser")
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    missing = [term.anchor for term in terms if term.anchor not in ids]
    assert not missing, f"glossary terms without their anchor: {missing}"
    shown = soup.select(f".{VARIANTS_CLASS}")
    assert len(shown) == sum(1 for term in terms if term.aliases or term.rejected)


def test_no_page_uses_a_rejected_variant(page_lines, terms):
    problems = [f"{page}: {problem}" for page, lines in page_lines.items() for problem in rejected_uses(lines, terms)]
    assert not problems, "rejected variants in built pages:\n" + "\n".join(problems)


def test_prose_keeps_to_hamnida_style(page_lines):
    problems = [f"{page}: {problem}" for page, lines in page_lines.items() for problem in haeyo_uses(lines)]
    assert not problems, "해요체 sentence endings in built pages:\n" + "\n".join(problems)


def test_the_checks_catch_and_spare_what_they_should(terms):
    html = """<article><p>포트 포워딩으로 잇습니다. 패키지 저장소를 등록합니다.</p>
    <p>효과를 내는 것이지요. 다시 받으면 되니까요.</p><pre><code>WSL2 저장소 한살이</code></pre>
    <p class="term-variants">쓰지 않는 표기: 익명 볼륨</p><p>"안 돼요"라고 말합니다. 오류가 나요?</p></article>"""
    lines = prose_lines(html)
    assert [found.split(" ")[0] for found in rejected_uses(lines, terms)] == ["'포트"]
    assert len(haeyo_uses(lines)) == 2
