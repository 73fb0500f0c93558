/* helpsite: theme toggle, phone navigation toggle and copy buttons. No dependencies, no requests. */
(function () {
  "use strict";
  var root = document.documentElement;

  function setTheme(theme, remember) {
    root.setAttribute("data-theme", theme);
    if (remember) {
      try { localStorage.setItem("helpsite-theme", theme); } catch (e) { /* private mode */ }
    }
    var button = document.querySelector(".theme-toggle");
    if (button) button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
  }

  function storedTheme() {
    try { return localStorage.getItem("helpsite-theme"); } catch (e) { return null; }
  }

  function initTheme() {
    var button = document.querySelector(".theme-toggle");
    setTheme(root.getAttribute("data-theme") || "light", false);
    if (button) {
      button.addEventListener("click", function () {
        setTheme(root.getAttribute("data-theme") === "dark" ? "light" : "dark", true);
      });
    }
    var query = window.matchMedia && matchMedia("(prefers-color-scheme: dark)");
    if (query && query.addEventListener) {
      query.addEventListener("change", function (e) {
        var fixed = storedTheme() || root.getAttribute("data-default-theme");
        if (fixed !== "light" && fixed !== "dark") setTheme(e.matches ? "dark" : "light", false);
      });
    }
  }

  function initNav() {
    var button = document.querySelector(".nav-toggle");
    if (!button) return;
    button.addEventListener("click", function () {
      var open = document.body.classList.toggle("nav-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.setAttribute("aria-label", open ? "Hide navigation" : "Show navigation");
    });
  }

  /* Console snippets copy their commands only; other snippets copy their whole text. */
  function snippetText(snippet) {
    var code = snippet.querySelector("pre code");
    if (!code) return "";
    if (snippet.classList.contains("snippet-console")) {
      var cmds = code.querySelectorAll(".cmd");
      return Array.prototype.map.call(cmds, function (c) { return c.textContent; }).join("\n");
    }
    return code.textContent;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function initCopy() {
    var buttons = document.querySelectorAll(".snippet .copy");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.setAttribute("aria-label", "Copy code to clipboard");
      button.addEventListener("click", function () {
        var snippet = button.closest(".snippet");
        copyText(snippetText(snippet)).then(function () {
          button.textContent = "Copied";
        }, function () {
          button.textContent = "Copy failed";
        }).then(function () {
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        });
      });
    });
  }

  initTheme();
  initNav();
  initCopy();
})();
