//! A self-contained HTML page to review one alignment.
//!
//! One file, no network: the style and the small filter script are inline, and a
//! Content-Security-Policy meta tag forbids the page to load anything, so it opens
//! the same way offline, from a mail attachment or from a CI artefact.
//!
//! - A summary line: bead, pair and unaligned counts, mean confidence.
//! - An inline SVG plot of source index (x, left to right) against target index
//!   (y, top to bottom): the similarity evidence as blue dots whose opacity is the
//!   strength, each bead as a box coloured by confidence, the path through the
//!   beads as a line and unaligned sentences as red strokes. Where the two documents
//!   diverge the path leaves the dots or turns red. A box links to its row.
//! - A filter, "show only beads under confidence X"; the URL fragment `#under=0.5`
//!   sets it, so a filtered view can be shared.
//! - A table with a row per bead, unaligned ones in their place:
//!   `<tr class="bead pair high" id="b3" data-confidence="0.9700" data-src="3" data-tgt="3,4">`
//!   with the bead number, the source sentences, the target sentences (each with its
//!   0-based index, and ¶ where a paragraph starts) and the confidence. The row class
//!   says the band: `high` (≥ 0.8), `mid` (≥ 0.5), `low`, or `unaligned`.
//!   `data-confidence` has the four decimals of the bead format.
//!
//! All document text is HTML-escaped, so a sentence containing `<script>` shows as
//! text; C0 control characters show as their Unicode control pictures (U+2400…).
//! The output is deterministic: no date, no random ids.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::align::{Alignment, Bead, Mode};
use crate::doc::Document;

/// Confidence at or above which a bead is in the `high` band.
const HIGH: f64 = 0.8;
/// Confidence at or above which a bead is in the `mid` band.
const MID: f64 = 0.5;
/// Side of the square plot area, in SVG user units.
const PLOT: f64 = 440.0;
/// Room around the plot area for the axes and their labels.
const MARGIN: f64 = 44.0;

/// Writes the HTML report. `similarity` holds `(source index, target index, strength in [0, 1])`
/// points of evidence to draw under the alignment path.
pub fn write<W: Write>(
    out: &mut W,
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    similarity: &[(usize, usize, f32)],
) -> io::Result<()> {
    // The page is built in memory: a report is a few megabytes at most, and
    // `fmt::Write` into a String cannot fail, which keeps the builders simple.
    let mut page = String::with_capacity(64 * 1024 + 400 * alignment.beads.len());
    head(&mut page, src, tgt, alignment);
    plot(&mut page, src, tgt, alignment, similarity);
    filter(&mut page, alignment);
    table(&mut page, src, tgt, alignment);
    page.push_str("<script>\n");
    page.push_str(SCRIPT);
    page.push_str("</script>\n</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

/// The band class of a bead.
fn band(bead: &Bead) -> &'static str {
    if !bead.is_pair() {
        "unaligned"
    } else if bead.confidence >= HIGH {
        "high"
    } else if bead.confidence >= MID {
        "mid"
    } else {
        "low"
    }
}

/// The stroke colour of a band in the plot.
fn band_colour(band: &str) -> &'static str {
    match band {
        "high" => "#2e7d32",
        "mid" => "#ef8f00",
        "low" => "#c62828",
        _ => "#d50000",
    }
}

fn head(page: &mut String, src: &Document, tgt: &Document, alignment: &Alignment) {
    let (sl, tl) = (escape(&src.lang), escape(&tgt.lang));
    let beads = alignment.beads.len();
    let pairs = alignment.beads.iter().filter(|b| b.is_pair()).count();
    let unaligned_src: usize = alignment
        .beads
        .iter()
        .filter(|b| b.tgt.is_empty())
        .map(|b| b.src.len())
        .sum();
    let unaligned_tgt: usize = alignment
        .beads
        .iter()
        .filter(|b| b.src.is_empty())
        .map(|b| b.tgt.len())
        .sum();
    let mean = if pairs == 0 {
        0.0
    } else {
        alignment
            .beads
            .iter()
            .filter(|b| b.is_pair())
            .map(|b| b.confidence)
            .sum::<f64>()
            / pairs as f64
    };
    let count = |name: &str| alignment.beads.iter().filter(|b| band(b) == name).count();
    let mode = match alignment.mode {
        Mode::Parallel => "parallel",
        Mode::Comparable => "comparable",
    };
    let _ = write!(
        page,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="bitext {version}">
<title>bitext alignment report: {sl} → {tl}</title>
<style>
{STYLE}</style>
</head>
<body>
<header>
<h1>Alignment report <span class="langs">{sl} → {tl}</span></h1>
<p class="summary" id="summary">{beads} beads: {pairs} pairs ({high} high, {mid} mid, {low} low confidence), {unaligned} unaligned ({unaligned_src} source and {unaligned_tgt} target sentences left alone). {ns} source and {nt} target sentences; mean pair confidence {mean:.3}; {mode} mode.</p>
"#,
        version = env!("CARGO_PKG_VERSION"),
        high = count("high"),
        mid = count("mid"),
        low = count("low"),
        unaligned = count("unaligned"),
        ns = src.len(),
        nt = tgt.len(),
    );
    if alignment.looks_comparable {
        page.push_str(
            "<p class=\"warning\">These documents do not look like translations of each other: \
             consider <code>--mode comparable</code>.</p>\n",
        );
    }
    page.push_str("</header>\n");
}

