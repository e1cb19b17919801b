// Keyboard and screen-reader access that Material leaves out, most of it because code blocks
// mount only when scrolled into view (content.lazy in mkdocs.yml).
(() => {
  // 1. Every code block can be reached and scrolled with the keyboard from the start. When
  //    Material mounts a block it keeps this on blocks that scroll sideways, removes it on the rest.
  document.querySelectorAll(".md-typeset pre > code:not([tabindex])")
    .forEach(code => code.setAttribute("tabindex", "0"));

  // 2. A table too wide for the screen scrolls inside the wrapper Material puts around it; the
  //    wrapper takes keyboard focus only while it really scrolls (checked again when the
  //    window is resized or turned).
  const tables = () => document.querySelectorAll(".md-typeset__scrollwrap").forEach(wrapper => {
    if (wrapper.scrollWidth > wrapper.clientWidth) wrapper.setAttribute("tabindex", "0");
    else wrapper.removeAttribute("tabindex");
  });
  let pending = false;
  const tablesSoon = () => {
    if (!pending) requestAnimationFrame(() => { pending = false; tables(); });
    pending = true;
  };
  if (window.document$) window.document$.subscribe(tablesSoon); else tablesSoon();
  addEventListener("resize", tablesSoon);

  // 3. Material wraps each copy button in <nav class="md-code__nav">: dozens of unnamed
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
    if (node.matches?.(".md-typeset__scrollwrap")) tablesSoon();
  }))).observe(document.body, {childList: true, subtree: true});
})();
