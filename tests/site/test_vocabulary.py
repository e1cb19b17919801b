"""Every built page keeps to one vocabulary (the glossary's) and to 합니다체.

The glossary (docs/glossary.md, read by macros/terms.py) lists for each term the variants the
site does not use. This is a small pytest over that table rather than textlint with a prh
dictionary: the table already lives in the glossary where readers see it, the search helper reads
the same table, and the check needs no Node toolchain in a suite that is otherwise Python.
The built HTML is checked, not the Markdown, so text that macros bring from lab.yaml
(titles, purposes, explanations) and the diagrams' SVG text are covered too. Code and recorded
output are left out: there the words are Docker's own.

The same prose is also checked for slips a reader trips over: a word or phrase written twice in
a row, look-alike hyphens that a search or a copied option does not match, seams of a sentence
template (이(가), 을(를)) and regular-expression syntax shown as if it were text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString

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
    ("그 다음", "그다음"),
    ("자리 표시자", "자리표시자"),
    ("머리글 줄", "제목 줄"),
    ("컴포즈 파일", "Compose 파일"),
)

# 돌다 ("run") in 합니다체 is 돕니다, which reads as 돕다 ("help"). 돕다 takes an object
# (이해를 돕니다), so 돕니다 after a word ending in 을/를 is left alone; any other 돕니다 is 돌다.
DOPNIDA = re.compile(r"(?<![을를] )돕니다")
# A space between Hangul and a parenthesised English gloss, left by a line break in the source:
# "실행 중 (running)" for "실행 중(running)". Not checked in a diagram's labels, which have no line
# breaks to leave, nor in the glossary's headwords, written "**컨테이너** (container)" on purpose.
SPACED_GLOSS = re.compile(r"[가-힣] \(⟦?[A-Za-z]")
HEADWORDS_AND_LABELS = "svg, dl > dt"

# 해요체 endings at the end of a sentence; the site writes 합니다체. Questions in -나요?/-까요?
# (a reader's question, a heading) are fine, so they are not listed.
HAEYO = re.compile(r"(?:지요|죠|니까요|해요|에요|예요|네요|군요|거든요|잖아요|돼요|어요|아요)(?=[.!?…)]*(?:\s|$))",
                   re.MULTILINE)
QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|‘[^’\n]*’|\'[^\'\n]*\'')

# The issue that introduced this check named these; the glossary must keep rejecting them.
MUST_REJECT = {"포트 포워딩", "포트 공개", "WSL2", "애플 실리콘", "Apple Silicon", "한살이",
               "익명 볼륨", "저장소"}


def prose_lines(html: str, keep_inline_code: bool = False, skip: str = "") -> list[str]:
    """The prose of a page, one line per block. With keep_inline_code, each inline `code` stays as
    one ⟦token⟧ (its spaces as ·), so that words on either side of it do not meet; `skip` is a CSS
    selector for more elements to leave out."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.select_one("article") or soup
    for element in main.select(", ".join(filter(None, [NOT_PROSE, skip]))):
        if keep_inline_code and element.name in ("code", "kbd") and not element.find_parent("pre"):
            continue
        if not element.decomposed:
            element.decompose()
    if keep_inline_code:
        for element in main.find_all(("code", "kbd")):
            element.replace_with("⟦" + re.sub(r"\s+", "·", element.get_text().strip()) + "⟧")
    # A line break inside a paragraph is the source's wrapping, not the end of a block.
    for string in main.find_all(string=lambda text: type(text) is NavigableString and "\n" in text):
        string.replace_with(string.replace("\n", " "))
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


def _variant_hits(line: str, checks: list[tuple[str, str]], preferred: list[str]) -> dict[str, list[str]]:
    hits: dict[str, list[str]] = {}
    for variant, better in checks:
        longer = [name for name in preferred if variant in name and name != variant]
        for match in re.finditer(re.escape(variant), line):
            if not _excused(line, match.start(), variant, longer):
                hits.setdefault(variant, []).append(
                    f"{variant!r} (use {better!r}): …{line[max(0, match.start() - 30):match.end() + 30]}…")
    return hits


def rejected_uses(lines: list[str], terms: list[Term]) -> list[str]:
    preferred = [term.korean for term in terms]
    found = []
    # A STYLE pair the glossary also rejects is checked once.
    checks = list(dict.fromkeys([(variant, term.korean) for term in terms for variant in term.rejected] + list(STYLE)))
    for line in lines:
        hits = _variant_hits(line, checks, preferred)
        # "이름 없는(익명) 볼륨" hides 익명 볼륨 behind a parenthesis: read the line without them too.
        if "(" in line:
            for variant, problems in _variant_hits(re.sub(r"[()]", "", line), checks, preferred).items():
                hits.setdefault(variant, problems)
        found += [problem for problems in hits.values() for problem in problems]
        for match in DOPNIDA.finditer(line):
            found.append(f"'돕니다' (돌다: use '돌아갑니다' or '실행됩니다'): …{line[max(0, match.start() - 30):match.end() + 10]}…")
    return found


