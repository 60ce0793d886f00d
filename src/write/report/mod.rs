//! A self-contained HTML page to review and correct one alignment.
//!
//! One file, no network: the style and the script are inline, and a
//! Content-Security-Policy meta tag forbids the page to load or send anything (its
//! `script-src` and `style-src` allow only the SHA-256 hashes of the page's own
//! script and style, computed when the page is written), so it opens the same way
//! offline, from a mail attachment or from a CI artefact.
//!
//! The page holds the data once, as one JSON document in a
//! `<script type="application/json" id="data">` element (a data block: never run):
//!
//! ```text
//! {"version":"0.1.0","mode":"parallel","looksComparable":false,
//!  "src":{"lang":"pt","xmlLang":"pt","sentences":["…",…],"paragraphs":[5,9]},
//!  "tgt":{…},
//!  "beads":[0,1,0,1,970000, 0,1,0,2,810000, …],
//!  "similarity":[0,0,90, 1,1,80, …]}
//! ```
//!
//! - `paragraphs`: the sentence indices that start a new paragraph (0 never listed);
//! - `xmlLang`: the language code the TMX writer puts in `xml:lang`;
//! - `beads`: five integers a bead, `source start - previous source end`, `source
//!   length`, `target start - previous target end`, `target length`, `confidence x
//!   1000000` (two decimals more than the bead format, so that the page's exports round
//!   to the CLI's figures); starts are deltas because in a parallel alignment they are
//!   all 0, which keeps 100k beads small;
//! - `similarity`: three integers a point, source index, target index, strength x 100.
//!
//! In the JSON, `<`, `>`, `&`, DEL, the C1 controls and U+2028/U+2029 are written as
//! `\uXXXX` escapes, so no sentence (`</script>`, `<!--`) can end the data block or
//! change how the HTML parser reads it; serde_json already escapes the C0 controls.
//! Above [`COMPRESS_ABOVE`] bytes the JSON is gzip-compressed and base64-encoded
//! (`data-encoding="gzip-base64"`, `type="text/plain"`), which the page inflates
//! with the browser's `DecompressionStream`: document text is most of a large page,
//! and it compresses about threefold. The element's `data-key` is a hash of the
//! JSON, under which the page keeps the reviewer's edits in `localStorage`.
//!
//! The script (`report.js`) renders only the rows in view, draws the overview plot
//! on a canvas and lets the reviewer navigate, merge, split, move, unalign, confirm
//! and undo, and export TMX, TSV and beads in the CLI's shapes; the page's header
//! also has a summary line written here, readable without the script. The output
//! is deterministic: no date, no random ids.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::align::{Alignment, Bead, Mode};
use crate::doc::Document;

/// The page's style sheet.
const STYLE: &str = include_str!("report.css");
/// The page's script.
const SCRIPT: &str = include_str!("report.js");
/// Confidence at or above which a bead is in the `high` band (as the script's bands).
const HIGH: f64 = 0.8;
/// Confidence at or above which a bead is in the `mid` band.
const MID: f64 = 0.5;
/// JSON data longer than this many bytes is embedded compressed. Small pages stay
/// readable (and greppable) as they are; large ones, where text is most of the size,
/// shrink about threefold.
pub const COMPRESS_ABOVE: usize = 2 << 20;

