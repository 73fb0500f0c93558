/* helpsite: theme control (auto, light, dark), phone navigation toggle and copy buttons. No dependencies, no requests. */
(function () {
  "use strict";
  var root = document.documentElement;

  /* The reader's choice: "light", "dark" or "auto" (follow the OS); none stored: the site default. */
  function storedTheme() {
    try { return localStorage.getItem("helpsite-theme"); } catch (e) { return null; }
  }

  function choice() {
    var t = storedTheme();
    if (t !== "light" && t !== "dark" && t !== "auto") t = root.getAttribute("data-default-theme");
    return t === "light" || t === "dark" ? t : "auto";
  }

  function osTheme() {
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function applyTheme() {
    var c = choice();
    root.setAttribute("data-theme", c === "auto" ? osTheme() : c);
    var select = document.querySelector(".theme-select");
    if (select) select.value = c;
  }

  function initTheme() {
    var select = document.querySelector(".theme-select");
    applyTheme();
    if (select) {
      select.addEventListener("change", function () {
        try { localStorage.setItem("helpsite-theme", select.value); } catch (e) { /* private mode */ }
        applyTheme();
      });
    }
    var query = window.matchMedia && matchMedia("(prefers-color-scheme: dark)");
    if (query && query.addEventListener) query.addEventListener("change", applyTheme);
  }

  /* Says `text` through the page's live region (screen readers announce it). */
  function announce(text) {
    var region = document.getElementById("announce");
    if (!region) return;
    region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 50);
  }

  function initNav() {
    var button = document.querySelector(".nav-toggle");
    if (!button) return;
    function show(open) {
      document.body.classList.toggle("nav-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.setAttribute("aria-label", open ? "Hide navigation" : "Show navigation");
    }
    button.addEventListener("click", function () {
      show(!document.body.classList.contains("nav-open"));
    });
    /* Escape closes the open navigation and gives the focus back to its button. */
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape" || !document.body.classList.contains("nav-open")) return;
      show(false);
      button.focus();
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
          announce("Copied to the clipboard");
        }, function () {
          button.textContent = "Copy failed";
          announce("Copy failed");
        }).then(function () {
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        });
      });
    });
  }

  /* A code block that scrolls sideways must take the keyboard focus to be scrolled; the
     snippets' own blocks already can, this covers any other <pre>. */
  function initScrollers() {
    Array.prototype.forEach.call(document.querySelectorAll("pre:not([tabindex])"), function (pre) {
      if (pre.scrollWidth > pre.clientWidth) pre.setAttribute("tabindex", "0");
    });
  }

  initTheme();
  initNav();
  initCopy();
  initScrollers();
})();
