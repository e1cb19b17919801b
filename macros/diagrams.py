"""Diagrams are hand-made SVG files in docs/diagrams/, inlined into the page so their
colours come from the theme's CSS variables (an <img> could not follow the palette)."""

from __future__ import annotations

import html
import re
from pathlib import Path


def figure(docs_dir: str, name: str, caption: str) -> str:
    path = Path(docs_dir) / "diagrams" / f"{name}.svg"
    if not path.exists():
        raise FileNotFoundError(f"diagram {name!r}: no file {path}")
    svg = path.read_text(encoding="utf-8")
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    # Blank lines would end the HTML block and let Markdown rewrite the SVG.
    svg = "\n".join(line for line in svg.splitlines() if line.strip())
    return (
        f'<figure class="diagram" id="diagram-{name}">\n{svg}\n'
        f"<figcaption>{html.escape(caption)}</figcaption>\n</figure>"
    )
