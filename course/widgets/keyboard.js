// Keyboard and screen-reader support for the course widget box this sits in.
//
// JupyterLab's notebook shortcuts are single keys (a, b, d d, m, y, arrows, Enter) that
// would edit cells while a radio button, checkbox or drop-down has focus
// (jupyter-widgets/ipywidgets#3912). Those keys stop at the box, after the control has used
// them; everything else goes on to JupyterLab: Ctrl/Cmd+S, Ctrl/Cmd+Enter, Shift+Enter,
// Escape, Tab. Text boxes swallow every key (ipywidgets stops them), so their Ctrl/Cmd and
// Escape keys are passed on from the box.
//
// Groups get their roles and names: radio buttons are a radiogroup, checkboxes, matrix rows
// and the capstone builder's services a group, each labelled by the text shown above it.
const SINGLE = new Set([
  "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown",
  "Enter", "Backspace", "Delete",
]);
const TEXT = "input:not([type=radio]):not([type=checkbox]), textarea";
const GROUPS = [
  [".widget-radio-box", "radiogroup"],
  [".course-choice-multiple", "group"],
  [".course-matrix-rows", "group"],
  [".course-builder-services", "group"],
  [".course-builder-service", "group"],
];

function editsCells(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  if (event.key === "Enter") return !event.shiftKey;
  return event.key.length === 1 || SINGLE.has(event.key);
}

function passOn(event, box) {
  // A copy of the key, sent from outside the text box, reaches JupyterLab's shortcuts.
  const copy = new KeyboardEvent(event.type, event);
  box.parentElement.dispatchEvent(copy);
  if (copy.defaultPrevented) event.preventDefault();
}

function label(box) {
  for (const [selector, role] of GROUPS) {
    for (const group of box.querySelectorAll(selector)) {
      if (group.hasAttribute("aria-labelledby")) continue;
      const above = Array.from(box.querySelectorAll(".widget-html")).filter(
        (html) => html.compareDocumentPosition(group) & Node.DOCUMENT_POSITION_FOLLOWING);
      const question = above.at(-1);
      if (!question) continue;
      const name = question.querySelector(".course-prompt") ?? question;
      name.id ||= `course-label-${Math.random().toString(36).slice(2)}`;
      group.setAttribute("role", role);
      group.setAttribute("aria-labelledby", name.id);
    }
  }
}

// A button that cannot be used now says so to screen readers as it shows it (course.css).
function markDisabled(box) {
  for (const button of box.querySelectorAll("button")) {
    button.setAttribute("aria-disabled", String(button.disabled));
  }
}

function render({ el }) {
  let observer = null;
  let box = null;
  const capture = (event) => {
    if (event.target.matches?.(TEXT) && !editsCells(event) && event.key !== "Tab") {
      event.stopPropagation();
      passOn(event, box);
    }
  };
  const bubble = (event) => {
    if (editsCells(event)) event.stopPropagation();
  };
  const attach = () => {
    if (!el.isConnected) {
      requestAnimationFrame(attach);
      return;
    }
    box = el.parentElement;
    box.addEventListener("keydown", capture, true);
    box.addEventListener("keydown", bubble);
    label(box);
    markDisabled(box);
    observer = new MutationObserver(() => {
      label(box);
      markDisabled(box);
    });
    observer.observe(box, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["disabled"],
    });
  };
  attach();
  return () => {
    observer?.disconnect();
    box?.removeEventListener("keydown", capture, true);
    box?.removeEventListener("keydown", bubble);
  };
}

export default { render };