fn plot(
    page: &mut String,
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    similarity: &[(usize, usize, f32)],
) {
    let (n, m) = (src.len().max(1) as f64, tgt.len().max(1) as f64);
    let (sx, sy) = (PLOT / n, PLOT / m);
    let x = |i: usize| MARGIN + i as f64 * sx;
    let y = |j: usize| MARGIN + j as f64 * sy;
    let size = PLOT + 2.0 * MARGIN;
    let _ = writeln!(
        page,
        r##"<section class="plot">
<svg id="plot" viewBox="0 0 {size} {size}" width="{size}" height="{size}" role="img" aria-label="alignment path: source sentence index against target sentence index">
<rect class="area" x="{MARGIN}" y="{MARGIN}" width="{PLOT}" height="{PLOT}"/>"##
    );
    // Axes: ticks at 0, the end, and a round step in between.
    let _ = writeln!(page, r#"<g class="axis">"#);
    for i in ticks(src.len()) {
        let _ = writeln!(
            page,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{i}</text>"#,
            x(i),
            MARGIN - 6.0
        );
    }
    for j in ticks(tgt.len()) {
        let _ = writeln!(
            page,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" dominant-baseline="middle">{j}</text>"#,
            MARGIN - 6.0,
            y(j)
        );
    }
    let _ = writeln!(
        page,
        r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="middle">source sentence ({})</text>"#,
        MARGIN + PLOT / 2.0,
        MARGIN + PLOT + 18.0,
        escape(&src.lang)
    );
    let _ = writeln!(
        page,
        r#"<text class="label" transform="translate({:.1} {:.1}) rotate(90)" text-anchor="middle">target sentence ({})</text>"#,
        MARGIN + PLOT + 14.0,
        MARGIN + PLOT / 2.0,
        escape(&tgt.lang)
    );
    let _ = writeln!(page, "</g>");

    // Similarity evidence under everything else.
    let r = (sx.min(sy) * 0.45).clamp(0.8, 4.0);
    let _ = writeln!(page, r#"<g class="similarity">"#);
    for &(i, j, strength) in similarity {
        if i >= src.len() || j >= tgt.len() || !strength.is_finite() {
            continue;
        }
        let _ = writeln!(
            page,
            r#"<circle cx="{:.1}" cy="{:.1}" r="{r:.1}" opacity="{:.2}"/>"#,
            x(i) + sx / 2.0,
            y(j) + sy / 2.0,
            0.1 + 0.9 * f64::from(strength.clamp(0.0, 1.0))
        );
    }
    let _ = writeln!(page, "</g>");

    // The path through the beads, when it is one (a monotone alignment).
    let monotone = alignment.mode == Mode::Parallel
        && alignment
            .beads
            .first()
            .is_some_and(|b| b.src.start == 0 && b.tgt.start == 0)
        && alignment
            .beads
            .windows(2)
            .all(|w| w[1].src.start == w[0].src.end && w[1].tgt.start == w[0].tgt.end);
    if monotone {
        let mut points = format!("{:.1},{:.1}", x(0), y(0));
        for bead in &alignment.beads {
            let _ = write!(points, " {:.1},{:.1}", x(bead.src.end), y(bead.tgt.end));
        }
        let _ = writeln!(page, r#"<polyline class="path" points="{points}"/>"#);
    }

    let _ = writeln!(page, r#"<g class="beads">"#);
    for (k, bead) in alignment.beads.iter().enumerate() {
        let b = band(bead);
        let title = format!(
            "bead {k}: source {} target {} confidence {:.3}",
            super::beads::format_side(bead.src.clone()),
            super::beads::format_side(bead.tgt.clone()),
            bead.confidence
        );
        let shape = if bead.is_pair() {
            format!(
                r#"<rect class="{b}" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" stroke="{}">"#,
                x(bead.src.start),
                y(bead.tgt.start),
                (bead.src.len() as f64 * sx).max(1.0),
                (bead.tgt.len() as f64 * sy).max(1.0),
                band_colour(b)
            )
        } else {
            // An unaligned run is a stroke along its own axis at the other side's position.
            let (x1, y1, x2, y2) = if bead.tgt.is_empty() {
                let yy = y(bead.tgt.start);
                (x(bead.src.start), yy, x(bead.src.end), yy)
            } else {
                let xx = x(bead.src.start);
                (xx, y(bead.tgt.start), xx, y(bead.tgt.end))
            };
            format!(
                r#"<line class="unaligned" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}">"#
            )
        };
        let close = if bead.is_pair() { "</rect>" } else { "</line>" };
        let _ = writeln!(
            page,
            r##"<a href="#b{k}">{shape}<title>{title}</title>{close}</a>"##
        );
    }
    let _ = writeln!(page, "</g>\n</svg>");
    let _ = writeln!(
        page,
        r#"<ul class="legend">
<li><span class="key dot"></span> similarity evidence{}</li>
<li><span class="key high"></span> pair, confidence ≥ {HIGH}</li>
<li><span class="key mid"></span> pair, confidence ≥ {MID}</li>
<li><span class="key low"></span> pair, confidence &lt; {MID}</li>
<li><span class="key unaligned"></span> unaligned sentences</li>
<li>Click a box to see its row.</li>
</ul>
</section>"#,
        if similarity.is_empty() {
            " (none given)"
        } else {
            ""
        }
    );
}

/// Tick positions for an axis of `len` sentences: 0, multiples of a round step, `len`.
fn ticks(len: usize) -> Vec<usize> {
    let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000]
        .into_iter()
        .find(|s| len / s <= 8)
        .unwrap_or(len.max(1));
    let mut out: Vec<usize> = (0..len).step_by(step).collect();
    // Keep the end label clear of the last round tick.
    if out.last().is_some_and(|&l| len - l < step) && out.len() > 1 {
        out.pop();
    }
    out.push(len);
    out
}

fn filter(page: &mut String, alignment: &Alignment) {
    let total = alignment.beads.len();
    let _ = writeln!(
        page,
        r#"<div class="filter" id="filter">
<label><input type="checkbox" id="under-on"> show only beads under confidence</label>
<input type="number" id="under" min="0" max="1" step="0.05" value="0.5" aria-label="confidence threshold">
<output id="shown">showing {total} of {total} beads</output>
</div>"#
    );
}

fn table(page: &mut String, src: &Document, tgt: &Document, alignment: &Alignment) {
    let _ = writeln!(
        page,
        r#"<table id="beads">
<thead><tr><th>#</th><th>source ({})</th><th>target ({})</th><th>confidence</th></tr></thead>
<tbody>"#,
        escape(&src.lang),
        escape(&tgt.lang)
    );
    for (k, bead) in alignment.beads.iter().enumerate() {
        let b = band(bead);
        let kind = if bead.is_pair() { "pair" } else { "single" };
        let _ = writeln!(
            page,
            r#"<tr class="bead {kind} {b}" id="b{k}" data-confidence="{:.4}" data-src="{}" data-tgt="{}">"#,
            bead.confidence,
            ids(bead.src.clone()),
            ids(bead.tgt.clone())
        );
        let _ = writeln!(page, r#"<td class="n">{k}</td>"#);
        side(page, "src", src, bead.src.clone());
        side(page, "tgt", tgt, bead.tgt.clone());
        let _ = writeln!(
            page,
            r#"<td class="conf"><span class="bar" style="width:{:.0}%"></span><span class="value">{:.3}</span></td>"#,
            (bead.confidence.clamp(0.0, 1.0) * 100.0),
            bead.confidence
        );
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n");
}

/// One side's cell: its sentences with their indices, or a placeholder when empty.
fn side(page: &mut String, class: &str, doc: &Document, range: std::ops::Range<usize>) {
    let _ = write!(page, r#"<td class="{class}" lang="{}">"#, escape(&doc.lang));
    if range.is_empty() {
        page.push_str(r#"<span class="none">— unaligned —</span>"#);
    }
    for i in range {
        let para = i > 0 && doc.sentences[i].paragraph != doc.sentences[i - 1].paragraph;
        let _ = write!(
            page,
            r#"<p><span class="sid">{i}</span>{}{}</p>"#,
            if para {
                r#"<span class="para" title="new paragraph">¶</span>"#
            } else {
                ""
            },
            escape(doc.sentence(i))
        );
    }
    page.push_str("</td>\n");
}

/// `0,1,2` for the indices of `range`.
fn ids(range: std::ops::Range<usize>) -> String {
    range.map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// Escapes text for HTML content and attribute values; shows C0 controls and DEL
/// as control pictures so that a reviewer sees them instead of nothing.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\u{0}'..='\u{1F}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}')),
            '\u{7F}' => out.push('\u{2421}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em auto; max-width: 1200px; padding: 0 1em; color: #212121; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
h1 .langs { color: #616161; font-weight: normal; }
.summary { color: #424242; margin: 0 0 1em; }
.warning { background: #fff3e0; border-left: 4px solid #ef6c00; padding: .5em .8em; }
.plot { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 1em; }
.plot svg { max-width: 100%; height: auto; font-size: 11px; fill: #424242; }
.plot .area { fill: #fafafa; stroke: #bdbdbd; }
.plot .label { font-size: 12px; fill: #212121; }
.plot .similarity circle { fill: #1565c0; }
.plot .path { fill: none; stroke: #212121; stroke-width: 1; stroke-opacity: .55; }
.plot .beads rect { fill-opacity: .25; stroke-width: 1.2; }
.plot .beads rect.high { fill: #2e7d32; }
.plot .beads rect.mid { fill: #ef8f00; }
.plot .beads rect.low { fill: #c62828; }
.plot .beads line.unaligned { stroke: #d50000; stroke-width: 3; }
.plot .beads a:hover rect { fill-opacity: .6; }
.legend { list-style: none; padding: 0; margin: 0; color: #424242; line-height: 1.9; }
.key { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em; border-radius: 2px; }
.key.dot { background: #1565c0; border-radius: 50%; }
.key.high { background: #a5d6a7; }
.key.mid { background: #ffe082; }
.key.low { background: #ef9a9a; }
.key.unaligned { background: #d50000; }
.filter { position: sticky; top: 0; background: #fff; padding: .6em 0; border-bottom: 1px solid #e0e0e0; z-index: 1; }
.filter input[type=number] { width: 5em; }
.filter output { margin-left: 1em; color: #616161; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th { text-align: left; border-bottom: 2px solid #9e9e9e; padding: .3em .5em; }
th:first-child { width: 3em; }
th:last-child { width: 8em; }
td { vertical-align: top; padding: .35em .5em; border-bottom: 1px solid #e0e0e0; overflow-wrap: anywhere; }
td p { margin: 0 0 .3em; }
tr.high { background: #e8f5e9; }
tr.mid { background: #fff8e1; }
tr.low { background: #ffebee; }
tr.unaligned { background: repeating-linear-gradient(45deg, #f5f5f5, #f5f5f5 6px, #eeeeee 6px, #eeeeee 12px); }
tr:target { outline: 2px solid #1565c0; }
.n { color: #757575; }
.sid { display: inline-block; min-width: 2em; color: #9e9e9e; font-size: .8em; }
.para { color: #9e9e9e; margin-right: .3em; }
.none { color: #9e9e9e; font-style: italic; }
.conf { position: relative; }
.conf .bar { display: block; height: 4px; background: #616161; margin-bottom: .2em; }
"#;

const SCRIPT: &str = r##"(function () {
  "use strict";
  var on = document.getElementById("under-on");
  var limit = document.getElementById("under");
  var shown = document.getElementById("shown");
  var rows = document.querySelectorAll("tr.bead");
  function apply(remember) {
    var x = parseFloat(limit.value);
    var active = on.checked && !isNaN(x);
    var n = 0;
    for (var i = 0; i < rows.length; i++) {
      var hide = active && !(parseFloat(rows[i].getAttribute("data-confidence")) < x);
      rows[i].hidden = hide;
      if (!hide) n++;
    }
    shown.textContent = "showing " + n + " of " + rows.length + " beads" +
      (active ? " (confidence under " + x + ")" : "");
    if (remember) {
      try {
        history.replaceState(null, "", active ? "#under=" + x : location.pathname + location.search);
      } catch (e) { /* a file: URL may refuse; the filter still works */ }
    }
  }
  function fromHash() {
    var m = /^#under=([0-9]*\.?[0-9]+)$/.exec(location.hash);
    if (m) { on.checked = true; limit.value = m[1]; }
    apply(false);
  }
  on.addEventListener("change", function () { apply(true); });
  limit.addEventListener("input", function () { on.checked = true; apply(true); });
  window.addEventListener("hashchange", function () {
    if (/^#under=/.test(location.hash)) fromHash();
  });
  fromHash();
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup_quotes_and_controls() {
        assert_eq!(
            escape("<script>a & \"b\" 'c'\u{7}\u{7F}</script>"),
            "&lt;script&gt;a &amp; &quot;b&quot; &#39;c&#39;\u{2407}\u{2421}&lt;/script&gt;"
        );
    }

    #[test]
    fn ticks_start_at_zero_and_end_at_len() {
        assert_eq!(ticks(0), [0]);
        assert_eq!(ticks(5), [0, 1, 2, 3, 4, 5]);
        assert_eq!(ticks(23), [0, 5, 10, 15, 23]);
        assert_eq!(ticks(17), [0, 2, 4, 6, 8, 10, 12, 14, 17]);
        assert_eq!(ticks(101), [0, 20, 40, 60, 80, 101]);
    }
}
