// Used by tests/search_js.rs: runs search-index.js and search.js in a node vm with a minimal fake
// DOM (only what search.js touches; innerHTML throws), types a query, presses keys, and prints
// what a reader would see as JSON. usage: node -e "$(cat this)" INDEX SEARCH_JS QUERY [lazy]
// With `lazy` the page has not loaded INDEX: search.js must add its <script> on first use. The
// page sits one folder below the site root (`../static/…`); a <script> it adds runs the file its
// src names there (without `?k=`), so a split index loads its parts as from file://.
const vm = require('vm');
const fs = require('fs');
const path = require('path');
const [indexPath, searchPath, query, mode] = process.argv.slice(1);
const created = [];
const scripts = [];

class Text { constructor(t) { this.data = String(t); } get textContent() { return this.data; } }
class Element {
  constructor(tag) {
    this.tagName = tag.toUpperCase(); this.children = []; this.attrs = {}; this.listeners = {};
    this.hidden = false; this.className = ''; this.value = ''; this.id = '';
  }
  appendChild(c) { this.children.push(c); c.parentNode = this; return c; }
  set textContent(t) { this.children = t === '' ? [] : [new Text(t)]; }
  get textContent() { return this.children.map(c => c.textContent).join(''); }
  set innerHTML(_) { throw new Error('search.js must not use innerHTML'); }
  getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; }
  addEventListener(type, f) { (this.listeners[type] = this.listeners[type] || []).push(f); }
  dispatchEvent(e) {
    e.target = e.target || this;
    for (let n = this; n; n = n.parentNode) (n.listeners[e.type] || []).forEach(f => f(e));
    return true;
  }
  querySelectorAll(sel) {
    const out = [];
    const walk = n => (n.children || []).forEach(c => { if (c.tagName === sel.toUpperCase()) out.push(c); walk(c); });
    walk(this);
    return out;
  }
  focus() { document.activeElement = this; }
  select() {}
  click() { this.clicked = true; }
}

const document = {
  readyState: 'complete', activeElement: null, listeners: {},
  currentScript: { getAttribute: n => (n === 'src' ? '../static/search.js' : null) },
  documentElement: new Element('html'), body: new Element('body'), head: new Element('head'),
  createElement(tag) { created.push(tag.toUpperCase()); return new Element(tag); },
  createTextNode(t) { return new Text(t); },
  getElementById(id) { return byId[id] || null; },
  addEventListener(type, f) { (this.listeners[type] = this.listeners[type] || []).push(f); },
};
const byId = {};
for (const [id, tag] of [['search', 'div'], ['search-input', 'input'], ['search-results', 'ol'], ['search-status', 'div']]) {
  byId[id] = new Element(tag);
  byId[id].id = id;
}
byId.search.appendChild(byId['search-input']);
byId.search.appendChild(byId['search-results']);
byId.search.appendChild(byId['search-status']);
document.body.appendChild(byId.search);
byId['search-results'].hidden = true;

class Event { constructor(type, init) { this.type = type; Object.assign(this, init || {}); } preventDefault() { this.prevented = true; } }
const ctx = vm.createContext({ document, Event });
const loadIndex = () => vm.runInContext(fs.readFileSync(indexPath, 'utf8'), ctx);
const site = path.dirname(path.dirname(indexPath));
const run = src => {
  const file = path.join(site, src.replace(/^\.\.\//, '').replace(/\?.*$/, ''));
  if (!fs.existsSync(file)) return false;
  vm.runInContext(fs.readFileSync(file, 'utf8'), ctx);
  return true;
};
// A <script> added to <head> "loads" on the next tick, as in a browser.
document.head.appendChild = function (c) {
  Element.prototype.appendChild.call(this, c);
  if (c.tagName === 'SCRIPT') {
    scripts.push(c.src);
    setTimeout(() => (run(c.src) ? c.onload() : c.onerror()), 0);
  }
  return c;
};
if (mode !== 'lazy') loadIndex();
vm.runInContext(fs.readFileSync(searchPath, 'utf8'), ctx, { filename: searchPath });

(async () => {
const input = byId['search-input'];
const list = byId['search-results'];
input.value = query;
input.dispatchEvent(new Event('input'));
const statusWhileLoading = byId['search-status'].textContent;
// Until the index (and a split index's parts) came: a few ticks, at most two seconds.
for (let t = 0; t < 200 && /^Loading|^$/.test(byId['search-status'].textContent); t++) {
  await new Promise(r => setTimeout(r, 10));
}
const results = list.children.map(li => {
  const a = li.children[0];
  return { href: a.href, text: a.children[0].textContent, excerpt: a.children[1].textContent };
});
const status = byId['search-status'].textContent;
input.focus();
input.dispatchEvent(new Event('keydown', { key: 'ArrowDown' }));
const afterArrowDown = document.activeElement && document.activeElement.href;
document.activeElement = document.body;
document.listeners.keydown.forEach(f => f(new Event('keydown', { key: '/', target: document.body })));
const afterSlash = document.activeElement && document.activeElement.id;
document.activeElement = document.body;
document.listeners.keydown.forEach(f => f(new Event('keydown', { key: 'k', ctrlKey: true, target: document.body })));
const afterCtrlK = document.activeElement && document.activeElement.id;
input.dispatchEvent(new Event('keydown', { key: 'Escape' }));
const afterEscape = { value: input.value, hidden: list.hidden };
console.log(JSON.stringify({ created, scripts, statusWhileLoading, results, status, afterArrowDown, afterSlash, afterCtrlK, afterEscape }));
})();
