// Code blocks under Material's content.lazy (mkdocs.yml) mount only when scrolled into view.
// Two things a reader needs before that happens, or that Material does not give them:
(() => {
  // 1. Every code block can be reached and scrolled with the keyboard from the start. When
  //    Material mounts a block it keeps this on blocks that scroll sideways, removes it on the rest.
  document.querySelectorAll(".md-typeset pre > code:not([tabindex])")
    .forEach(code => code.setAttribute("tabindex", "0"));

  // 2. Material wraps each copy button in <nav class="md-code__nav">: dozens of unnamed
  //    navigation landmarks (axe: landmark-unique) crowding a screen reader's landmark list.
  //    The same element as a <div> keeps the button and its styling, minus the landmark.
  const demote = nav => {
    const box = document.createElement("div");
    box.className = nav.className;
    box.append(...nav.childNodes);
    nav.replaceWith(box);
  };
  const sweep = root => root.querySelectorAll?.("nav.md-code__nav").forEach(demote);
  sweep(document);
  new MutationObserver(records => records.forEach(record => record.addedNodes.forEach(node => {
    if (node.matches?.("nav.md-code__nav")) demote(node); else sweep(node);
  }))).observe(document.body, {childList: true, subtree: true});
})();
