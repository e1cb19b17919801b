"""Drives the site's search box in chromium as a reader does, and reads the results in order.

A probe installed before the page's own scripts watches the search worker's messages, so a
caller waits until the results for exactly the last query are on screen (no sleeps).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from playwright.sync_api import Page

SEARCH_BOX = "input.md-search__input"
QUERY_MESSAGE, RESULT_MESSAGE = 2, 3  # Material's SearchMessageType

PROBE = """
(() => {
  const probe = window.__searchProbe = {sent: [], received: 0, resultAt: 0, inputAt: 0};
  const mark = () => { probe.inputAt = performance.now() };
  addEventListener("input", mark, true);
  addEventListener("keyup", mark, true);
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", event => {
        if (event.data && event.data.type === %d)
          setTimeout(() => {
            probe.received++;
            probe.answered = event.data.data.query;  // the site's worker names its query
            probe.resultAt = performance.now();
          });
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === %d) probe.sent.push(message.data);
      return super.postMessage(message, ...rest);
    }
  };
})();
""" % (RESULT_MESSAGE, QUERY_MESSAGE)

# Results are on screen for `value` when the worker answered it by name, or (Material's own
# worker, which answers every query in turn) when it answered as many queries as were sent.
RESULTS_FOR = """
value => {
  const probe = window.__searchProbe;
  if (!probe.sent.length || probe.sent[probe.sent.length - 1] !== value)
    return false;
  return probe.answered === undefined ? probe.received >= probe.sent.length : probe.answered === value;
}
"""

# Entries a reader sees, top to bottom. Folded sections ("더 보기") are hidden; a page's
# heading is a result of its own only where the page itself is its best match (Material then
# shows its text), otherwise it just groups the sections below it.
VISIBLE_RESULTS = """
list => [...list.querySelectorAll("li.md-search-result__item")].flatMap(item => {
  const links = [...item.querySelectorAll("a.md-search-result__link")]
    .filter(link => !link.closest("details:not([open])"))
  const score = link => parseFloat(link.firstElementChild.dataset.mdScore)
  const best = Math.max(...links.map(score))
  return links.filter((link, index) => index > 0 || (best > 0 && score(link) >= best))
    .map(link => link.href)
})
"""


@dataclass
class Outcome:
    results: list[str]      # "ch06/#bind-mount", in the order a reader sees them
    milliseconds: float     # from the last key or inserted text to the results on screen

    def rank_of(self, answers: tuple[str, ...]) -> int | None:
        for position, found in enumerate(self.results, start=1):
            if found in answers:
                return position
        return None


def install_probe(page: Page) -> None:
    """Call before page.goto: the probe must wrap Worker before the page creates one."""
    page.add_init_script(PROBE)


def section_of(href: str, base: str) -> str:
    url = urlparse(href)
    path = url.path[len(urlparse(base).path):]
    return unquote(path + (f"#{url.fragment}" if url.fragment else ""))


def clear(page: Page) -> None:
    box = page.locator(SEARCH_BOX)
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")


def wait_for_results(page: Page, value: str, base: str, timeout_ms: float = 60000) -> Outcome:
    page.wait_for_function(RESULTS_FOR, arg=value, timeout=timeout_ms, polling=20)
    links = page.locator(".md-search-result__list").evaluate(VISIBLE_RESULTS)
    took = page.evaluate("window.__searchProbe.resultAt - window.__searchProbe.inputAt")
    return Outcome([section_of(link, base) for link in links], took)


def type_query(page: Page, text: str, base: str, press_end: bool = False) -> Outcome:
    """Types with the keyboard. press_end adds a key-up after the text, which Material's own
    search needed before it noticed Hangul (used only to measure the site before the fix)."""
    clear(page)
    page.keyboard.type(text)
    if press_end:
        page.keyboard.press("End")
    return wait_for_results(page, text, base)


def paste_query(page: Page, text: str, base: str) -> Outcome:
    clear(page)
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    page.keyboard.press("Control+V")
    return wait_for_results(page, text, base)


def compose_query(page: Page, text: str, base: str) -> Outcome:
    """Feeds text through the input method: composition events per syllable, then a commit,
    as a Korean IME does; no key-up reaches the page for the committed text."""
    clear(page)
    session = page.context.new_cdp_session(page)
    for syllable in text:
        if syllable == " ":
            session.send("Input.insertText", {"text": " "})
            continue
        session.send("Input.imeSetComposition", {"text": syllable, "selectionStart": 1, "selectionEnd": 1})
        session.send("Input.insertText", {"text": syllable})
    session.detach()
    return wait_for_results(page, text, base)
