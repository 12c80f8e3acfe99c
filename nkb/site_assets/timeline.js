/* nkb timeline: written for nkb (see ASSETS-LICENSE.txt).
   Draws every event and quote of timeline-data.js on a zoomable time axis, one lane per group.
   A date is drawn over every day it may mean: a known day as a point, anything longer as a bar
   from its first to its last day; uncertain (?) hatched and dashed, approximate (~) blurred, an
   open end fading out. When more records are in view than DRAW_LIMIT, each lane shows how many
   records fall in each stretch instead (solid: certainly inside, hatched: possibly), and the
   list below the chart pages through them. All text is set with textContent, never as HTML. */
(function () {
  "use strict";
  var fold = NKB.fold, $ = NKB.$, el = NKB.el;  // assets/common.js
  // records drawn one by one at most; beyond, counts per stretch (?draw-limit=N to try another)
  var DRAW_LIMIT = +(new URLSearchParams(window.location.search).get("draw-limit") || 1500);
  var PAGE = 100;          // rows of the list per page
  var LABEL_W = 180;       // the lane names' column, as in site.css
  var ROW_H = 18;
  var DAY = 86400000;
  var data = window.NKB_TIMELINE;
  var F = {};
  data.fields.forEach(function (name, i) { F[name] = i; });

  function dayOf(iso) {
    return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY;
  }
  function isoOf(day) { return new Date(day * DAY).toISOString().slice(0, 10); }

  var items = data.rows.map(function (r) {
    var openStart = r[F.start] === "0000-01-01", openEnd = r[F.end] === "9999-12-31";
    return {
      type: r[F.type], id: r[F.id], date: r[F.date], precision: r[F.precision],
      length: r[F.length], approximate: !!r[F.approximate], uncertain: !!r[F.uncertain],
      text: r[F.text], who: r[F.who], speaker: r[F.speaker], actors: r[F.actors],
      topics: r[F.topics], href: r[F.href], draft: !!r[F.draft],
      openStart: openStart, openEnd: openEnd,
      s: openStart ? -Infinity : dayOf(r[F.start]),
      e: openEnd ? Infinity : dayOf(r[F.end]) + 1,   // exclusive: the day after the last
      folded: fold([r[F.text], r[F.who], r[F.date]].join(" "))
    };
  });
  var bounded = items.filter(function (it) { return isFinite(it.s) || isFinite(it.e); });
  var lo = Infinity, hi = -Infinity;  // a loop: Math.min.apply fails on 150,000 arguments
  bounded.forEach(function (it) {
    lo = Math.min(lo, isFinite(it.s) ? it.s : it.e - 1);
    hi = Math.max(hi, isFinite(it.e) ? it.e : it.s + 1);
  });
  if (!bounded.length) { lo = dayOf("2000-01-01"); hi = lo + 365; }
  var pad = Math.max(15, (hi - lo) * 0.02);
  var whole = [lo - pad, hi + pad];
  var view = whole.slice();
  var page = 0;

  function byName(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  // --- filters -------------------------------------------------------------------------------
  function fillSelect(select, values) {
    values.forEach(function (v) { var o = el("option", "", v); o.value = v; select.appendChild(o); });
  }
  var speakers = {}, topics = {};
  items.forEach(function (it) {
    if (it.type !== "event") speakers[it.who] = true;
    it.topics.forEach(function (t) { topics[t] = true; });
  });
  fillSelect($("speaker"), Object.keys(speakers).sort(byName));
  fillSelect($("topic"), Object.keys(topics).sort(byName));
  Array.prototype.forEach.call($("topic").options, function (o) {
    if ((data.topics || {})[o.value]) o.title = data.topics[o.value];  // topics.yaml's line
  });

  function filtered() {
    var speaker = $("speaker").value, topic = $("topic").value;
    var kinds = { event: $("kind-event").checked, direct: $("kind-direct").checked,
                  paraphrase: $("kind-paraphrase").checked };
    var words = fold($("text").value).split(/\s+/).filter(Boolean);
    return items.filter(function (it) {
      return kinds[it.type] && (!speaker || (it.type !== "event" && it.who === speaker)) &&
        (!topic || it.topics.indexOf(topic) >= 0) &&
        words.every(function (w) { return it.folded.indexOf(w) >= 0; });
    });
  }

  // --- lanes ---------------------------------------------------------------------------------
  var KIND_LANES = { event: "Events", direct: "Direct quotes", paraphrase: "Paraphrases" };
  function lanesOf(it, group) {
    if (group === "kind") return [KIND_LANES[it.type]];
    if (group === "actor") {
      if (it.type !== "event") return [it.who];
      var names = it.actors.map(function (a) { return data.actors[a] || a; });
      return names.length ? names : ["(event naming no actor)"];
    }
    if (it.type === "event") return ["(events: no topics)"];
    return it.topics.length ? it.topics : ["(quote without topic)"];
  }
  function laneOrder(group) {
    if (group === "kind") return function (a, b) {
      var order = ["Events", "Direct quotes", "Paraphrases"];
      return order.indexOf(a) - order.indexOf(b);
    };
    return function (a, b) {
      var sa = a.charAt(0) === "(", sb = b.charAt(0) === "(";
      return sa !== sb ? (sa ? 1 : -1) : byName(a, b);
    };
  }

  // --- the axis ------------------------------------------------------------------------------
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function ticks(width) {
    var days = view[1] - view[0], most = Math.max(2, Math.floor(width / 70)), out = [];
    var steps = [[1, "d"], [2, "d"], [7, "d"], [14, "d"], [1, "m"], [2, "m"], [3, "m"], [6, "m"],
                 [12, "m"], [24, "m"], [60, "m"], [120, "m"], [240, "m"], [600, "m"], [1200, "m"]];
    var step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) {
      var span = steps[i][1] === "d" ? steps[i][0] : steps[i][0] * 30.44;
      if (days / span <= most) { step = steps[i]; break; }
    }
    var start = new Date(Math.floor(view[0]) * DAY);
    if (step[1] === "d") {
      for (var d = Math.ceil(view[0]); d < view[1]; d += 1) {
        var date = new Date(d * DAY);
        if ((d - Math.ceil(view[0])) % step[0] === 0)
          out.push([d, date.getUTCDate() + " " + MONTHS[date.getUTCMonth()] + " " + date.getUTCFullYear()]);
      }
      return out;
    }
    var n = step[0], y = start.getUTCFullYear(), m = start.getUTCMonth();
    var k = y * 12 + m;
    k = Math.ceil(k / n) * n;
    for (; ; k += n) {
      var t = Date.UTC(Math.floor(k / 12), k % 12, 1) / DAY;
      if (t >= view[1]) break;
      if (t < view[0]) continue;
      out.push([t, (k % 12 === 0 || n >= 12) ? String(Math.floor(k / 12)) : MONTHS[k % 12] + " " + Math.floor(k / 12)]);
    }
    return out;
  }

  // --- drawing -------------------------------------------------------------------------------
  function render() {
    var chart = $("chart");
    var width = Math.max(200, chart.clientWidth - LABEL_W - 2);
    var scale = width / (view[1] - view[0]);
    var x = function (day) { return (day - view[0]) * scale; };
    var group = $("group").value;
    var matching = filtered();
    var inView = matching.filter(function (it) { return it.e > view[0] && it.s < view[1]; });
    // as `--within` reads a range: certainly in view when every day the date can mean is, and
    // the date is not approximate or uncertain (it may then mean other days)
    inView.forEach(function (it) {
      it.possible = it.s < view[0] || it.e > view[1] || it.approximate || it.uncertain;
    });
    var possible = inView.filter(function (it) { return it.possible; }).length;
    var lanes = {};
    var placements = 0;
    inView.forEach(function (it) {
      lanesOf(it, group).forEach(function (name) {
        (lanes[name] = lanes[name] || []).push(it);
        placements += 1;
      });
    });
    var names = Object.keys(lanes).sort(laneOrder(group));
    var drawn = placements <= DRAW_LIMIT;
    chart.textContent = "";
    chart.dataset.mode = drawn ? "items" : "counts";
    var axis = el("div", "axis");
    ticks(width).forEach(function (t) {
      var tick = el("div", "tick", t[1]);
      tick.style.left = x(t[0]) + "px";
      axis.appendChild(tick);
    });
    chart.appendChild(axis);
    names.forEach(function (name) {
      var lane = el("div", "lane");
      lane.dataset.lane = name;
      var label = el("div", "lane-name", name);
      label.title = group === "topic" && (data.topics || {})[name] ? name + ": " + data.topics[name] : name;
      var body = el("div", "lane-body");
      var rows = drawn ? drawItems(body, lanes[name], x, width) : drawCounts(body, lanes[name], width);
      lane.style.height = (drawn ? rows * ROW_H + 4 : 40) + "px";
      lane.appendChild(label);
      lane.appendChild(body);
      chart.appendChild(lane);
    });
    if (!names.length) chart.appendChild(el("p", "notice", "No record in view matches the filters."));
    var count = inView.length + " of " + matching.length + " matching records in view (" +
      items.length + " on the site)" + (possible ? "; " + possible + " of them only possibly " +
      "(\u2248): their date runs past the view or is uncertain or approximate" : "");
    if (!drawn) count += ": too many to draw one by one (more than " + DRAW_LIMIT +
      "), so each lane shows how many fall in each stretch (solid: certainly in it, hatched: " +
      "possibly); zoom in, click a stretch or filter to see each record";
    else if (placements > inView.length) count += "; a record with several " +
      (group === "topic" ? "topics" : "actors") + " is drawn in each of their lanes";
    $("count").textContent = count;
    $("count").dataset.inView = inView.length;
    $("count").dataset.matching = matching.length;
    $("count").dataset.possible = possible;
    $("from").value = isoOf(Math.ceil(view[0]));
    $("to").value = isoOf(Math.floor(view[1]) - 1);
    list(inView);
  }

  function label(it) {
    var mark = (it.approximate ? "~" : "") + (it.uncertain ? "?" : "");
    var text = it.type === "event" ? it.text : it.who;
    if (text.length > 40) text = text.slice(0, 39) + "\u2026";  // the whole text is in the list
    return text + (mark ? " (" + it.date + ")" : "");
  }

  function drawItems(body, laneItems, x, width) {
    var rowsEnd = [];
    laneItems.forEach(function (it) {
      var point = it.precision === "day";
      // an open end runs to the edge of the view, where it fades out (site.css)
      var left = it.openStart ? 0 : Math.max(x(it.s), -40);
      var right = it.openEnd ? width : Math.min(x(it.e), width + 40);
      var barW = point ? 0 : Math.max(3, right - left);
      var text = label(it);
      var textW = 10 + text.length * 6.2;
      // a label that would run off the right edge is written over its bar instead
      var inside = !point && left + barW + textW > width;
      var foot = [left - (point ? 6 : 0), left + (inside ? Math.max(barW, textW) : barW + textW)];
      var row = 0;
      while (row < rowsEnd.length && rowsEnd[row] > foot[0]) row += 1;
      rowsEnd[row] = foot[1];
      var a = el("a", "item " + it.type + (point ? " point" : " span") +
        (it.uncertain ? " uncertain" : "") + (it.approximate ? " approximate" : "") +
        (it.openStart ? " open-start" : "") + (it.openEnd ? " open-end" : "") +
        (it.draft ? " draft" : "") + (it.possible ? " possible" : ""));
      a.href = it.href;
      a.dataset.id = it.id;
      a.dataset.date = it.date;
      a.dataset.precision = it.precision;
      a.style.left = (point ? left - 5 : left) + "px";   // a point's dot is centred on its day
      a.style.width = (point ? 10 : barW) + "px";
      a.style.top = (2 + row * ROW_H) + "px";
      a.title = it.date + " (" + it.length + ")  " + (it.type === "event" ? "event: " + it.text :
        it.who + (it.type === "paraphrase" ? " (paraphrase): " + it.text : ": \u201c" + it.text + "\u201d"));
      var bar = el("span", "bar");
      if (!point) bar.style.width = barW + "px";
      var name = el("span", "label", text);
      if (!point) name.style.left = (inside ? Math.max(0, -left) + 3 : barW + 3) + "px";
      if (inside) name.className += " inside";
      a.appendChild(bar);
      a.appendChild(name);
      body.appendChild(a);
    });
    return Math.max(1, rowsEnd.length);
  }

  function drawCounts(body, laneItems, width) {
    var bins = Math.max(10, Math.floor(width / 8)), size = (view[1] - view[0]) / bins;
    var possible = new Array(bins + 1).fill(0), certain = new Array(bins).fill(0);
    laneItems.forEach(function (it) {
      var first = Math.max(0, Math.floor((it.s - view[0]) / size));
      var last = Math.min(bins - 1, Math.floor((it.e - view[0] - 1e-9) / size));
      if (first === last) certain[first] += 1;
      possible[first] += 1;
      possible[last + 1] -= 1;
    });
    var running = 0, top = 1;
    var totals = certain.map(function (_, i) { running += possible[i]; return running; });
    totals.forEach(function (t) { top = Math.max(top, t); });
    totals.forEach(function (total, i) {
      if (!total) return;
      var bin = el("div", "bin");
      var h = Math.max(2, Math.round(36 * total / top));
      bin.style.left = (i * width / bins) + "px";
      bin.style.width = Math.max(1, width / bins - 1) + "px";
      bin.style.height = h + "px";
      bin.dataset.count = total;
      bin.dataset.certain = certain[i];
      bin.title = certain[i] + " records certainly, " + (total - certain[i]) +
        " more possibly, between " + isoOf(Math.floor(view[0] + i * size)) + " and " +
        isoOf(Math.floor(view[0] + (i + 1) * size));
      if (total > certain[i]) {
        var part = el("div", "possible");
        part.style.height = Math.round(h * (total - certain[i]) / total) + "px";
        bin.appendChild(part);
      }
      bin.addEventListener("click", function () {
        view = [view[0] + i * size, view[0] + (i + 1) * size];
        page = 0;
        render();
      });
      body.appendChild(bin);
    });
    return 1;
  }

  function list(inView) {
    var ol = $("list"), pages = Math.max(1, Math.ceil(inView.length / PAGE));
    page = Math.min(page, pages - 1);
    ol.textContent = "";
    ol.start = page * PAGE + 1;
    inView.slice(page * PAGE, (page + 1) * PAGE).forEach(function (it) {
      var li = el("li", it.type);
      if (it.possible) li.appendChild(el("span", "possible", "\u2248"));  // only possibly in view
      li.appendChild(el("span", "edtf", it.date));
      li.appendChild(el("span", "len", " (" + it.length + ") "));
      if (it.draft) li.appendChild(el("span", "draft", "DRAFT"));
      li.appendChild(el("span", "kind " + it.type, it.type === "event" ? "event" :
        it.type === "direct" ? "direct quote" : "paraphrase"));
      li.appendChild(document.createTextNode(" "));
      var a = el("a", "", it.type === "event" ? it.text : it.who);
      a.href = it.href;
      li.appendChild(a);
      if (it.type !== "event") li.appendChild(document.createTextNode(it.type === "direct" ?
        ": \u201c" + it.text + "\u201d" : " (paraphrase): " + it.text));
      ol.appendChild(li);
    });
    var pager = $("pager");
    pager.textContent = inView.length ? "Records " + (page * PAGE + 1) + "\u2013" +
      Math.min(inView.length, (page + 1) * PAGE) + " of " + inView.length + " in view, in date order. " : "";
    [["Previous", page - 1], ["Next", page + 1]].forEach(function (b) {
      if (b[1] < 0 || b[1] >= pages) return;
      var button = el("button", "", b[0]);
      button.addEventListener("click", function () { page = b[1]; render(); });
      pager.appendChild(button);
    });
  }

  // --- moving around ---------------------------------------------------------------------------
  function zoom(factor, at) {
    var centre = at === undefined ? (view[0] + view[1]) / 2 : at;
    var span = Math.min(Math.max((view[1] - view[0]) * factor, 2), (whole[1] - whole[0]) * 4);
    var share = (centre - view[0]) / (view[1] - view[0]);
    view = [centre - span * share, centre - span * share + span];
    page = 0;
    render();
  }
  function parseEnd(text, last) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text.trim());
    if (!m) return null;
    var y = +m[1], mo = m[2] ? +m[2] - 1 : (last ? 11 : 0);
    var d = m[3] ? +m[3] : (last ? new Date(Date.UTC(y, mo + 1, 0)).getUTCDate() : 1);
    return Date.UTC(y, mo, d) / DAY + (last ? 1 : 0);
  }
  $("apply-range").addEventListener("click", function () {
    var from = parseEnd($("from").value, false), to = parseEnd($("to").value, true);
    if (from === null || to === null || to <= from) {
      $("count").textContent = "Give the range as 2020, 2023-02 or 2024-05-10, the earlier first.";
      return;
    }
    view = [from, to];
    page = 0;
    render();
  });
  $("zoom-in").addEventListener("click", function () { zoom(0.5); });
  $("zoom-out").addEventListener("click", function () { zoom(2); });
  $("fit").addEventListener("click", function () { view = whole.slice(); page = 0; render(); });
  ["group", "speaker", "topic", "kind-event", "kind-direct", "kind-paraphrase"].forEach(function (id) {
    $(id).addEventListener("change", function () { page = 0; render(); });
  });
  $("text").addEventListener("input", function () { page = 0; render(); });
  var chart = $("chart");
  chart.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var box = chart.getBoundingClientRect();
    var width = Math.max(200, chart.clientWidth - LABEL_W - 2);
    var at = view[0] + (ev.clientX - box.left - LABEL_W) / width * (view[1] - view[0]);
    zoom(ev.deltaY > 0 ? 1.25 : 0.8, at);
  }, { passive: false });
  var drag = null;
  chart.addEventListener("pointerdown", function (ev) {
    if (ev.target.closest && ev.target.closest("a, .bin")) return;
    drag = { x: ev.clientX, view: view.slice() };
    chart.classList.add("dragging");
  });
  window.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    var width = Math.max(200, chart.clientWidth - LABEL_W - 2);
    var shift = (ev.clientX - drag.x) / width * (drag.view[1] - drag.view[0]);
    view = [drag.view[0] - shift, drag.view[1] - shift];
    render();
  });
  window.addEventListener("pointerup", function () { drag = null; chart.classList.remove("dragging"); });
  window.addEventListener("resize", render);
  render();
})();
