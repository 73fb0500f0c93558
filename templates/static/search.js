// helpsite search: reads the global HELPSITE_SEARCH_INDEX (static/search-index.js, built by
// src/output/search.rs) and wires the box from partials/search.html. The ranking is the pure
// function `search(index, query)`, exported for node when `module` exists. All text reaches the
// DOM through textContent, never as HTML. A split index (format 2) is an entry with the terms;
// the postings shards and page chunks it names are scripts under static/search/ that add
// themselves to the global HELPSITE_SEARCH_PARTS: `search` then answers with `need`, the parts
// to load before asking again, and the page loads them with <script> tags (file:// allows
// scripts, not fetch).
(function (global) {
  'use strict';

  var ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
  var STOP_WORDS = ['a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'if', 'in', 'is',
    'it', 'of', 'on', 'or', 'that', 'the', 'this', 'to', 'with'];
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var MAX_TERM_CHARS = 40;
  var MAX_EXPANSIONS = 100;
  var TYPO_MIN = 5;
  var HEADING_BONUS = 2;
  var TITLE_BONUS = 1;
  var VALUE = {};
  for (var a = 0; a < ALPHABET.length; a++) VALUE[ALPHABET[a]] = a;

  // Lowercased words of a query, as the index splits text (without stop words, deduplicated).
  function tokenize(text) {
    var seen = {};
    var out = [];
    (String(text).toLowerCase().match(WORD) || []).forEach(function (w) {
      if (Array.from(w).length > MAX_TERM_CHARS || STOP_WORDS.indexOf(w) >= 0) return;
      if (!seen[w]) { seen[w] = true; out.push(w); }
    });
    return out;
  }

  // One posting list: `.` + bitmap, or delta-coded numbers (5 bits a letter, 32+ = more).
  function decodeList(code) {
    var ids = [];
    if (!code) return ids;
    if (code[0] === '.') {
      for (var i = 1; i < code.length; i++) {
        var cell = VALUE[code[i]];
        for (var b = 0; b < 6; b++) if (cell & (1 << b)) ids.push((i - 1) * 6 + b);
      }
      return ids;
    }
    var n = 0;
    var prev = -1;
    for (var j = 0; j < code.length; j++) {
      var v = VALUE[code[j]];
      n = n * 32 + (v & 31);
      if (v < 32) { prev = prev < 0 ? n : prev + n + 1; ids.push(prev); n = 0; }
    }
    return ids;
  }

  // Prepares the raw index once: section → page, first section of each page, decoded cache.
  // A split index keeps the parts loaded so far in `parts` (name → data).
  function load(raw, parts) {
    if (raw.v === 2) return { raw: raw, n: raw.n, parts: parts || {}, cache: {} };
    var secPage = new Uint32Array(raw.secs.length);
    var firstSec = new Uint32Array(raw.pages.length + 1);
    var s = 0;
    for (var p = 0; p < raw.pages.length; p++) {
      firstSec[p] = s;
      for (var k = 0; k < raw.pages[p][3]; k++) secPage[s++] = p;
    }
    firstSec[raw.pages.length] = s;
    return { raw: raw, n: raw.secs.length, secPage: secPage, firstSec: firstSec, cache: {} };
  }

  // Term numbers matching a query word: the exact term, plus longer ones for words of 3+ letters.
  function lookup(index, word) {
    var terms = index.raw.terms;
    var lo = 0;
    var hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < word) lo = mid + 1; else hi = mid;
    }
    var found = [];
    if (word.length < 3) return terms[lo] === word ? [lo] : found;
    for (var i = lo; i < terms.length && found.length < MAX_EXPANSIONS; i++) {
      if (terms[i].lastIndexOf(word, 0) !== 0) break;
      found.push(i);
    }
    return found.length || word.length < TYPO_MIN ? found : nearTerms(terms, word);
  }

  // Terms one letter away from `word` (a letter changed, added, dropped or two swapped), for
  // words of TYPO_MIN letters or more that match nothing as typed.
  function nearTerms(terms, word) {
    var found = [];
    for (var i = 0; i < terms.length && found.length < MAX_EXPANSIONS; i++) {
      var t = terms[i];
      if (Math.abs(t.length - word.length) <= 1 && t.length >= TYPO_MIN - 1 && oneEdit(t, word)) found.push(i);
    }
    return found;
  }

  function oneEdit(a, b) {
    if (a === b) return true;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // The shard holding a term's postings in a split index: the last one starting at or before it.
  function shardOf(index, term) {
    var starts = index.raw.shards;
    var lo = 0;
    var hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // The parts of a split index that `terms` (term numbers) or `secs` (section numbers) need
  // and that are not loaded yet; none for a one-file index.
  function missing(index, terms, secs) {
    var need = [];
    if (index.raw.v !== 2) return need;
    var add = function (name) { if (!index.parts[name] && need.indexOf(name) < 0) need.push(name); };
    terms.forEach(function (t) { add('s' + shardOf(index, t)); });
    secs.forEach(function (s) { add('c' + Math.floor(s / index.raw.chunk)); });
    return need;
  }

  function postings(index, term) {
    var cached = index.cache[term];
    if (cached) return cached;
    var code;
    if (index.raw.v === 2) {
      var shard = shardOf(index, term);
      code = index.parts['s' + shard][term - index.raw.shards[shard]];
    } else {
      code = index.raw.post[term];
    }
    var lists = code.split(',');
    cached = { body: decodeList(lists[0]), heading: decodeList(lists[1]), title: decodeList(lists[2]) };
    index.cache[term] = cached;
    return cached;
  }

  // Marks every section matched by one query word (its `terms`): stamp = the word's number + 1.
  // Title lists hold pages in a one-file index, their sections in a split one.
  function markWord(index, terms, stamp, seen, count, bonus) {
    terms.forEach(function (term) {
      var p = postings(index, term);
      var hit = function (sec, extra) {
        if (seen[sec] !== stamp) { seen[sec] = stamp; count[sec]++; }
        bonus[sec] += extra;
      };
      p.body.forEach(function (sec) { hit(sec, 0); });
      p.heading.forEach(function (sec) { hit(sec, HEADING_BONUS); });
      p.title.forEach(function (id) {
        if (!index.firstSec) { hit(id, TITLE_BONUS); return; }
        for (var sec = index.firstSec[id]; sec < index.firstSec[id + 1]; sec++) hit(sec, TITLE_BONUS);
      });
    });
  }

  // An answer that is not ready: load the parts named in `need` (into index.parts), then ask again.
  function pending(need) {
    var out = [];
    out.need = need;
    out.total = 0;
    return out;
  }

  // Ranks sections: most query words first, then heading/title hits, then reading order. The
  // array's `total` is how many sections matched (more than shown when capped at `limit`). With
  // a split index whose parts are not all loaded, the answer is empty with `need` set instead.
  function search(index, query, limit) {
    var words = tokenize(query);
    var n = index.n;
    if (!words.length || !n) return [];
    var found = words.map(function (w) { return lookup(index, w); });
    var need = missing(index, [].concat.apply([], found), []);
    if (need.length) return pending(need);
    var seen = new Int32Array(n);
    var count = new Uint16Array(n);
    var bonus = new Uint32Array(n);
    var marked = words.slice();
    words.forEach(function (w, i) {
      markWord(index, found[i], i + 1, seen, count, bonus);
      found[i].forEach(function (term) {
        var t = index.raw.terms[term];
        if (t.lastIndexOf(w, 0) !== 0 && marked.indexOf(t) < 0) marked.push(t);
      });
    });
    var hits = [];
    for (var s = 0; s < n; s++) if (count[s]) hits.push(s);
    hits.sort(function (x, y) { return count[y] - count[x] || bonus[y] - bonus[x] || x - y; });
    var top = hits.slice(0, limit || 20);
    need = missing(index, [], top);
    if (need.length) return pending(need);
    var results = top.map(function (sec) {
      return result(index, sec, marked, count[sec], words.length);
    });
    results.total = hits.length;
    return results;
  }

  // `words` are the query's words plus the terms typos were corrected to (all highlighted;
  // `hl` carries them to the page opened, `?hl=a+b` before the anchor).
  function result(index, sec, words, matched, asked) {
    var raw = index.raw;
    var path, title, id, heading, text;
    if (raw.v === 2) {
      // A chunk: [[[page url, title], …], [[page in chunk, anchor id, heading, excerpt], …]].
      var chunk = index.parts['c' + Math.floor(sec / raw.chunk)];
      var row = chunk[1][sec % raw.chunk];
      path = chunk[0][row[0]][0]; title = chunk[0][row[0]][1];
      id = row[1]; heading = row[2]; text = row[3];
    } else {
      var page = raw.pages[index.secPage[sec]];
      var head = raw.heads[raw.secs[sec][0]];
      path = raw.dirs[page[0]] + page[1]; title = page[2];
      id = head[0]; heading = head[1]; text = raw.secs[sec][1];
    }
    return { url: path + (id ? '#' + id : ''), title: title, heading: heading, matched: matched,
      words: asked, hl: words.map(encodeURIComponent).join('+'), excerpt: excerpt(text, words) };
  }

  // The window of the excerpt holding the most distinct query words, as [text, isMatch] pieces.
  function excerpt(text, words, width) {
    width = width || 160;
    var hits = wordHits(text, words);
    var best = 0;
    var from = 0;
    for (var a = 0; a < hits.length; a++) {
      var seen = {};
      var n = 0;
      for (var b = a; b < hits.length && hits[b][0] < hits[a][0] + width * 0.8; b++) {
        if (!seen[hits[b][1]]) { seen[hits[b][1]] = true; n++; }
      }
      if (n > best) { best = n; from = hits[a][0]; }
    }
    var start = from > 20 ? text.lastIndexOf(' ', from - 20) + 1 : 0;
    var end = Math.min(text.length, start + width);
    var piece = (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
    return highlight(piece, words);
  }

  // [position, query word number, length] of each word of `text` that starts with a query word.
  function wordHits(text, words) {
    var hits = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null && hits.length < 500) {
      var w = m[0].toLowerCase();
      for (var i = 0; i < words.length; i++) {
        if (w.lastIndexOf(words[i], 0) === 0) { hits.push([m.index, i, m[0].length]); break; }
      }
    }
    return hits;
  }

  function highlight(text, words) {
    var pieces = [];
    var last = 0;
    wordHits(text, words).forEach(function (hit) {
      var end = hit[0] + hit[2];
      if (hit[0] > last) pieces.push([text.slice(last, hit[0]), false]);
      pieces.push([text.slice(hit[0], end), true]);
      last = end;
    });
    if (last < text.length) pieces.push([text.slice(last), false]);
    return pieces;
  }

  // Marks, in the text under `root` (a DOM node), every word starting with one of `words`;
  // returns the first <mark> (or null). Text only: nodes are split, never parsed as HTML.
  function markPage(doc, root, words) {
    if (!root || !words.length) return null;
    var walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
    var nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var parent = node.parentNode && node.parentNode.nodeName;
      if (!/^(SCRIPT|STYLE|MARK|BUTTON)$/.test(parent || '')) nodes.push(node);
    }
    var first = null;
    nodes.forEach(function (text) {
      var pieces = highlight(text.nodeValue, words);
      if (pieces.length < 2 && !(pieces[0] && pieces[0][1])) return;
      var frag = doc.createDocumentFragment();
      pieces.forEach(function (p) {
        if (!p[1]) { frag.appendChild(doc.createTextNode(p[0])); return; }
        var m = doc.createElement('mark');
        m.className = 'search-hit';
        m.textContent = p[0];
        first = first || m;
        frag.appendChild(m);
      });
      text.parentNode.replaceChild(frag, text);
    });
    return first;
  }

  // The words of `?hl=` in a page's address (as search results link them).
  function hlWords(search) {
    var m = /[?&]hl=([^&#]*)/.exec(search || '');
    if (!m) return [];
    return m[1].split('+').map(function (w) {
      try { return decodeURIComponent(w).toLowerCase(); } catch (e) { return ''; }
    }).filter(function (w) { return w; });
  }

  var api = { tokenize: tokenize, decodeList: decodeList, load: load, search: search, excerpt: excerpt,
    markPage: markPage, hlWords: hlWords };
  if (typeof module !== 'undefined' && module.exports) { module.exports = api; return; }
  global.helpsiteSearch = api;

  // ---- The page: everything below touches the DOM. ----
  var script = document.currentScript;

  function siteRoot(box) {
    var marked = box.getAttribute('data-root') || document.documentElement.getAttribute('data-root') ||
      (document.body && document.body.getAttribute('data-root'));
    if (marked !== null && marked !== undefined) return marked;
    var src = script ? script.getAttribute('src') || '' : '';
    return src.replace(/static\/search\.js([?#].*)?$/, '');
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function renderResult(r, root) {
    var li = el('li', 'search-result');
    var a = el('a', 'search-link');
    var at = r.url.indexOf('#');
    var path = at < 0 ? r.url : r.url.slice(0, at);
    a.href = root + path + (r.hl ? '?hl=' + r.hl : '') + (at < 0 ? '' : r.url.slice(at));
    var where = el('span', 'search-where', r.title);
    if (r.heading) where.appendChild(el('span', 'search-heading', ' › ' + r.heading));
    a.appendChild(where);
    var ex = el('span', 'search-excerpt');
    r.excerpt.forEach(function (piece) {
      ex.appendChild(piece[1] ? el('mark', '', piece[0]) : document.createTextNode(piece[0]));
    });
    a.appendChild(ex);
    li.appendChild(a);
    return li;
  }

  // Calls done(index) once the index is there: at once when search-index.js was loaded by the
  // page, else after adding its <script> (file:// allows scripts, not fetch) on first use, so
  // pages need not parse a large index before the reader searches.
  var waiting = null;
  function withIndex(root, done, failed) {
    if (global.HELPSITE_SEARCH_INDEX) { done(global.HELPSITE_SEARCH_INDEX); return; }
    if (waiting) { waiting.push([done, failed]); return; }
    waiting = [[done, failed]];
    var tag = document.createElement('script');
    tag.src = root + 'static/search-index.js';
    var settle = function () {
      var calls = waiting;
      waiting = null;
      calls.forEach(function (c) {
        if (global.HELPSITE_SEARCH_INDEX) c[0](global.HELPSITE_SEARCH_INDEX); else c[1]();
      });
    };
    tag.onload = settle;
    tag.onerror = settle;
    (document.head || document.documentElement).appendChild(tag);
  }

  // Adds the <script> of each part of a split index in `names` (a part already loading is
  // waited for, not added twice), then calls done(), or failed() if one did not define its part.
  // `?k=` (the index's key) keeps a browser from mixing in parts of an older build it cached.
  var partWaits = {};
  function withParts(root, names, done, failed) {
    var parts = global.HELPSITE_SEARCH_PARTS;
    var left = names.length;
    var bad = false;
    var settled = function (ok) {
      bad = bad || !ok;
      if (--left === 0) { if (bad) failed(); else done(); }
    };
    names.forEach(function (name) {
      if (parts[name]) { settled(true); return; }
      if (partWaits[name]) { partWaits[name].push(settled); return; }
      partWaits[name] = [settled];
      var tag = document.createElement('script');
      tag.src = root + 'static/search/' + name + '.js?k=' + encodeURIComponent(global.HELPSITE_SEARCH_INDEX.key || '');
      var end = function () {
        var calls = partWaits[name];
        delete partWaits[name];
        calls.forEach(function (c) { c(!!parts[name]); });
      };
      tag.onload = end;
      tag.onerror = end;
      (document.head || document.documentElement).appendChild(tag);
    });
  }

  function setup() {
    var box = document.getElementById('search');
    var input = document.getElementById('search-input');
    var list = document.getElementById('search-results');
    var status = document.getElementById('search-status');
    if (!box || !input || !list || !status) return;
    var root = siteRoot(box);
    var index = null;
    global.HELPSITE_SEARCH_PARTS = global.HELPSITE_SEARCH_PARTS || {};
    var show = function () {
      var query = input.value;
      var results = query.trim() ? search(index, query, 20) : [];
      if (results.need) {
        // The answer to `query` once its parts are here, unless the reader typed on meanwhile.
        status.textContent = 'Loading the search index…';
        withParts(root, results.need, function () { if (input.value === query) show(); },
          function () { if (input.value === query) status.textContent = 'Search index not found.'; });
        return;
      }
      list.textContent = '';
      results.forEach(function (r) { list.appendChild(renderResult(r, root)); });
      list.hidden = results.length === 0;
      var capped = results.total > results.length;
      status.textContent = !query.trim() ? '' : results.length === 0 ? 'No results.' :
        results.length + (capped ? '+ results.' : results.length === 1 ? ' result.' : ' results.') +
        ' Arrow keys to move, Enter to open.';
    };
    var run = function () {
      if (index) { show(); return; }
      if (input.value.trim()) status.textContent = 'Loading the search index…';
      withIndex(root, function (raw) { index = index || load(raw, global.HELPSITE_SEARCH_PARTS); show(); },
        function () { status.textContent = 'Search index not found.'; });
    };
    input.addEventListener('input', run);
    input.addEventListener('focus', function () { withIndex(root, function () {}, function () {}); });
    box.addEventListener('keydown', function (e) { onKey(e, input, list); });
    document.addEventListener('keydown', function (e) {
      var t = e.target;
      var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      var slash = e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey;
      var ctrlK = (e.key === 'k' || e.key === 'K') && (e.ctrlKey || e.metaKey) && !e.altKey;
      if (slash || ctrlK) { e.preventDefault(); input.focus(); input.select(); }
    });
    var hit = markPage(document, document.getElementById('main'), hlWords(global.location && global.location.search));
    if (hit && !(global.location.hash)) hit.scrollIntoView({ block: 'center' });
  }

  // Arrow keys move between the box and the result links; Escape clears; Enter follows a link.
  function onKey(e, input, list) {
    var links = Array.prototype.slice.call(list.querySelectorAll('a'));
    var at = links.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && links.length) {
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (e.key === 'ArrowUp' && at >= 0) {
      (at === 0 ? input : links[at - 1]).focus();
    } else if (e.key === 'Enter' && at < 0 && links.length && document.activeElement === input) {
      links[0].click();
    } else if (e.key === 'Escape') {
      input.value = '';
      input.dispatchEvent(new Event('input'));
      input.focus();
    } else {
      return;
    }
    e.preventDefault();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup);
  else setup();
})(this);
