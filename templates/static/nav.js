// helpsite shared nav: the page carries its own section inline (src/output/nav.rs); this adds
// the rest of the top level from HELPSITE_NAV (static/nav-data.js, a script, so it works from
// file://), in order, around the inline entry marked data-nav="N". Text goes in as textContent.
(function (global) {
  'use strict';

  // Rebuilds `list` (the inline <ul class="nav">) with every top-level entry of `entries`.
  function fill(doc, list, entries) {
    if (!list || !entries || list.getAttribute('data-nav-filled')) return;
    var root = list.getAttribute('data-root') || '';
    var inline = {};
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      var n = items[i].getAttribute('data-nav');
      if (n !== null) inline[n] = items[i];
    }
    var anchor = null;
    for (var k = entries.length - 1; k >= 0; k--) {
      var item = inline[String(k)] || entry(doc, entries[k], root);
      list.insertBefore(item, anchor);
      anchor = item;
    }
    list.setAttribute('data-nav-filled', '1');
  }

  function entry(doc, e, root) {
    var li = doc.createElement('li');
    var label;
    if (e[1]) {
      label = doc.createElement('a');
      label.setAttribute('href', root + e[1]);
    } else {
      label = doc.createElement('span');
      label.className = 'nav-section-title';
    }
    label.textContent = e[0];
    if (e[2]) li.className = 'nav-section';
    li.appendChild(label);
    return li;
  }

  var api = { fill: fill };
  if (typeof module !== 'undefined' && module.exports) { module.exports = api; return; }
  var doc = global.document;
  var run = function () { fill(doc, doc.querySelector('#sidebar ul.nav'), global.HELPSITE_NAV); };
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', run); else run();
})(this);
