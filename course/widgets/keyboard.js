// Let arrow and letter keys reach the course's radio buttons, checkboxes and drop-downs.
// JupyterLab's notebook shortcuts otherwise take them (jupyter-widgets/ipywidgets#3912);
// Lumino skips its shortcuts for an event target marked data-lm-suppress-shortcuts.
const CONTROLS = "select, input[type=radio], input[type=checkbox]";

function render({ el }) {
  let observer = null;
  const mark = (root) => {
    for (const control of root.querySelectorAll(CONTROLS)) {
      control.setAttribute("data-lm-suppress-shortcuts", "true");
    }
  };
  const guard = () => {
    if (!el.isConnected) {
      requestAnimationFrame(guard);
      return;
    }
    const box = el.parentElement;
    mark(box);
    observer = new MutationObserver(() => mark(box));
    observer.observe(box, { childList: true, subtree: true });
  };
  guard();
  return () => observer?.disconnect();
}

export default { render };
