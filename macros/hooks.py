"""MkDocs build hook (not a macro): rewrites the search index for the site's Korean search.

The work is in macros/search_index.py (UTF-8, synonyms from the glossary, lower boost for
appendix pages), which also runs without MkDocs: python -m macros.search_index SITE_DIR."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def on_post_build(config) -> None:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from macros.search_index import rewrite

    rewrite(config["site_dir"], nav=config["nav"], docs_dir=config["docs_dir"])
