//! Integration tests: the HTML review page, as far as no browser is needed (the
//! browser is `scripts/browser-test.sh`): the data it embeds, escaping, determinism,
//! the Content-Security-Policy and the size of a large page.

use std::io::Read;
use std::ops::Range;

use bitext::Evidence;
use bitext::write;
use bitext::{Alignment, Bead, Document, Mode};
use serde_json::Value;

use crate::util::fixture;

/// The page's data block: its `data-encoding` and its text.
pub fn data_block(html: &str) -> (String, &str) {
    let open = html
        .find(r#"<script type=""#)
        .and_then(|i| html[i..].find(r#" id="data""#).map(|j| i + j))
        .expect("a data block");
    let tag_end = open + html[open..].find('>').expect("the tag closes");
    let tag = &html[open..tag_end];
    let encoding = tag
        .split("data-encoding=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("data-encoding")
        .to_owned();
    let body_end = tag_end + html[tag_end..].find("</script>").expect("the block closes");
    (encoding, &html[tag_end + 1..body_end])
}

/// The page's data, inflated when it is compressed.
pub fn data(html: &str) -> Value {
    let (encoding, payload) = data_block(html);
    let json = match encoding.as_str() {
        "json" => payload.to_owned(),
        "gzip-base64" => {
            let mut text = String::new();
            flate2::read::GzDecoder::new(&unbase64(payload)[..])
                .read_to_string(&mut text)
                .expect("gzip");
            text
        }
        other => panic!("unknown encoding {other}"),
    };
    serde_json::from_str(&json).expect("the data block is JSON")
}

fn unbase64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = text.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &c)| n | u32::from(value(c)) << (18 - 6 * i));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// The embedded beads: source and target ranges, and confidence.
pub fn beads(data: &Value) -> Vec<(Range<usize>, Range<usize>, f64)> {
    let flat: Vec<i64> = data["beads"]
        .as_array()
        .expect("beads")
        .iter()
        .map(|v| v.as_i64().expect("an integer"))
        .collect();
    assert_eq!(flat.len() % 5, 0, "five numbers a bead");
    let (mut se, mut te) = (0i64, 0i64);
    flat.chunks(5)
        .map(|b| {
            let (s, t) = (se + b[0], te + b[2]);
            se = s + b[1];
            te = t + b[3];
            (
                s as usize..se as usize,
                t as usize..te as usize,
                b[4] as f64 / 1e6,
            )
        })
        .collect()
}

/// The sentences of one side (`"src"` or `"tgt"`).
pub fn sentences(data: &Value, side: &str) -> Vec<String> {
    data[side]["sentences"]
        .as_array()
        .expect("sentences")
        .iter()
        .map(|s| s.as_str().expect("a string").to_owned())
        .collect()
}

fn bead(src: Range<usize>, tgt: Range<usize>, confidence: f64) -> Bead {
    Bead {
        src,
        tgt,
        confidence,
        evidence: Evidence::default(),
    }
}

fn page(
    src: &Document,
    tgt: &Document,
    alignment: &Alignment,
    sim: &[(usize, usize, f32)],
) -> String {
    let mut out = Vec::new();
    write::report::write(&mut out, src, tgt, alignment, sim).unwrap();
    String::from_utf8(out).expect("UTF-8")
}

/// Sentences built to break a page that does not escape: markup that closes the data
/// block or opens a comment, every kind of control character, quotes and backslashes.
const HOSTILE: [&str; 6] = [
    "Fim.</script><script>alert(1)</script>",
    "<!-- um comentário <script> que não fecha",
    "Controles \u{0}\u{1}\u{7}\u{1b}\u{7f}\u{85}\u{9f} e separadores \u{2028}\u{2029}.",
    "Aspas \"duplas\", 'simples', barra \\ e </SCRIPT >.",
    "Entidades &amp; &lt; ]]> e <![CDATA[ x ]]>.",
    "Texto normal, com acentuação: ação, você.",
];

fn hostile_case() -> (Document, Document, Alignment) {
    let src = Document::presegmented(HOSTILE.join("\n"), "pt");
    let tgt = Document::presegmented(HOSTILE[1..].join("\n"), "id");
    assert_eq!((src.len(), tgt.len()), (6, 5));
    let alignment = Alignment {
        beads: vec![
            bead(0..1, 0..0, 0.41),
            bead(1..3, 0..1, 0.6),
            bead(3..4, 1..3, 0.97),
            bead(4..6, 3..5, 0.12345),
        ],
        mode: Mode::Parallel,
        looks_comparable: false,
        band_capped: false,
    };
    (src, tgt, alignment)
}

#[test]
fn the_page_embeds_every_bead_and_sentence() {
    let (src, tgt, alignment) = hostile_case();
    let sim = [(0, 0, 0.9), (5, 4, 0.25), (9, 9, 1.0)];
    let html = page(&src, &tgt, &alignment, &sim);
    let data = data(&html);
    let got = beads(&data);
    assert_eq!(got.len(), alignment.beads.len());
    for (g, b) in got.iter().zip(&alignment.beads) {
        assert_eq!((&g.0, &g.1), (&b.src, &b.tgt));
        assert!(
            (g.2 - b.confidence).abs() <= 5e-7,
            "{} {}",
            g.2,
            b.confidence
        );
    }
    for (side, doc) in [("src", &src), ("tgt", &tgt)] {
        let texts = sentences(&data, side);
        assert_eq!(texts.len(), doc.len());
        for (i, text) in texts.iter().enumerate() {
            assert_eq!(text, doc.sentence(i));
        }
        assert_eq!(data[side]["lang"], doc.lang.as_str());
    }
    // The similarity point outside the documents is left out; strengths are percents.
    assert_eq!(data["similarity"], serde_json::json!([0, 0, 90, 5, 4, 25]));
    assert_eq!(data["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn no_sentence_can_break_out_of_the_data_block() {
    let (src, tgt, alignment) = hostile_case();
    let html = page(&src, &tgt, &alignment, &[]);
    // The data block and the page's script, nothing else, and no comment opens.
    assert_eq!(html.matches("<script").count(), 2);
    assert_eq!(html.to_lowercase().matches("</script").count(), 2);
    assert!(!html.contains("<!--"));
    assert!(!html.contains("<![CDATA["));
    // No control character reaches the HTML (but the page's own line breaks).
    let bad: Vec<char> = html
        .chars()
        .filter(|&c| c.is_control() && c != '\n' || c == '\u{2028}' || c == '\u{2029}')
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    let (encoding, payload) = data_block(&html);
    assert_eq!(encoding, "json");
    assert!(!payload.contains(['<', '>', '&']));
    // And yet every character comes back.
    assert_eq!(sentences(&data(&html), "src"), HOSTILE);
}

#[test]
fn the_page_is_deterministic() {
    let (src, tgt, alignment) = hostile_case();
    let a = page(&src, &tgt, &alignment, &[(1, 1, 0.5)]);
    let b = page(&src, &tgt, &alignment, &[(1, 1, 0.5)]);
    assert_eq!(a, b);
    // The storage key is the data's, so another alignment gets another key.
    let mut other = alignment.clone();
    other.beads[0].confidence = 0.5;
    let c = page(&src, &tgt, &other, &[(1, 1, 0.5)]);
    let key = |html: &str| html.split("data-key=\"").nth(1).unwrap()[..16].to_owned();
    assert_ne!(key(&a), key(&c));
    assert_eq!(key(&a), key(&b));
}

#[test]
fn the_csp_forbids_the_network_and_foreign_script() {
    let (src, tgt, alignment) = hostile_case();
    let html = page(&src, &tgt, &alignment, &[]);
    let csp = html
        .split(r#"<meta http-equiv="Content-Security-Policy" content=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a CSP meta tag");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    assert!(directives.contains(&"default-src 'none'"), "{csp}");
    assert!(directives.contains(&"form-action 'none'"), "{csp}");
    assert!(directives.contains(&"base-uri 'none'"), "{csp}");
    // Only hashes may run: no inline allowance, no source that names a host or scheme.
    for d in &directives {
        let name = d.split(' ').next().unwrap();
        if name == "script-src" || name == "style-src" {
            let sources: Vec<&str> = d.split(' ').skip(1).collect();
            assert_eq!(sources.len(), 1, "{d}");
            assert!(
                sources[0].starts_with("'sha256-") && sources[0].ends_with("='"),
                "{d}"
            );
        }
        assert!(
            !d.contains("unsafe") && !d.contains(':') && !d.contains('*'),
            "{d}"
        );
        assert!(
            ![
                "connect-src",
                "img-src",
                "font-src",
                "frame-src",
                "media-src"
            ]
            .contains(&name),
            "{d} loosens default-src"
        );
    }
    // The page names no URL: nothing to load even without the policy.
    for needle in [
        "http:", "https:", "://", "<link", " src=", "@import", "url(", "<img", "<iframe",
    ] {
        assert!(!html.contains(needle), "found {needle}");
    }
    // The CSP meta comes before any script or style, or it would not cover them.
    let meta = html.find("Content-Security-Policy").unwrap();
    assert!(meta < html.find("<style").unwrap() && meta < html.find("<script").unwrap());
}

/// `n` source sentences and as many target sentences (one in ten target beads a 1-2),
/// made of the seed articles' words in a pseudo-random order, so that the text
/// compresses like real text and not like one paragraph repeated.
fn large_case(n: usize) -> (Document, Document, Alignment) {
    let words = |rel: &str| -> Vec<String> {
        std::fs::read_to_string(fixture(rel))
            .unwrap()
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    };
    let (pt, id) = (words("seeds/003.pt.txt"), words("seeds/004.id.txt"));
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut sentence = |pool: &[String]| {
        let len = 8 + (next() % 18) as usize;
        let mut s: Vec<&str> = (0..len)
            .map(|_| pool[(next() % pool.len() as u64) as usize].as_str())
            .collect();
        s.push(".");
        s.join(" ")
    };
    let src: Vec<String> = (0..n).map(|_| sentence(&pt)).collect();
    let tgt: Vec<String> = (0..n + n / 10).map(|_| sentence(&id)).collect();
    let mut beads = Vec::with_capacity(n);
    let mut t = 0;
    for i in 0..n {
        let width = if i % 10 == 3 { 2 } else { 1 };
        beads.push(bead(i..i + 1, t..t + width, (i % 97) as f64 / 96.0));
        t += width;
    }
    let src = Document::presegmented(src.join("\n"), "pt");
    let tgt = Document::presegmented(tgt.join("\n"), "id");
    assert_eq!((src.len(), tgt.len(), t), (n, n + n / 10, n + n / 10));
    let alignment = Alignment {
        beads,
        mode: Mode::Parallel,
        looks_comparable: false,
        band_capped: false,
    };
    (src, tgt, alignment)
}

#[test]
fn a_10k_sentence_page_is_compact_and_complete() {
    let (src, tgt, alignment) = large_case(10_000);
    let sim: Vec<(usize, usize, f32)> = (0..10_000).step_by(7).map(|i| (i, i, 0.8)).collect();
    let html = page(&src, &tgt, &alignment, &sim);
    let text = src.text.len() + tgt.text.len();
    // The old page was about 760 bytes a bead; this one holds the text once, compressed,
    // and about 10 bytes a bead. The bound leaves room, but not for markup per bead.
    assert!(
        html.len() < text / 2 + 100_000,
        "{} bytes for {text} bytes of text",
        html.len()
    );
    let (encoding, _) = data_block(&html);
    assert_eq!(encoding, "gzip-base64");
    let data = data(&html);
    assert_eq!(beads(&data).len(), alignment.beads.len());
    assert_eq!(sentences(&data, "tgt").len(), tgt.len());
    assert_eq!(sentences(&data, "src")[9_999], src.sentence(9_999));
    // Compressed or not, the page is the same from run to run.
    assert_eq!(html, page(&src, &tgt, &alignment, &sim));
}

#[test]
fn an_empty_alignment_is_a_page_too() {
    let src = Document::presegmented(String::new(), "pt");
    let tgt = Document::presegmented(String::new(), "id");
    let alignment = Alignment {
        beads: Vec::new(),
        mode: Mode::Parallel,
        looks_comparable: false,
        band_capped: false,
    };
    let html = page(&src, &tgt, &alignment, &[]);
    let data = data(&html);
    assert!(beads(&data).is_empty());
    assert!(sentences(&data, "src").is_empty());
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn beads_out_of_order_round_trip() {
    // Comparable mode pairs sentences wherever they are: starts go backwards too.
    let src = Document::presegmented("a\nb\nc".into(), "en");
    let tgt = Document::presegmented("x\ny\nz".into(), "fr");
    let alignment = Alignment {
        beads: vec![
            bead(2..3, 0..1, 0.9),
            bead(0..1, 2..3, 0.8),
            bead(1..2, 1..1, 0.3),
            bead(3..3, 1..2, 0.3),
        ],
        mode: Mode::Comparable,
        looks_comparable: true,
        band_capped: false,
    };
    let html = page(&src, &tgt, &alignment, &[]);
    let data = data(&html);
    assert_eq!(data["mode"], "comparable");
    let got: Vec<_> = beads(&data).into_iter().map(|(s, t, _)| (s, t)).collect();
    let want: Vec<_> = alignment
        .beads
        .iter()
        .map(|b| (b.src.clone(), b.tgt.clone()))
        .collect();
    assert_eq!(got, want);
    assert!(html.contains("do not look like translations"));
}