def spaced_glosses(lines: list[str]) -> list[str]:
    """Lines from prose_lines(..., keep_inline_code=True, skip=HEADWORDS_AND_LABELS)."""
    return [f"space before '(' (write '실행 중(running)'): …{line[max(0, match.start() - 30):match.end() + 20]}…"
            for line in lines for match in SPACED_GLOSS.finditer(line)]


# Particles taken off a word before comparing it with its neighbour: "호스트의 호스트" is one word twice.
PARTICLES = ("에서", "으로", "의", "가", "이", "을", "를", "은", "는", "에", "로", "와", "과", "도", "만")
HANGUL = re.compile(r"[가-힣]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _stem(word: str) -> str:
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def repeated_phrases(lines: list[str]) -> list[str]:
    """The same one to four words twice in a row, and the same sentence twice in a paragraph.
    Lines come from prose_lines(..., keep_inline_code=True), so code between words keeps them apart."""
    found = []
    for line in lines:
        words = line.split(" ")
        for size in range(1, 5):
            for start in range(len(words) - 2 * size + 1):
                first, second = words[start:start + size], words[start + size:start + 2 * size]
                if any("⟦" in word or not HANGUL.search(word) for word in first + second):
                    continue
                if size == 1:
                    # 같은 같은, 호스트의 호스트; not 도커는 도커 허브 (a word, then a name that starts with it)
                    repeated = first == second or first[0] == _stem(second[0].rstrip(".,")) + "의"
                else:
                    repeated = [_stem(word) for word in first] == [_stem(word) for word in second]
                if repeated and len("".join(first)) >= 2:
                    found.append(f"repeated {' '.join(first)!r}: …{' '.join(words[max(0, start - 4):start + 2 * size + 3])}…")
        sentences = [sentence.strip() for sentence in SENTENCE_END.split(line)]
        seen: set[str] = set()
        for sentence in sentences:
            if len(sentence) >= 10 and HANGUL.search(sentence):
                if sentence in seen:
                    found.append(f"sentence twice in one paragraph: {sentence[:80]!r}")
                seen.add(sentence)
    return found


# Dashes that look like "-" but are not: a reader who copies "‐a" or searches for it gets nothing.
LOOK_ALIKE_HYPHENS = {"\u2010": "HYPHEN", "\u2011": "NON-BREAKING HYPHEN", "\u2012": "FIGURE DASH",
                      "\u2212": "MINUS SIGN", "\u00ad": "SOFT HYPHEN"}
EN_DASH_IN_WORD = re.compile(r"(?<=[A-Za-z가-힣])\u2013(?=[A-Za-z가-힣])")


def look_alike_hyphens(lines: list[str]) -> list[str]:
    found = []
    for line in lines:
        for index, char in enumerate(line):
            if char in LOOK_ALIKE_HYPHENS:
                found.append(f"U+{ord(char):04X} {LOOK_ALIKE_HYPHENS[char]} (use '-'): …{line[max(0, index - 30):index + 20]}…")
        for match in EN_DASH_IN_WORD.finditer(line):
            found.append(f"U+2013 EN DASH inside a word (use '-'): …{line[max(0, match.start() - 30):match.end() + 20]}…")
    return found


# A sentence template's seams: a particle for either kind of last syllable, left for the reader to pick.
TEMPLATE_SEAMS = ("이(가)", "가(이)", "을(를)", "를(을)", "은(는)", "는(은)", "와(과)", "과(와)", "(으)로", "(이)라", "(이)다")
# Regular-expression syntax: a reader would read or type it as text.
REGEX_IN_PROSE = re.compile(r"\(\?[a-zA-Z]+\)|\\[dDsSwWAZbB]|\^\\|\[\^?[^\]\s]*\][*+?{]|\.\*|\\[{}().\[\]]")


def template_seams(lines: list[str]) -> list[str]:
    found = []
    for line in lines:
        for seam in TEMPLATE_SEAMS:
            for match in re.finditer(re.escape(seam), line):
                found.append(f"template seam {seam!r}: …{line[max(0, match.start() - 30):match.end() + 20]}…")
        for match in REGEX_IN_PROSE.finditer(line):
            found.append(f"regex syntax {match.group()!r}: …{line[max(0, match.start() - 30):match.end() + 20]}…")
    return found


def check_lines(html: str) -> list[str]:
    """The generated "what the tests check" lines (macros/lab_markdown.py), code and all."""
    soup = BeautifulSoup(html, "html.parser")
    return [re.sub(r"\s+", " ", element.get_text()).strip() for element in soup.select(".lab-check")]


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
def page_html(built_site) -> dict[str, str]:
    folder, _ = built_site
    return {path.parent.relative_to(folder).as_posix() or "index": path.read_text(encoding="utf-8")
            for path in pages(folder)}


@pytest.fixture(scope="module")
def page_lines(page_html) -> dict[str, list[str]]:
    return {page: prose_lines(html) for page, html in page_html.items()}


@pytest.fixture(scope="module")
def marked_lines(page_html) -> dict[str, list[str]]:
    """Prose with each inline code kept as one ⟦token⟧."""
    return {page: prose_lines(html, keep_inline_code=True) for page, html in page_html.items()}


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


def test_no_word_or_sentence_is_written_twice_in_a_row(marked_lines):
    problems = [f"{page}: {problem}" for page, lines in marked_lines.items() for problem in repeated_phrases(lines)]
    assert not problems, "repeated words or sentences in built pages:\n" + "\n".join(problems)


def test_no_look_alike_hyphens(marked_lines):
    problems = [f"{page}: {problem}" for page, lines in marked_lines.items() for problem in look_alike_hyphens(lines)]
    assert not problems, "characters that look like '-' but are not, in built pages:\n" + "\n".join(problems)


def test_no_template_seams_or_regex_syntax_shown_to_readers(page_html, page_lines):
    problems = [f"{page}: {problem}" for page, lines in page_lines.items() for problem in template_seams(lines)]
    checked = 0
    for page, html in page_html.items():
        lines = check_lines(html)
        checked += len(lines)
        problems += [f"{page} (check line): {problem}" for problem in template_seams(lines)]
    assert checked, "no .lab-check lines found; the generated HTTP checks moved and this test proves nothing"
    assert not problems, "template seams or regex syntax in built pages:\n" + "\n".join(problems)


def test_no_space_between_hangul_and_a_parenthesised_gloss(page_html):
    problems = [f"{page}: {problem}" for page, html in page_html.items()
                for problem in spaced_glosses(prose_lines(html, keep_inline_code=True, skip=HEADWORDS_AND_LABELS))]
    assert not problems, "a space before '(' in built pages:\n" + "\n".join(problems)


def test_the_new_checks_catch_and_spare_what_they_should(terms):
    html = """<article>
    <p>실행 시간은 이미지가 이미 있으면 이미지가 이미 있으면 1초 안팎입니다. 먼저 호스트의 호스트 이름을 봅니다.</p>
    <p>같은 같은 폴더를 씁니다. 한 번 더 실행해서 재 보세요. 한 번 더 실행해서 재 보세요.</p>
    <p>이름만 쓰면 도커는 도커 허브에서 찾습니다. <code>a</code> 컨테이너와 <code>b</code> 컨테이너를 띄웁니다.</p>
    <p><code>docker ps</code>(\u2010a 없이)와 \u2212v, 소프트\u00adhyphen, Compose\u2013file; 8081–8083은 범위입니다.</p>
    <p>확인: <a href="http://127.0.0.1:8080/">주소</a> 이(가) 답합니다. 파일을(를) 열고 (으)로 갑니다. 본문이 (?m)^It 와 맞습니다.</p>
    <p class="lab-check">1단계를 마친 뒤: <code>http://127.0.0.1:5001/v2/</code>에 접속하면 본문에 이 글이 있습니다: <code>^\\{\\}</code></p>
    <p class="lab-check">1단계를 마친 뒤: <code>http://127.0.0.1:8080/</code>에 접속하면 본문에 이 글이 있습니다: <code>It works!</code></p>
    <p>컨테이너에 딸린 이름 없는(익명) 볼륨도 지웁니다. 그 다음 자리 표시자를 봅니다. 머리글 줄만 나옵니다.</p>
    <p>컴포즈 파일을 씁니다. 컨테이너가 계속 돕니다. 이 그림이 이해를 돕니다.</p>
    <p>상태는 실행 중
    (<code>running</code>)입니다. 도커 허브(Docker Hub)와 도커 엔진 (Docker Engine)을 봅니다.</p>
    <dl><dt><strong>컨테이너</strong> (container)</dt></dl>
    <svg><text>빌드 컨텍스트 (build context)</text></svg></article>"""
    marked = prose_lines(html, keep_inline_code=True)
    repeats = sorted(found.split(":")[0] for found in repeated_phrases(marked))
    assert repeats == ["repeated '같은'", "repeated '이미지가 이미 있으면'", "repeated '호스트의'",
                       "sentence twice in one paragraph"], repeats  # not 도커는 도커 허브, not 컨테이너와 … 컨테이너
    hyphens = [found.split(" ")[0] for found in look_alike_hyphens(marked)]
    assert hyphens == ["U+2010", "U+2212", "U+00AD", "U+2013"], hyphens  # not the range 8081–8083
    seams = [found.split(":")[0] for found in template_seams(prose_lines(html))]
    assert seams == ["template seam '이(가)'", "template seam '을(를)'", "template seam '(으)로'",
                     "regex syntax '(?m)'"], seams
    checks = template_seams(check_lines(html))
    assert checks and all("regex syntax" in found and "v2/" in found for found in checks), checks  # not It works!
    rejected = sorted(found.split("'")[1] for found in rejected_uses(prose_lines(html), terms))
    assert rejected == sorted(["익명 볼륨", "그 다음", "자리 표시자", "머리글 줄", "컴포즈 파일", "돕니다"]), rejected  # not 이해를 돕니다
    glosses = spaced_glosses(prose_lines(html, keep_inline_code=True, skip=HEADWORDS_AND_LABELS))
    assert len(glosses) == 2 and "실행 중 (⟦running⟧)" in glosses[0] and "엔진 (Docker" in glosses[1], glosses
