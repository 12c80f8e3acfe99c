/* nkb search: written for nkb (see ASSETS-LICENSE.txt).
   Looks through search-index.js (every quote, event, actor, and source with its article's
   whole text) in the page: every word must occur, in any order, case and accents ignored;
   "a phrase" in double quotes must occur as written. Text is set with textContent only. */
(function () {
  "use strict";
  var fold = NKB.fold, $ = NKB.$, el = NKB.el;  // assets/common.js
  var SHOWN = 50;  // results per "More results"
  var data = window.NKB_SEARCH;
  var F = {};
  data.fields.forEach(function (name, i) { F[name] = i; });
  var ORDER = { actor: 0, event: 1, quote: 2, source: 3 };
  var folded = null;  // folded once, at the first search
  var results = [], shown = 0, terms = [];


  function parse(query) {
    var out = [], re = /"([^"]*)"|(\S+)/g, m;
    while ((m = re.exec(query)) !== null) {
      var t = fold(m[1] !== undefined ? m[1] : m[2]).trim();
      if (t) out.push(t);
    }
    return out;
  }

  function run() {
    var query = $("q").value;
    terms = parse(query);
    results = [];
    shown = 0;
    $("results").textContent = "";
    if (!terms.length) { $("count").textContent = ""; $("more").hidden = true; return; }
    if (folded === null) folded = data.rows.map(function (r) {
      return fold(r[F.title] + "\n" + r[F.text] + "\n" + r[F.id]);
    });
    var kinds = {};
    ["quote", "event", "actor", "source"].forEach(function (k) { kinds[k] = $("kind-" + k).checked; });
    data.rows.forEach(function (r, i) {
      if (!kinds[r[F.kind]]) return;
      var text = folded[i];
      if (terms.every(function (t) { return text.indexOf(t) >= 0; })) results.push(i);
    });
    results.sort(function (a, b) {
      var ra = data.rows[a], rb = data.rows[b];
      return ORDER[ra[F.kind]] - ORDER[rb[F.kind]] || a - b;
    });
    var per = {};
    results.forEach(function (i) { var k = data.rows[i][F.kind]; per[k] = (per[k] || 0) + 1; });
    $("count").textContent = results.length + " found" + (results.length ? ": " +
      Object.keys(per).sort(function (a, b) { return ORDER[a] - ORDER[b]; })
        .map(function (k) { return per[k] + " " + k + (per[k] === 1 ? "" : "s"); }).join(", ") : "");
    $("count").dataset.found = results.length;
    more();
  }

  function snippet(text, at) {
    var from = Math.max(0, at - 80), to = Math.min(text.length, at + 160);
    return (from > 0 ? "\u22ef " : "") + text.slice(from, to) + (to < text.length ? " \u22ef" : "");
  }

  function marked(node, text) {
    // the matched terms in bold, found in the folded text (same length for Latin text)
    var low = fold(text), at = 0;
    if (low.length !== text.length) { node.appendChild(document.createTextNode(text)); return; }
    while (at < text.length) {
      var next = -1, len = 0;
      terms.forEach(function (t) {
        var i = low.indexOf(t, at);
        if (i >= 0 && (next < 0 || i < next)) { next = i; len = t.length; }
      });
      if (next < 0) break;
      node.appendChild(document.createTextNode(text.slice(at, next)));
      node.appendChild(el("b", "", text.slice(next, next + len)));
      at = next + len;
    }
    node.appendChild(document.createTextNode(text.slice(at)));
  }

  function more() {
    var ol = $("results");
    results.slice(shown, shown + SHOWN).forEach(function (i) {
      var r = data.rows[i], li = el("li", r[F.kind]);
      li.dataset.kind = r[F.kind];
      li.dataset.id = r[F.id];
      li.appendChild(el("span", "kind", r[F.kind] + (r[F.kind] === "quote" ? " (" +
        (r[F.detail] === "direct" ? "direct" : "paraphrase, not verbatim") + ")" : "") + " "));
      var a = el("a", "", (r[F.kind] === "source" ? r[F.id] + " " : "") + r[F.title]);
      a.href = r[F.href];
      li.appendChild(a);
      if (r[F.date]) li.appendChild(el("span", "edtf", " " + r[F.date]));
      var body = r[F.text], low = fold(body), at = -1;
      terms.forEach(function (t) { var j = low.indexOf(t); if (j >= 0 && (at < 0 || j < at)) at = j; });
      var p = el("div", "snippet");
      marked(p, snippet(body, Math.max(0, at)));
      li.appendChild(p);
      ol.appendChild(li);
    });
    shown = Math.min(results.length, shown + SHOWN);
    $("more").hidden = shown >= results.length;
  }

  $("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", $("q").value);
    try { window.history.replaceState(null, "", url.toString()); } catch (e) { /* file:// may refuse */ }
    run();
  });
  ["quote", "event", "actor", "source"].forEach(function (k) {
    $("kind-" + k).addEventListener("change", run);
  });
  $("more").addEventListener("click", more);
  var initial = new URL(window.location.href).searchParams.get("q");
  if (initial) { $("q").value = initial; run(); }
})();
