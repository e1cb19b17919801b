"""MkDocs build hook (not a macro): plain spaces instead of Pygments' whitespace tokens.

Pygments wraps every run of spaces in a highlighted command in <span class="w">, which no
stylesheet colours; a chapter carries hundreds of them (245 on ch04). The same spaces
without the wrapper look the same, copy the same, and leave a phone fewer elements to build."""

from __future__ import annotations

import re

WHITESPACE_TOKEN = re.compile(r'<span class="w">(\s*)</span>')


def on_page_content(html: str, **_) -> str:
    return WHITESPACE_TOKEN.sub(r"\1", html)
