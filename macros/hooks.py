"""MkDocs build hook (not a macro): writes the search index as UTF-8.

Material's search plugin writes Hangul as six-byte \\uXXXX escapes; as UTF-8 a syllable
takes three bytes. Every page downloads this index before search works, so this halves
the largest file a reader fetches."""

from __future__ import annotations

import json
from pathlib import Path


def on_post_build(config) -> None:
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    if index.exists():
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
