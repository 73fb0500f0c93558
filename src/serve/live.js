// helpsite serve: live reload and the build-error overlay. Injected by the dev server only;
// built files never contain it.
(() => {
  "use strict";
  const OVERLAY_ID = "helpsite-build-error";
  let generation = null;

  function hide() {
    const old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  }

  function show(message) {
    hide();
    const box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "Build error");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);color:#fff;" +
      "padding:2rem;overflow:auto;font:14px/1.5 ui-monospace,monospace";
    const title = document.createElement("h2");
    title.textContent = "Build error: the last good build is still served";
    title.style.cssText = "color:#ff8080;font:bold 18px/1.4 system-ui,sans-serif;margin:0 0 1rem";
    const text = document.createElement("pre");
    text.textContent = message;
    text.style.cssText = "white-space:pre-wrap;margin:0 0 1rem";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.addEventListener("click", hide);
    box.append(title, text, close);
    document.body.append(box);
  }

  let events = null;
  function connect() {
    events = new EventSource("/__helpsite/events");
    events.addEventListener("hello", (e) => {
      const now = JSON.parse(e.data).generation;
      // A rebuild happened while we were away (or the server restarted): catch up.
      if (generation !== null && now !== generation) location.reload();
      generation = now;
    });
    events.addEventListener("reload", () => location.reload());
    events.addEventListener("build-error", (e) => show(JSON.parse(e.data).message));
    // A snippet's mark from the live run: the server's own HTML (escaped there), in place.
    events.addEventListener("mark", (e) => {
      const { id, html } = JSON.parse(e.data);
      const status = document.getElementById(id)?.querySelector(".snippet-status");
      if (status) status.innerHTML = html;
    });
  }
  // Browsers allow about six connections per host over HTTP/1.1: a page kept in the
  // back/forward cache must not hold one, or a few clicks later new pages stop loading.
  addEventListener("pagehide", () => events && events.close());
  addEventListener("pageshow", (e) => { if (e.persisted || !events) connect(); });
  if (!events) connect();
})();
