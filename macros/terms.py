"""The site's vocabulary, read from the glossary page (docs/glossary.md).

The glossary is the single source: each entry is

    **한국어 이름** (English name) { #anchor }
    :   explanation ...

        다른 표기: 도커파일, 도커 파일 / 쓰지 않는 표기: 도커 화일
        { .term-variants }

"다른 표기" lists spellings readers type (search synonyms, fine on a page);
"쓰지 않는 표기" lists variants that must not appear in a built page's prose
(tests/site/test_vocabulary.py). Either part may be left out. A rejected variant is
still something readers type, so search may offer it as a synonym as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parents[1] / "docs"
GLOSSARY = "glossary.md"

ALIASES_LABEL = "다른 표기:"
REJECTED_LABEL = "쓰지 않는 표기:"
VARIANTS_CLASS = "term-variants"  # the built glossary marks the variants line with it

_ENTRY = re.compile(r"^\*\*(?P<korean>[^*]+)\*\*(?P<rest>[^{]*)\{\s*#(?P<anchor>[\w-]+)\s*\}\s*$")
_ENGLISH = re.compile(r"\(([^()]*)\)\s*$")


@dataclass(frozen=True)
class Term:
    korean: str
    english: str  # "" where the glossary gives no English name (it is already English)
    anchor: str   # id on the glossary page: glossary.md#<anchor>
    aliases: tuple[str, ...]   # spellings readers type (도커파일, 바인드마운트)
    rejected: tuple[str, ...]  # variants that must not appear on built pages


def _split(listing: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in listing.split(",") if item.strip())


def _variants(line: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    aliases: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()
    for part in line.split(" / "):
        part = part.strip()
        if part.startswith(ALIASES_LABEL):
            aliases = _split(part[len(ALIASES_LABEL):])
        elif part.startswith(REJECTED_LABEL):
            rejected = _split(part[len(REJECTED_LABEL):])
        else:
            raise ValueError(f"{GLOSSARY}: unknown part in a variants line: {part!r}")
    return aliases, rejected


def parse_glossary(text: str) -> list[Term]:
    terms: list[Term] = []
    current: dict | None = None

    def close() -> None:
        if current is not None:
            terms.append(Term(current["korean"], current["english"], current["anchor"],
                              current["aliases"], current["rejected"]))

    for raw in text.splitlines():
        entry = _ENTRY.match(raw.strip())
        if entry and not raw.startswith(" "):
            close()
            english = _ENGLISH.search(entry["rest"].strip())
            current = {"korean": entry["korean"].strip(), "english": english[1].strip() if english else "",
                       "anchor": entry["anchor"], "aliases": (), "rejected": ()}
            continue
        line = raw.strip().removeprefix(":").strip()
        if current is not None and (line.startswith(ALIASES_LABEL) or line.startswith(REJECTED_LABEL)):
            current["aliases"], current["rejected"] = _variants(line)
    close()
    return terms


def load_terms(docs_dir: Path | None = None) -> list[Term]:
    """Every glossary entry, in page order."""
    folder = Path(docs_dir) if docs_dir is not None else DOCS_DIR
    return parse_glossary((folder / GLOSSARY).read_text(encoding="utf-8"))
