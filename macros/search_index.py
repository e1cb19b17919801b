"""The search index as the site's search worker wants it, rewritten after the build.

- UTF-8 instead of \\uXXXX escapes (a Hangul syllable takes three bytes, not six);
- synonyms generated from the glossary (macros/terms.py): each entry's Korean name, English
  name and the spellings readers type, plus word-by-word pairs of two-word names
  (바인드 마운트 = bind mount gives 바인드 = bind, 마운트 = mount);
- appendix pages (the nav section "부록": glossary, command index, verification ...) get a
  lower boost, so a chapter section outranks them for the same words.

Called by the MkDocs hook (macros/hooks.py), or as a step after any build:

    python -m macros.search_index SITE_DIR
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

from macros.terms import Term, load_terms

REPO = Path(__file__).resolve().parents[1]
INDEX = Path("search") / "search_index.json"
APPENDIX_SECTION = "부록"
APPENDIX_BOOST = 0.5


def _names(field: str) -> list[str]:
    return [name.strip() for name in field.split(",") if name.strip()]


def _normal(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().lower()


def synonym_groups(terms: list[Term]) -> list[list[str]]:
    """Groups of names that mean the same, every name lower-case."""
    groups: list[list[str]] = []
    for term in terms:
        korean, english = _names(term.korean), _names(term.english)
        if len(korean) > 1 and len(korean) == len(english):
            named = [[k, e] for k, e in zip(korean, english)]  # "컨테이너 ID, 이미지 ID"
        elif len(korean) == 1:
            named = [korean + english]
        else:
            named = [[]]  # "containerd, runc": two things, not two names for one
        named[0] += [*term.aliases, *term.rejected]
        for names in named:
            group = list(dict.fromkeys(_normal(name) for name in names if "/" not in name))
            if len(group) > 1:
                groups.append(group)
                groups.extend(_word_pairs(group))
    unique = {tuple(group): group for group in groups}
    return list(unique.values())


def _word_pairs(group: list[str]) -> list[list[str]]:
    """바인드 마운트 / bind mount -> [바인드, bind], [마운트, mount]: same number of words, same order."""
    pairs = []
    for index, first in enumerate(group):
        for second in group[index + 1:]:
            words, others = first.split(" "), second.split(" ")
            if len(words) > 1 and len(words) == len(others):
                pairs += [[a, b] for a, b in zip(words, others) if a != b]
    return pairs


def _tolerant_yaml(text: str) -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV, !!python/...
    return yaml.load(text, Loader=Loader)


def appendix_locations(nav: list | None) -> set[str]:
    """Search-index locations ("glossary/") of the pages in the nav's appendix section."""
    if nav is None:
        nav = _tolerant_yaml((REPO / "mkdocs.yml").read_text(encoding="utf-8")).get("nav", [])
    pages: set[str] = set()

    def collect(items) -> None:
        for item in items:
            if isinstance(item, dict):
                for value in item.values():
                    collect(value if isinstance(value, list) else [value])
            elif isinstance(item, str):
                pages.add(item)

    for item in nav:
        if isinstance(item, dict) and APPENDIX_SECTION in item:
            collect(item[APPENDIX_SECTION])
    return {_location(page) for page in pages if page.endswith(".md")}


def _location(page: str) -> str:
    path = page[:-3]
    if path == "index" or path.endswith("/index"):
        path = path[:-5]
    return path + "/" if path and not path.endswith("/") else path


def rewrite(site_dir: Path | str, nav: list | None = None, docs_dir: Path | str | None = None) -> bool:
    """Rewrites SITE_DIR/search/search_index.json in place; False if the build wrote none."""
    index = Path(site_dir) / INDEX
    if not index.exists():
        return False
    data = json.loads(index.read_text(encoding="utf-8"))
    appendix = appendix_locations(nav)
    for doc in data["docs"]:
        if doc["location"].split("#")[0] in appendix:
            doc["boost"] = APPENDIX_BOOST
    data["config"]["korean"] = {"synonyms": synonym_groups(load_terms(docs_dir))}
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


if __name__ == "__main__":
    if len(sys.argv) != 2 or not rewrite(sys.argv[1]):
        sys.exit("usage: python -m macros.search_index SITE_DIR (a built site with a search index)")
