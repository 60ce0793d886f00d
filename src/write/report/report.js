(function () {
  "use strict";
  // The list scrolls by beads, not by pixels: this many pixels of scroll is one bead,
  // so that 100k beads of any height need only rows in view in the DOM.
  var ROW = 36;
  // Bands, as the Rust side's summary counts them.
  var HIGH = 0.8, MID = 0.5;
  var $ = function (id) { return document.getElementById(id); };
  var dataEl = $("data"), list = $("list"), spacer = $("spacer"), rowsEl = $("rows");
  var statusEl = $("status"), progressEl = $("progress"), canvas = $("plot");
  var storeKey = "bitext-review:" + dataEl.getAttribute("data-key");

  var D, S, T, srcPara, tgtPara;
  var beads = [];   // {s0, s1, t0, t1, c, r (0 open, 1 confirmed, 2 wrong), e (edited)}
  var log = [];     // edits, oldest first: {at, n, b (packed beads), old (beads)}
  var cur = 0, sel = null, first = 0, lastFull = 0, threshold = MID;

  function mk(s0, s1, t0, t1, c, r, e) { return { s0: s0, s1: s1, t0: t0, t1: t1, c: c, r: r, e: e }; }
  function pack(b) { return [b.s0, b.s1, b.t0, b.t1, b.c, b.r, b.e]; }
  function unpack(a) { return mk(a[0], a[1], a[2], a[3], a[4], a[5], a[6]); }
  function isPair(b) { return b.s1 > b.s0 && b.t1 > b.t0; }
  function nonEmpty(b) { return b.s1 > b.s0 || b.t1 > b.t0; }
  function clamp(k) { return Math.max(0, Math.min(beads.length - 1, k)); }
  function confidence(b) { return b.r === 1 ? 1 : b.r === 2 ? 0 : b.c; }
  // A bead to review: not marked yet, and under the threshold or unaligned.
  function isLow(b) { return b.r === 0 && (b.c < threshold || !isPair(b)); }
  function band(b) {
    if (b.r === 1) return "confirmed";
    if (b.r === 2) return "wrong";
    if (!isPair(b)) return "unaligned";
    return b.c >= HIGH ? "high" : b.c >= MID ? "mid" : "low";
  }

  function say(text, error) {
    statusEl.textContent = text;
    statusEl.className = error ? "error" : "";
  }

  // ---- data

  function load() {
    var text = dataEl.textContent;
    if (dataEl.getAttribute("data-encoding") !== "gzip-base64") return Promise.resolve(JSON.parse(text));
    var bin = atob(text);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  function decode(flat) {
    var out = [], se = 0, te = 0;
    for (var i = 0; i + 4 < flat.length; i += 5) {
      var s0 = se + flat[i], t0 = te + flat[i + 2];
      var b = mk(s0, s0 + flat[i + 1], t0, t0 + flat[i + 3], flat[i + 4] / 1e6, 0, 0);
      se = b.s1; te = b.t1;
      out.push(b);
    }
    return out;
  }

  function flags(n, starts) {
    var f = new Uint8Array(n);
    for (var i = 0; i < starts.length; i++) if (starts[i] < n) f[starts[i]] = 1;
    return f;
  }

  // ---- edits: every change replaces `n` beads at `at`, so that undo and the stored
  // log are one shape

  function apply(op) {
    if (!(op.at >= 0 && op.n >= 0 && op.at + op.n <= beads.length)) throw new Error("edit out of range");
    return beads.splice.apply(beads, [op.at, op.n].concat(op.b.map(unpack)));
  }

  function edit(at, n, fresh, what) {
    var op = { at: at, n: n, b: fresh.filter(nonEmpty).map(pack) };
    op.old = apply(op);
    log.push(op);
    cur = clamp(cur);
    changed();
    say(what);
  }

  function undo() {
    var op = log.pop();
    if (!op) return say("nothing to undo");
    beads.splice.apply(beads, [op.at, op.b.length].concat(op.old));
    cur = clamp(op.at);
    sel = null;
    changed();
    say("undone");
  }

  function save() {
    try {
      localStorage.setItem(storeKey, JSON.stringify({
        cur: cur,
        threshold: threshold,
        log: log.map(function (op) { return { at: op.at, n: op.n, b: op.b }; })
      }));
    } catch (e) { say("the browser refused to store the edits: export before closing", true); }
  }

  function restore() {
    var stored;
    try { stored = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { stored = null; }
    if (!stored || !Array.isArray(stored.log)) return;
    try {
      stored.log.forEach(function (op) {
        var o = { at: op.at, n: op.n, b: op.b };
        o.old = apply(o);
        log.push(o);
      });
      cur = clamp(stored.cur | 0);
      if (stored.threshold >= 0 && stored.threshold <= 1) {
        threshold = stored.threshold;
        $("threshold").value = String(threshold);
      }
      if (log.length) say("restored " + log.length + " edits from this browser");
    } catch (e) {
      beads = decode(D.beads);
      log = [];
      say("the stored edits do not fit this page and were set aside", true);
    }
  }

  // ---- operations on the current bead

  // The union of two ranges of one side when it is a range, else null.
  function join(a0, a1, b0, b1) {
    if (a0 === a1) return b0 === b1 ? [a0, a0] : [b0, b1];
    if (b0 === b1) return [a0, a1];
    return a1 === b0 ? [a0, b1] : null;
  }

  function merge() {
    if (cur + 1 >= beads.length) return say("the last bead has no next bead", true);
    var a = beads[cur], b = beads[cur + 1];
    var s = join(a.s0, a.s1, b.s0, b.s1), t = join(a.t0, a.t1, b.t0, b.t1);
    if (!s || !t) return say("these beads are not neighbours in both documents", true);
    edit(cur, 2, [mk(s[0], s[1], t[0], t[1], Math.min(a.c, b.c), 0, 1)],
      "merged beads " + cur + " and " + (cur + 1));
  }

  function split() {
    var b = beads[cur];
    var ns = b.s1 - b.s0, nt = b.t1 - b.t0;
    if (ns + nt < 2) return say("one sentence: nothing to split", true);
    var cs = b.s0 + Math.ceil(ns / 2), ct = b.t0 + Math.ceil(nt / 2);
    if (sel && inBead(sel, b)) {
      // The selected sentence starts the second part; the first sentence of a side
      // splits off alone. The other side is cut in proportion.
      if (sel.side === "s") {
        cs = sel.i === b.s0 ? sel.i + 1 : sel.i;
        ct = b.t0 + Math.round(nt * (cs - b.s0) / ns);
      } else {
        ct = sel.i === b.t0 ? sel.i + 1 : sel.i;
        cs = b.s0 + Math.round(ns * (ct - b.t0) / nt);
      }
    }
    if (cs === b.s1 && ct === b.t1) { if (sel && sel.side === "t") cs = b.s0; else ct = b.t0; }
    if (cs === b.s0 && ct === b.t0) { if (sel && sel.side === "t") cs = b.s1; else ct = b.t1; }
    edit(cur, 1, [mk(b.s0, cs, b.t0, ct, b.c, 0, 1), mk(cs, b.s1, ct, b.t1, b.c, 0, 1)],
      "split bead " + cur);
  }

  function inBead(s, b) {
    return s.side === "s" ? s.i >= b.s0 && s.i < b.s1 : s.i >= b.t0 && s.i < b.t1;
  }

  // The sentence an operation moves: the selected one, else the source (or target)
  // sentence at the given end of the current bead.
  function target(last) {
    var b = beads[cur];
    if (sel && inBead(sel, b)) return sel;
    if (b.s1 > b.s0) return { side: "s", i: last ? b.s1 - 1 : b.s0 };
    return { side: "t", i: last ? b.t1 - 1 : b.t0 };
  }

  // Copies of the two beads with side `x` ("s" or "t") set.
  function withSide(b, x, lo, hi) {
    var c = mk(b.s0, b.s1, b.t0, b.t1, b.c, 0, 1);
    c[x + "0"] = lo; c[x + "1"] = hi;
    return c;
  }

  function move(toNext) {
    var b = beads[cur], o = beads[cur + (toNext ? 1 : -1)];
    if (!o) return say(toNext ? "the last bead has no next bead" : "the first bead has no previous bead", true);
    var t = target(toNext), x = t.side, lo = b[x + "0"], hi = b[x + "1"];
    var name = (x === "s" ? "source" : "target") + " sentence " + t.i;
    if (toNext ? t.i !== hi - 1 : t.i !== lo) {
      return say("only the " + (toNext ? "last" : "first") + " sentence of a side moves to the " +
        (toNext ? "next" : "previous") + " bead", true);
    }
    var olo = o[x + "0"], ohi = o[x + "1"], empty = olo === ohi;
    if (!empty && (toNext ? olo !== t.i + 1 : ohi !== t.i)) return say("the neighbouring bead is not next to " + name, true);
    var moved = toNext ? withSide(o, x, t.i, empty ? t.i + 1 : ohi) : withSide(o, x, empty ? t.i : olo, t.i + 1);
    var rest = toNext ? withSide(b, x, lo, t.i) : withSide(b, x, t.i + 1, hi);
    sel = null;
    if (toNext) edit(cur, 2, [rest, moved], "moved " + name + " to the next bead");
    else edit(cur - 1, 2, [moved, rest], "moved " + name + " to the previous bead");
  }

  function unalign() {
    var b = beads[cur], out = [], i;
    if (sel && inBead(sel, b)) {
      var x = sel.side, lo = b[x + "0"], hi = b[x + "1"], y = x === "s" ? "t" : "s";
      if (!isPair(b) && hi - lo === 1) return say("this sentence is unaligned already", true);
      var alone = withSide(withSide(b, x, sel.i, sel.i + 1), y, 0, 0);
      if (sel.i === lo) {
        alone[y + "0"] = alone[y + "1"] = b[y + "0"];
        out = [alone, withSide(b, x, lo + 1, hi)];
      } else if (sel.i === hi - 1) {
        alone[y + "0"] = alone[y + "1"] = b[y + "1"];
        out = [withSide(b, x, lo, hi - 1), alone];
      } else {
        return say("only the first or last sentence of a side can be unaligned: split first", true);
      }
      var name = (x === "s" ? "source" : "target") + " sentence " + sel.i;
      sel = null;
      return edit(cur, 1, out, "unaligned " + name);
    }
    if (!isPair(b)) return say("this bead is unaligned already", true);
    for (i = b.s0; i < b.s1; i++) out.push(mk(i, i + 1, b.t0, b.t0, b.c, 0, 1));
    for (i = b.t0; i < b.t1; i++) out.push(mk(b.s1, b.s1, i, i + 1, b.c, 0, 1));
    edit(cur, 1, out, "unaligned bead " + cur);
  }

  function mark(r) {
    var b = beads[cur], c = mk(b.s0, b.s1, b.t0, b.t1, b.c, b.r === r ? 0 : r, b.e);
    edit(cur, 1, [c], (c.r === 0 ? "unmarked bead " : r === 1 ? "confirmed bead " : "marked wrong: bead ") + cur);
  }

  // ---- navigation

  function go(k) {
    if (!beads.length) return;
    cur = clamp(k);
    if (sel && !inBead(sel, beads[cur])) sel = null;
    if (cur < first || cur > lastFull) list.scrollTop = Math.max(0, cur - 1) * ROW;
    render();
    drawMarker();
    save();
  }

  function seekLow(step) {
    for (var k = cur + step; k >= 0 && k < beads.length; k += step) {
      if (isLow(beads[k])) return go(k);
    }
    say("no bead to review (unaligned or under " + threshold + ")" + (step > 0 ? " after" : " before") + " this one");
  }

  // ---- rows in view

  function layout() {
    spacer.style.height = (Math.max(0, beads.length - 1) * ROW + list.clientHeight) + "px";
    rowsEl.style.height = list.clientHeight + "px";
  }

  var CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
  function shown(text) {
    return text.replace(CONTROL, function (c) {
      return String.fromCharCode(c === "\u007f" ? 0x2421 : 0x2400 + c.charCodeAt(0));
    });
  }

  function add(parent, tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    parent.appendChild(e);
    return e;
  }

  function side(row, x, lo, hi, sentences, para, doc) {
    var cell = add(row, "div", x === "s" ? "src" : "tgt");
    cell.lang = doc.lang;
    if (lo === hi) add(cell, "span", "none", "— unaligned —");
    for (var i = lo; i < hi; i++) {
      var p = add(cell, "p", sel && sel.side === x && sel.i === i ? "s sel" : "s");
      p.setAttribute("data-side", x);
      p.setAttribute("data-i", i);
      add(p, "span", "sid", String(i));
      if (para[i]) { var q = add(p, "span", "para", "¶"); q.title = "new paragraph"; }
      p.appendChild(document.createTextNode(shown(sentences[i])));
    }
  }

  function row(k) {
    var b = beads[k], d = document.createElement("div");
    d.className = "row " + band(b) + (k === cur ? " cur" : "");
    d.id = "b" + k;
    d.setAttribute("data-k", k);
    var n = add(d, "div", "n", String(k));
    if (b.e) add(n, "span", "edited", "edited");
    side(d, "s", b.s0, b.s1, S, srcPara, D.src);
    side(d, "t", b.t0, b.t1, T, tgtPara, D.tgt);
    var conf = add(d, "div", "conf");
    add(conf, "span", "bar").style.width = Math.round(confidence(b) * 100) + "%";
    add(conf, "span", "value", confidence(b).toFixed(3));
    if (b.r) add(conf, "span", "mark", b.r === 1 ? "✓ confirmed" : "✗ wrong");
    return d;
  }

  function render() {
    rowsEl.textContent = "";
    if (!beads.length) { add(rowsEl, "p", "none", "No beads: both documents are empty."); return; }
    first = clamp(Math.floor(list.scrollTop / ROW));
    var h = list.clientHeight, k = first, bottom = 0;
    lastFull = first;
    // Add rows in small batches until the view is full: one layout per batch.
    while (k < beads.length && bottom < h) {
      var batch = [];
      for (var end = Math.min(beads.length, k + 8); k < end; k++) batch.push(rowsEl.appendChild(row(k)));
      for (var i = 0; i < batch.length; i++) {
        bottom = batch[i].offsetTop + batch[i].offsetHeight;
        if (bottom <= h) lastFull = +batch[i].getAttribute("data-k");
      }
    }
  }

  var pending = false;
  list.addEventListener("scroll", function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; render(); drawMarker(); });
  });

  // ---- overview plot: source index (x) against target index (y), and under it a strip
  // of the beads in document order coloured by their worst band

  var ctx = canvas.getContext("2d"), still = document.createElement("canvas"), geo = null;
  var COLOURS = { high: "#43a047", mid: "#fb8c00", low: "#e53935", unaligned: "#6d0000", confirmed: "#1565c0", wrong: "#8e24aa" };
  var SEVERITY = { confirmed: 0, high: 1, mid: 2, low: 3, unaligned: 3, wrong: 4 };

  // Round tick values for an axis of n sentences: 0, multiples of 1, 2 or 5 x 10^k, n.
  function ticks(n) {
    var step = 1;
    while (n / step > 5) {
      var d = String(step)[0];
      step *= d === "2" ? 2.5 : 2;
    }
    var out = [];
    for (var v = 0; v < n; v += step) out.push(v);
    if (out.length > 1 && (n - out[out.length - 1]) < step / 2) out.pop();
    out.push(n);
    return out;
  }
  function label(v) {
    return v >= 10000 ? (Math.round(v / 100) / 10) + "k" : String(v);
  }

  function severity(b) { var s = SEVERITY[band(b)]; return s < 3 && isLow(b) ? 3 : s; }

  function drawStill() {
    var ratio = window.devicePixelRatio || 1, W = 360, H = 400;
    canvas.width = still.width = Math.round(W * ratio);
    canvas.height = still.height = Math.round(H * ratio);
    var g = still.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.font = "11px system-ui, sans-serif";
    var nS = S.length, nT = T.length, yt = ticks(nT), xt = ticks(nS);
    // The left margin fits the widest target label and the rotated axis title, so no
    // label is cut whatever the size.
    var wide = 0;
    yt.forEach(function (v) { wide = Math.max(wide, g.measureText(label(v)).width); });
    var x0 = Math.ceil(wide) + 22, y0 = 8;
    var P = Math.min(W - x0 - 10, H - y0 - 76);
    var sx = P / Math.max(1, nS), sy = P / Math.max(1, nT);
    geo = { x0: x0, y0: y0, P: P, sx: sx, sy: sy, stripY: y0 + P + 40, stripH: 14 };
    // Where the strip is, in CSS pixels, for a test that clicks it.
    canvas.setAttribute("data-strip", [x0, geo.stripY, P, geo.stripH].join(","));
    g.fillStyle = "#fff"; g.fillRect(0, 0, W, H);
    g.fillStyle = "#fafafa"; g.fillRect(x0, y0, P, P);
    g.strokeStyle = "#bdbdbd"; g.strokeRect(x0 + 0.5, y0 + 0.5, P, P);
    g.fillStyle = "#424242";
    g.textAlign = "right"; g.textBaseline = "middle";
    yt.forEach(function (v) { g.fillText(label(v), x0 - 4, y0 + v * sy); });
    g.textAlign = "center"; g.textBaseline = "top";
    var lastRight = -1;
    xt.forEach(function (v, i) {
      var x = x0 + v * sx, w = g.measureText(label(v)).width;
      // Leave out a tick label that would run into the previous one (never the end).
      if (x - w / 2 < lastRight + 4 && i < xt.length - 1) return;
      g.fillText(label(v), Math.min(x, x0 + P - w / 2 + 8), y0 + P + 3);
      lastRight = x + w / 2;
    });
    g.fillStyle = "#212121"; g.font = "12px system-ui, sans-serif";
    g.fillText("source sentence (" + D.src.lang + ")", x0 + P / 2, y0 + P + 18);
    g.save(); g.translate(9, y0 + P / 2); g.rotate(-Math.PI / 2);
    g.textBaseline = "middle"; g.fillText("target sentence (" + D.tgt.lang + ")", 0, 0); g.restore();
    // Evidence under the beads.
    var sim = D.similarity, dot = Math.max(1.5, Math.min(4, Math.min(sx, sy)));
    for (var i = 0; i + 2 < sim.length; i += 3) {
      g.fillStyle = "rgba(21,101,192," + (0.05 + 0.35 * sim[i + 2] / 100) + ")";
      g.fillRect(x0 + sim[i] * sx, y0 + sim[i + 1] * sy, dot, dot);
    }
    // Beads by severity, the worst last so that a short unsure stretch stays visible.
    for (var level = 0; level <= 4; level++) {
      var big = level >= 3 ? 3 : 1.5;
      for (var k = 0; k < beads.length; k++) {
        var b = beads[k];
        if (severity(b) !== level) continue;
        g.fillStyle = COLOURS[level === 3 && isPair(b) && b.r === 0 ? "low" : band(b)];
        var x = x0 + b.s0 * sx, y = y0 + b.t0 * sy;
        g.fillRect(x - (big - 1.5) / 2, y - (big - 1.5) / 2, Math.max(big, (b.s1 - b.s0) * sx), Math.max(big, (b.t1 - b.t0) * sy));
      }
    }
    // The strip: one column per bead, or per run of beads when there are more beads
    // than pixels, drawn worst last.
    var n = Math.max(1, beads.length), bw = Math.max(1, P / n);
    g.fillStyle = "#eeeeee"; g.fillRect(x0, geo.stripY, P, geo.stripH);
    for (level = 0; level <= 4; level++) {
      g.fillStyle = ["#1565c0", "#a5d6a7", "#fb8c00", "#e53935", "#8e24aa"][level];
      for (k = 0; k < beads.length; k++) {
        if (severity(beads[k]) === level) g.fillRect(x0 + k * P / n, geo.stripY, bw, geo.stripH);
      }
    }
    g.fillStyle = "#424242"; g.font = "11px system-ui, sans-serif";
    g.textAlign = "left"; g.fillText("bead 0", x0, geo.stripY + geo.stripH + 3);
    g.textAlign = "right"; g.fillText("bead " + label(Math.max(0, beads.length - 1)), x0 + P, geo.stripY + geo.stripH + 3);
    g.textAlign = "center"; g.fillText("unsure stretches in red", x0 + P / 2, geo.stripY + geo.stripH + 3);
  }

  function drawMarker() {
    if (!geo) return;
    var ratio = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(still, 0, 0);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    var b = beads[cur];
    if (!b) return;
    var x = geo.x0 + (b.s0 + b.s1) / 2 * geo.sx, y = geo.y0 + (b.t0 + b.t1) / 2 * geo.sy;
    ctx.strokeStyle = "rgba(13,71,161,.6)"; ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, geo.y0); ctx.lineTo(x, geo.y0 + geo.P);
    ctx.moveTo(geo.x0, y); ctx.lineTo(geo.x0 + geo.P, y);
    ctx.stroke();
    ctx.lineWidth = 2; ctx.strokeStyle = "#0d47a1";
    ctx.beginPath(); ctx.arc(x, y, 6, 0, 2 * Math.PI); ctx.stroke();
    // The rows in view, and the current bead, on the strip.
    var n = Math.max(1, beads.length), P = geo.P;
    ctx.strokeStyle = "#0d47a1"; ctx.lineWidth = 1;
    ctx.strokeRect(geo.x0 + first * P / n, geo.stripY - 3, Math.max(2, (lastFull - first + 1) * P / n), geo.stripH + 6);
    ctx.fillStyle = "#0d47a1";
    ctx.fillRect(geo.x0 + cur * P / n - 1, geo.stripY - 6, 2, geo.stripH + 12);
  }

  canvas.addEventListener("click", function (e) {
    if (!geo || !beads.length) return;
    var r = canvas.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
    var k, best = -1;
    if (y >= geo.stripY - 6 && y <= geo.stripY + geo.stripH + 6) {
      // The worst bead of the strip's column under the click.
      var n = beads.length, lo = Math.floor((x - geo.x0) / geo.P * n), hi = Math.floor((x + 1 - geo.x0) / geo.P * n);
      lo = clamp(lo); hi = Math.max(lo + 1, Math.min(n, hi));
      var worst = -1;
      for (k = lo; k < hi; k++) { var s = severity(beads[k]); if (s > worst) { worst = s; best = k; } }
    } else {
      // The bead nearest the click in the plot.
      var d = Infinity;
      for (k = 0; k < beads.length; k++) {
        var b = beads[k];
        var dx = geo.x0 + (b.s0 + b.s1) / 2 * geo.sx - x, dy = geo.y0 + (b.t0 + b.t1) / 2 * geo.sy - y;
        if (dx * dx + dy * dy < d) { d = dx * dx + dy * dy; best = k; }
      }
    }
    if (best >= 0) { go(best); say("bead " + best); }
  });

  // ---- export, in the CLI's shapes (src/write/tmx.rs, tsv.rs, beads.rs)

  function joined(sentences, lo, hi) {
    var out = "";
    for (var i = lo; i < hi; i++) {
      if (out.length) out += " ";
      out += sentences[i].replace(/[\t\n\r]/g, " ");
    }
    return out;
  }
  var NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
  var XML = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;" };
  function xml(text) { return text.replace(NOT_XML, "").replace(/[&<>"']/g, function (c) { return XML[c]; }); }
  var SEPARATORS = /[\t\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]/g;
  function oneLine(text) { return text.replace(SEPARATORS, " "); }
  function ids(lo, hi) { var out = []; for (var i = lo; i < hi; i++) out.push(i); return out.join(","); }
  // Beads that belong in a translation memory: pairs not marked wrong.
  function kept(b) { return isPair(b) && b.r !== 2; }

  function tmx() {
    var sl = xml(D.src.xmlLang), tl = xml(D.tgt.xmlLang);
    var out = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<tmx version=\"1.4\">",
      "  <header creationtool=\"bitext\" creationtoolversion=\"" + xml(D.version) + "\" segtype=\"sentence\" o-tmf=\"bitext\" adminlang=\"en\" srclang=\"" + sl + "\" datatype=\"plaintext\"/>",
      "  <body>"];
    beads.forEach(function (b) {
      if (!kept(b)) return;
      out.push("    <tu>",
        "      <prop type=\"x-confidence\">" + confidence(b).toFixed(3) + "</prop>",
        "      <prop type=\"x-src-sentences\">" + ids(b.s0, b.s1) + "</prop>",
        "      <prop type=\"x-tgt-sentences\">" + ids(b.t0, b.t1) + "</prop>");
      if (b.r === 1) out.push("      <prop type=\"x-reviewed\">confirmed</prop>");
      out.push("      <tuv xml:lang=\"" + sl + "\"><seg>" + xml(joined(S, b.s0, b.s1)) + "</seg></tuv>",
        "      <tuv xml:lang=\"" + tl + "\"><seg>" + xml(joined(T, b.t0, b.t1)) + "</seg></tuv>",
        "    </tu>");
    });
    out.push("  </body>", "</tmx>", "");
    return out.join("\n");
  }

  function tsv() {
    var out = [];
    beads.forEach(function (b) {
      if (kept(b)) out.push(oneLine(joined(S, b.s0, b.s1)) + "\t" + oneLine(joined(T, b.t0, b.t1)) + "\t" + confidence(b).toFixed(3));
    });
    return out.join("\n") + (out.length ? "\n" : "");
  }

  function beadLines() {
    return beads.map(function (b) {
      return "[" + ids(b.s0, b.s1) + "]:[" + ids(b.t0, b.t1) + "]:" + confidence(b).toFixed(4) + "\n";
    }).join("");
  }

  function download(ext, text, type) {
    var safe = function (s) { return String(s).replace(/[^A-Za-z0-9_-]/g, "") || "und"; };
    var name = "review." + safe(D.src.lang) + "-" + safe(D.tgt.lang) + "." + ext;
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    say("exported " + name);
  }

  // ---- wiring

  function progress() {
    var confirmed = 0, wrong = 0, low = 0;
    beads.forEach(function (b) { if (b.r === 1) confirmed++; else if (b.r === 2) wrong++; else if (isLow(b)) low++; });
    progressEl.textContent = beads.length + " beads · " + confirmed + " confirmed · " + wrong +
      " wrong · " + low + " to review · " + log.length + " edits";
  }

  function changed() {
    layout();
    save();
    drawStill();
    go(cur);
    progress();
  }

  var ACTIONS = {
    next: function () { go(cur + 1); }, prev: function () { go(cur - 1); },
    nextLow: function () { seekLow(1); }, prevLow: function () { seekLow(-1); },
    first: function () { go(0); }, last: function () { go(beads.length - 1); },
    pageDown: function () { go(lastFull + 1); }, pageUp: function () { go(cur - Math.max(1, lastFull - first)); },
    merge: merge, split: split, unalign: unalign, undo: undo,
    movePrev: function () { move(false); }, moveNext: function () { move(true); },
    confirm: function () { mark(1); }, wrong: function () { mark(2); },
    deselect: function () { sel = null; render(); },
    exportTmx: function () { download("tmx", tmx(), "application/x-tmx+xml"); },
    exportTsv: function () { download("tsv", tsv(), "text/tab-separated-values"); },
    exportBeads: function () { download("beads", beadLines(), "text/plain"); }
  };
  var EDITS = { merge: 1, split: 1, unalign: 1, undo: 1, movePrev: 1, moveNext: 1, confirm: 1, wrong: 1 };
  var KEYS = {
    ArrowDown: "next", j: "next", ArrowUp: "prev", k: "prev", n: "nextLow", p: "prevLow",
    Home: "first", End: "last", PageDown: "pageDown", PageUp: "pageUp",
    m: "merge", s: "split", "[": "movePrev", "]": "moveNext", u: "unalign", c: "confirm",
    w: "wrong", z: "undo", Escape: "deselect"
  };

  function act(name) {
    if (!beads.length && name !== "exportTmx" && name !== "exportTsv" && name !== "exportBeads") return;
    if (!EDITS[name]) say("");
    ACTIONS[name]();
  }

  function start(data) {
    D = data; S = D.src.sentences; T = D.tgt.sentences;
    srcPara = flags(S.length, D.src.paragraphs);
    tgtPara = flags(T.length, D.tgt.paragraphs);
    beads = decode(D.beads);
    restore();
    var m = /^#under=([0-9]*\.?[0-9]+)$/.exec(location.hash);
    if (m) { threshold = parseFloat(m[1]); $("threshold").value = m[1]; }
    m = /^#b([0-9]+)$/.exec(location.hash);
    if (m) cur = clamp(+m[1]);
    layout();
    drawStill();
    list.scrollTop = Math.max(0, cur - 1) * ROW;
    go(cur);
    progress();
    document.addEventListener("keydown", function (e) {
      var tag = e.target && e.target.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || e.altKey || e.metaKey) return;
      var name = e.ctrlKey ? (e.key === "z" ? "undo" : null) : KEYS[e.key];
      if (!name) return;
      e.preventDefault();
      act(name);
    });
    $("toolbar").addEventListener("click", function (e) {
      var button = e.target.closest("button[data-act]");
      if (!button) return;
      act(button.getAttribute("data-act"));
      list.focus({ preventScroll: true });
    });
    $("threshold").addEventListener("change", function () {
      var x = parseFloat(this.value);
      if (!(x >= 0 && x <= 1)) return say("the threshold is a confidence between 0 and 1", true);
      threshold = x;
      drawStill(); drawMarker(); progress(); save();
    });
    rowsEl.addEventListener("click", function (e) {
      var p = e.target.closest("p.s"), r = e.target.closest(".row");
      if (!r) return;
      if (p) {
        var s = { side: p.getAttribute("data-side"), i: +p.getAttribute("data-i") };
        sel = sel && sel.side === s.side && sel.i === s.i ? null : s;
      }
      go(+r.getAttribute("data-k"));
    });
    window.addEventListener("resize", function () { layout(); render(); drawMarker(); });
    list.focus({ preventScroll: true });
    document.documentElement.setAttribute("data-ready", Math.round(performance.now()));
  }

  load().then(start, function (e) { say("the page's data could not be read: " + e, true); });
})();
