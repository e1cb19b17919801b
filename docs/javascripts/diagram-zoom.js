// Tap-to-enlarge for the inlined SVG diagrams (figure.diagram): a "크게 보기" button under each
// diagram opens one shared full-screen <dialog> that shows the same SVG at no less than its
// drawn size, so its smallest label is still 12.5 CSS px on a phone. The SVG element itself
// moves into the dialog and back (one source, no duplicated ids). Escape or "닫기" closes it
// and focus returns to the button that opened it.
(() => {
  const MIN_SCALE = 1;
  let dialog, canvas, title, opener, placeholder;

  function buildDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "diagram-dialog";
    dialog.setAttribute("aria-labelledby", "diagram-dialog-title");
    dialog.innerHTML =
      '<div class="diagram-dialog__bar">' +
      '<p class="diagram-dialog__title" id="diagram-dialog-title"></p>' +
      '<button type="button" class="diagram-dialog__close">닫기</button></div>' +
      '<div class="diagram-dialog__canvas" tabindex="0" role="group" aria-label="그림 (화살표 키로 움직일 수 있습니다)"></div>';
    canvas = dialog.querySelector(".diagram-dialog__canvas");
    title = dialog.querySelector(".diagram-dialog__title");
    dialog.querySelector(".diagram-dialog__close").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", putBack);
    document.body.append(dialog);
  }

  function open(figure, button) {
    if (!dialog) buildDialog();
    const svg = figure.querySelector("svg");
    opener = button;
    placeholder = document.createElement("div");
    placeholder.style.height = svg.getBoundingClientRect().height + "px";
    svg.replaceWith(placeholder);
    title.textContent = figure.querySelector("figcaption")?.textContent || "";
    canvas.append(svg);
    dialog.showModal();
    const box = svg.viewBox.baseVal;
    const fit = Math.min(canvas.clientWidth / box.width, canvas.clientHeight / box.height);
    svg.style.width = Math.floor(box.width * Math.max(MIN_SCALE, fit)) + "px";
    canvas.focus();
  }

  function putBack() {
    const svg = canvas.querySelector("svg");
    if (svg && placeholder) {
      svg.style.width = "";
      placeholder.replaceWith(svg);
    }
    placeholder = null;
    opener?.focus();
  }

  function addButton(figure) {
    if (figure.querySelector(".diagram-zoom")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "diagram-zoom";
    button.setAttribute("aria-haspopup", "dialog");
    button.textContent = "그림 크게 보기";
    const caption = figure.querySelector("figcaption");
    if (caption && figure.id) {  // a screen reader hears which diagram the button enlarges
      caption.id ||= figure.id + "-caption";
      button.setAttribute("aria-describedby", caption.id);
    }
    button.addEventListener("click", () => open(figure, button));
    figure.querySelector("svg").addEventListener("click", () => open(figure, button));
    figure.append(button);
  }

  const mount = () => document.querySelectorAll("figure.diagram").forEach(addButton);
  if (window.document$) window.document$.subscribe(mount); else mount();
})();
