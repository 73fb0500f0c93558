// Measures the search index in node: read + parse of search-index.js, search.js's load(), and
// queries (median of RUNS). usage: node bench/search-load.js INDEX.js templates/static/search.js
const fs = require('fs');
const vm = require('vm');
const path = require('path');
const [indexPath, searchPath] = process.argv.slice(2);
const RUNS = 7;
const median = xs => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const ms = f => { const t = process.hrtime.bigint(); const r = f(); return [Number(process.hrtime.bigint() - t) / 1e6, r]; };

const parse = [];
let raw;
for (let i = 0; i < RUNS; i++) {
  const [t, ctx] = ms(() => { const c = {}; vm.runInNewContext(fs.readFileSync(indexPath, 'utf8'), c); return c; });
  parse.push(t);
  raw = ctx.HELPSITE_SEARCH_INDEX;
}
const s = require(path.resolve(searchPath));
const prep = [];
let index;
for (let i = 0; i < RUNS; i++) { const [t, ix] = ms(() => s.load(raw)); prep.push(t); index = ix; }
console.log(`index: ${raw.pages.length} pages, ${raw.secs.length} sections, ${raw.terms.length} terms`);
console.log(`read+parse median ${median(parse).toFixed(1)} ms, prepare median ${median(prep).toFixed(1)} ms`);
for (const q of ['fatal: Authentication failed for \'https://bitbucket.org/username/demo.git/\'', 'credential helper', 'configuration', 'repo']) {
  const times = [];
  let results;
  for (let i = 0; i < RUNS; i++) {
    index.cache = {}; // a first query decodes its postings: measure that, not the cache
    const [t, r] = ms(() => s.search(index, q, 20));
    times.push(t);
    results = r;
  }
  console.log(`query ${JSON.stringify(q)}: median ${median(times).toFixed(1)} ms, top ${results.length ? results[0].url : '-'}`);
}