/// Writes the HTML report. `similarity` holds `(source index, target index, strength in [0, 1])`
/// points of evidence to draw under the alignment path.
pub fn write<W: Write>(
    out: &mut W,
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    similarity: &[(usize, usize, f32)],
) -> io::Result<()> {
    let json = data_json(src, tgt, alignment, similarity);
    let key = format!("{:016x}", fnv1a64(json.as_bytes()));
    let (encoding, mime, payload) = if json.len() > COMPRESS_ABOVE {
        ("gzip-base64", "text/plain", base64(&gzip(json.as_bytes())?))
    } else {
        ("json", "application/json", json)
    };
    let mut page = String::with_capacity(payload.len() + STYLE.len() + SCRIPT.len() + 16 * 1024);
    head(&mut page, src, tgt, alignment);
    body(&mut page, src, tgt);
    let _ = writeln!(
        page,
        r#"<script type="{mime}" id="data" data-encoding="{encoding}" data-key="{key}">{payload}</script>"#
    );
    page.push_str("<script>");
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

/// The Content-Security-Policy: nothing may be loaded, sent or navigated to by a form;
/// only the page's own script and style run.
fn csp() -> String {
    format!(
        "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; \
         base-uri 'none'; form-action 'none'",
        base64(&sha256(SCRIPT.as_bytes())),
        base64(&sha256(STYLE.as_bytes()))
    )
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
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="bitext {version}">
<title>bitext alignment review: {sl} → {tl}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>Alignment review <span class="langs">{sl} → {tl}</span></h1>
<p class="summary" id="summary">{beads} beads: {pairs} pairs ({high} high, {mid} mid, {low} low confidence), {unaligned} unaligned ({unaligned_src} source and {unaligned_tgt} target sentences left alone). {ns} source and {nt} target sentences; mean pair confidence {mean:.3}; {mode} mode.</p>
"#,
        csp = csp(),
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
    page.push_str(
        "<noscript><p class=\"warning\">The review needs JavaScript: the sentences and beads \
         are in this file's data block.</p></noscript>\n</header>\n",
    );
}

/// The page's fixed parts; the script fills the rows, the plot and the counts.
fn body(page: &mut String, src: &Document, tgt: &Document) {
    let (sl, tl) = (escape(&src.lang), escape(&tgt.lang));
    let _ = write!(
        page,
        r##"<div id="app">
<aside id="overview">
<canvas id="plot" width="360" height="400" aria-label="alignment plot: source sentence index against target sentence index; click to jump">plot</canvas>
<ul class="legend">
<li><span class="key high"></span> pair, confidence ≥ {HIGH}</li>
<li><span class="key mid"></span> pair, confidence ≥ {MID}</li>
<li><span class="key low"></span> pair under {MID}, or under the threshold</li>
<li><span class="key unaligned"></span> unaligned sentences</li>
<li><span class="key confirmed"></span> confirmed · <span class="key wrong"></span> wrong</li>
<li><span class="key dot"></span> similarity evidence</li>
<li>The strip under the plot is the document, bead by bead: red where a stretch is unsure. Click the plot or the strip to jump there.</li>
</ul>
<dl class="keys">
<dt>↓ ↑ / j k</dt><dd>next / previous bead</dd>
<dt>n / p</dt><dd>next / previous bead to review: unaligned or under the threshold, not marked</dd>
<dt>click a sentence</dt><dd>select it (Esc: none)</dd>
<dt>m</dt><dd>merge with the next bead</dd>
<dt>s</dt><dd>split (before the selected sentence, or in halves)</dd>
<dt>[ / ]</dt><dd>move the selected sentence to the previous / next bead</dd>
<dt>u</dt><dd>unalign the selected sentence (or the whole bead)</dd>
<dt>c / w</dt><dd>mark confirmed / wrong (again: unmark)</dd>
<dt>z</dt><dd>undo</dd>
</dl>
</aside>
<main>
<div class="toolbar" id="toolbar">
<span class="group"><button type="button" data-act="prev" title="previous bead (↑)">↑</button><button type="button" data-act="next" title="next bead (↓)">↓</button><button type="button" data-act="prevLow" title="previous bead to review (p)">◀ review</button><button type="button" data-act="nextLow" title="next bead to review (n)">review ▶</button>
<label>threshold <input type="number" id="threshold" min="0" max="1" step="0.05" value="{MID}"></label></span>
<span class="group"><button type="button" data-act="merge" title="merge with the next bead (m)">merge</button><button type="button" data-act="split" title="split (s)">split</button><button type="button" data-act="movePrev" title="move the selected sentence to the previous bead ([)">move ↑</button><button type="button" data-act="moveNext" title="move the selected sentence to the next bead (])">move ↓</button><button type="button" data-act="unalign" title="unalign (u)">unalign</button><button type="button" data-act="confirm" title="confirmed (c)">✓ confirm</button><button type="button" data-act="wrong" title="wrong (w)">✗ wrong</button><button type="button" data-act="undo" title="undo (z)">undo</button></span>
<span class="group">export <button type="button" data-act="exportTmx">TMX</button><button type="button" data-act="exportTsv">TSV</button><button type="button" data-act="exportBeads">beads</button></span>
<output id="progress"></output>
<output id="status" role="status" aria-live="polite"></output>
</div>
<div class="thead"><span>#</span><span>source ({sl})</span><span>target ({tl})</span><span>confidence</span></div>
<div id="list" tabindex="0"><div id="spacer"><div id="rows"></div></div></div>
</main>
</div>
"##
    );
}

/// The JSON document the script reads (see the module documentation).
fn data_json(
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    similarity: &[(usize, usize, f32)],
) -> String {
    let text: usize = src.text.len() + tgt.text.len();
    let mut json = String::with_capacity(text + text / 8 + 32 * alignment.beads.len() + 1024);
    let mode = match alignment.mode {
        Mode::Parallel => "parallel",
        Mode::Comparable => "comparable",
    };
    let _ = write!(
        json,
        r#"{{"version":{},"mode":"{mode}","looksComparable":{},"src":"#,
        string(env!("CARGO_PKG_VERSION")),
        alignment.looks_comparable
    );
    document_json(&mut json, src);
    json.push_str(r#","tgt":"#);
    document_json(&mut json, tgt);
    json.push_str(r#","beads":["#);
    let (mut src_end, mut tgt_end) = (0i64, 0i64);
    for (k, bead) in alignment.beads.iter().enumerate() {
        let (s, t) = (bead.src.start as i64, bead.tgt.start as i64);
        let _ = write!(
            json,
            "{}{},{},{},{},{}",
            if k == 0 { "" } else { "," },
            s - src_end,
            bead.src.len(),
            t - tgt_end,
            bead.tgt.len(),
            (bead.confidence.clamp(0.0, 1.0) * 1e6).round() as i64
        );
        src_end = bead.src.end as i64;
        tgt_end = bead.tgt.end as i64;
    }
    json.push_str(r#"],"similarity":["#);
    let mut first = true;
    for &(i, j, strength) in similarity {
        if i >= src.len() || j >= tgt.len() || !strength.is_finite() {
            continue;
        }
        let _ = write!(
            json,
            "{}{i},{j},{}",
            if first { "" } else { "," },
            (strength.clamp(0.0, 1.0) * 100.0).round() as i64
        );
        first = false;
    }
    json.push_str("]}");
    json
}

fn document_json(json: &mut String, doc: &Document) {
    let _ = write!(
        json,
        r#"{{"lang":{},"xmlLang":{},"sentences":["#,
        string(&doc.lang),
        string(&xml_lang(&doc.lang))
    );
    for i in 0..doc.len() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&string(doc.sentence(i)));
    }
    json.push_str(r#"],"paragraphs":["#);
    let mut first = true;
    for i in 1..doc.len() {
        if doc.sentences[i].paragraph != doc.sentences[i - 1].paragraph {
            let _ = write!(json, "{}{i}", if first { "" } else { "," });
            first = false;
        }
    }
    json.push_str("]}");
}

/// The `xml:lang` the TMX writer gives a language, so that an exported TMX has the
/// CLI's header and `tuv`s.
fn xml_lang(lang: &str) -> String {
    if lang.trim().is_empty() {
        "und".into()
    } else {
        lang.replace('_', "-")
    }
}

/// A JSON string literal that is safe inside an HTML `<script>` element.
fn string(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into());
    let mut out = String::with_capacity(quoted.len());
    for c in quoted.chars() {
        match c {
            '<' | '>' | '&' | '\u{7F}'..='\u{9F}' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
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

/// gzip with a fixed header (no name, no time), so that the page is byte-identical
/// from run to run.
fn gzip(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(
            Vec::with_capacity(data.len() / 3),
            flate2::Compression::default(),
        );
    encoder.write_all(data)?;
    encoder.finish()
}

/// FNV-1a, 64 bits: a stable name for the data, to key the reviewer's stored edits.
fn fnv1a64(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Standard base64 with padding.
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> shift) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// SHA-256 (FIPS 180-4), for the CSP hashes of the inline script and style: the
/// crate has no hashing dependency and needs only this one, on a few kilobytes.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn escape_handles_markup_quotes_and_controls() {
        assert_eq!(
            escape("<script>a & \"b\" 'c'\u{7}\u{7F}</script>"),
            "&lt;script&gt;a &amp; &quot;b&quot; &#39;c&#39;\u{2407}\u{2421}&lt;/script&gt;"
        );
    }

    #[test]
    fn sha256_matches_the_standard_vectors() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // Two blocks: the padding spills over.
        assert_eq!(
            hex(&sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn base64_pads_as_the_standard_says() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn json_strings_cannot_close_the_script_element() {
        let s = string("</script><!-- a&b \u{7f}\u{85}\u{2028}\u{1} \"q\"");
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert!(!s.chars().any(|c| c.is_control()));
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "</script><!-- a&b \u{7f}\u{85}\u{2028}\u{1} \"q\"");
    }

    #[test]
    fn xml_lang_is_bcp47() {
        assert_eq!(xml_lang("pt_BR"), "pt-BR");
        assert_eq!(xml_lang(" "), "und");
        assert_eq!(xml_lang("id"), "id");
    }
}
