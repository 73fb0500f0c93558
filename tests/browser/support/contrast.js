// Computed contrast of every piece of text inside code blocks (highlighted tokens, transcript
// prompts, commands and output), run as a WebDriver script body. Returns
// `{checked, low: [...]}`: how many text-bearing elements were measured and each distinct
// colour pair under 4.5:1, with the token's classes and text.
const parse = (c) => {
  const m = c.match(/rgba?\(([^)]*)\)/);
  if (!m) return null;
  const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3]));
const background = (el) => {
  const layers = [];
  for (let a = el; a; a = a.parentElement) {
    const c = parse(getComputedStyle(a).backgroundColor);
    if (c && c[3] > 0) {
      layers.push(c);
      if (c[3] >= 1) break;
    }
  }
  let rgb = [255, 255, 255];
  for (const l of layers.reverse()) rgb = over(l, rgb);
  return rgb;
};
const lum = (rgb) => {
  const lin = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
};
const ratio = (a, b) => {
  const [x, y] = [lum(a), lum(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
};
let checked = 0;
const low = new Map();
for (const el of document.querySelectorAll("pre code, pre code *")) {
  const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
  if (!own) continue;
  checked++;
  const bg = background(el);
  const c = parse(getComputedStyle(el).color);
  const fg = over(c, bg);
  const r = ratio(fg, bg);
  if (r < 4.5) {
    const key = fg.map(Math.round).join(",") + "/" + bg.map(Math.round).join(",");
    if (!low.has(key)) {
      low.set(key, (el.className || el.tagName) + " " + JSON.stringify(el.textContent.trim().slice(0, 30)) +
        " at " + r.toFixed(2) + ":1 (rgb " + key + ")");
    }
  }
}
return { checked, low: Array.from(low.values()) };
