// A course widget's companion output (course/widgets/saved.py). It runs only where the
// notebook's outputs are trusted: the live page, and a saved notebook reopened as trusted
// (JupyterLab signed it on save; JupyterLite keeps its trust), where JupyterLab draws the
// widget view and, without its model, says "Loading widget..." or "Error displaying
// widget". Then it shows the widget's saved fallback (the hidden element before this script)
// in place of that message; once the widget is drawn again (its cell run), it steps back.
(() => {
  const script = document.currentScript;
  const saved = script && script.previousElementSibling;
  if (!saved) return;
  const STALE = /^\s*(Loading widget|Error displaying widget)/;
  const GONE = /^\s*Error displaying widget/;
  const start = (mine) => {
    let timer = null;
    const show = (stale, widget) => {
      saved.hidden = !stale;
      mine.style.display = stale ? "" : "none";
      widget.style.display = stale ? "none" : "";
    };
    const check = () => {
      const widget = mine.nextElementSibling;
      const view = widget && widget.querySelector(".jp-OutputArea-output");
      if (!view) return;
      const stale = !view.firstElementChild && STALE.test(view.textContent);
      clearTimeout(timer);
      // A live widget says "Loading widget..." for a moment: wait before calling it stale.
      // A widget whose model is gone says so: show the fallback at once.
      if (stale && GONE.test(view.textContent)) show(true, widget);
      else if (stale) timer = setTimeout(() => show(true, widget), 1500);
      else show(false, widget);
    };
    mine.style.display = "none";
    new MutationObserver(check).observe(mine.parentElement,
      {childList: true, subtree: true, characterData: true});
    check();
  };
  // JupyterLab runs this before it places the output in the notebook: wait for that.
  let tries = 0;
  const attach = () => {
    const mine = saved.closest(".jp-OutputArea-child");
    if (mine && mine.parentElement) start(mine);
    else if (tries++ < 600) setTimeout(attach, 100);
  };
  attach();
})();
