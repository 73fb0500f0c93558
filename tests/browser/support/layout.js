// Phone layout check, run as a WebDriver script body in the page under test. Returns a list of
// problems (empty when the page is fine): the page scrolls sideways, a control is outside the
// viewport or clipped by an ancestor, or a primary control is under 44 px tall.
const problems = [];
const vw = document.documentElement.clientWidth;
const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
  (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
const shown = (el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
};
const inScroller = (el) => {
  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    const o = getComputedStyle(a).overflowX;
    if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true;
  }
  return false;
};
const width = document.documentElement.scrollWidth;
if (width > vw) {
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (wide.length >= 5) break;
    if (shown(el) && el.getBoundingClientRect().right > vw + 0.5 && !inScroller(el)) {
      wide.push(name(el) + " ends at " + Math.round(el.getBoundingClientRect().right) + " px (" +
        JSON.stringify((el.textContent || "").trim().slice(0, 40)) + ")");
    }
  }
  problems.push("scrollWidth " + width + " > viewport " + vw + ": " + wide.join("; "));
}
for (const c of document.querySelectorAll("button, select, input, summary")) {
  if (!shown(c)) continue;
  const r = c.getBoundingClientRect();
  const label = name(c) + " " + JSON.stringify((c.textContent || c.value || "").trim().slice(0, 20));
  if (r.left < -0.5 || r.right > vw + 0.5) {
    problems.push(label + " is outside the viewport (" + Math.round(r.left) + ".." + Math.round(r.right) + ")");
    continue;
  }
  for (let a = c.parentElement; a && a !== document.documentElement; a = a.parentElement) {
    const s = getComputedStyle(a);
    const clipsX = s.overflowX !== "visible", clipsY = s.overflowY === "hidden" || s.overflowY === "clip";
    const ar = a.getBoundingClientRect();
    const outX = r.left < ar.left - 0.5 || r.right > ar.right + 0.5;
    const outY = r.top < ar.top - 0.5 || r.bottom > ar.bottom + 0.5;
    if ((clipsX && outX) || (clipsY && outY)) {
      problems.push(label + " is clipped by " + name(a));
      break;
    }
  }
}
for (const c of document.querySelectorAll(".nav-toggle, .theme-select, .site-header .search-input")) {
  if (shown(c) && c.getBoundingClientRect().height < 43.5) {
    problems.push(name(c) + " is " + c.getBoundingClientRect().height + " px tall (under 44)");
  }
}
return problems;
