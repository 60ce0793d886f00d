//! Integration tests: comparable mode on a document pair built from translations, where the
//! answer is known.
//!
//! The source is a made-up language; the target renders each of its words by a made-up
//! word of another alphabet that shares no key with it, so the two sides meet only through
//! a dictionary. The target holds the translations of some source lines, in another order,
//! between lines that translate nothing of the source.

use std::collections::HashSet;

use bitext::{Aligner, Alignment, Document, Lexicon, Mode};

use crate::util::{invented_sentences, source_word, target_word};

/// How many words each invented language has.
const VOCABULARY: usize = 200;

/// Source lines, of which every third is translated in the target.
const LINES: usize = 36;

fn sentences(count: usize, seed: u64) -> Vec<Vec<usize>> {
    invented_sentences(count, seed, VOCABULARY)
}

fn text(lines: &[Vec<usize>], render: fn(usize) -> String) -> String {
    lines
        .iter()
        .map(|words| {
            let words: Vec<String> = words.iter().map(|&k| render(k)).collect();
            format!("{}.\n", words.join(" "))
        })
        .collect()
}

/// The built pair: the source text, the target lines, and for each target line the source
/// line it translates (`None` for an unrelated line).
struct Built {
    src: String,
    tgt: Vec<String>,
    answer: Vec<Option<usize>>,
}

fn built() -> Built {
    let src = sentences(LINES, 11);
    let unrelated = sentences(LINES / 3, 29);
    let mut tgt = Vec::new();
    let mut answer = Vec::new();
    // The translated lines in reverse order, each followed by an unrelated line.
    for (k, i) in (0..LINES).step_by(3).rev().enumerate() {
        tgt.push(text(&src[i..i + 1], target_word));
        answer.push(Some(i));
        tgt.push(text(&unrelated[k..k + 1], target_word));
        answer.push(None);
    }
    Built {
        src: text(&src, source_word),
        tgt,
        answer,
    }
}

fn dictionary() -> Lexicon {
    let entries: String = (0..VOCABULARY)
        .map(|k| format!("{} @ {}\n", target_word(k), source_word(k)))
        .collect();
    Lexicon::from_dictionary(&entries).expect("a valid dictionary")
}

fn align(src: &str, tgt: &[String], lexicon: Option<Lexicon>) -> Alignment {
    let mut builder = Aligner::builder().mode(Mode::Comparable);
    if let Some(lexicon) = lexicon {
        builder = builder.lexicon(lexicon);
    }
    builder.build().unwrap().align(
        &Document::presegmented(src.to_string(), "en"),
        &Document::presegmented(tgt.concat(), "fr"),
    )
}

/// The (source, target) links given a confidence of 0.5 or more.
fn claims(alignment: &Alignment) -> Vec<(usize, usize)> {
    alignment
        .beads
        .iter()
        .filter(|b| b.is_pair() && b.confidence >= 0.5)
        .map(|b| (b.src.start, b.tgt.start))
        .collect()
}

#[test]
fn translated_lines_are_claimed_and_unrelated_ones_are_not() {
    let built = built();
    let claimed = claims(&align(&built.src, &built.tgt, Some(dictionary())));
    let translated = built.answer.iter().flatten().count();
    assert!(
        claimed.iter().all(|&(i, j)| built.answer[j] == Some(i)),
        "{claimed:?}"
    );
    assert!(2 * claimed.len() >= translated, "{claimed:?}");
}

#[test]
fn documents_that_translate_each_other_throughout_are_claimed_throughout() {
    // Every source line translated, in reverse order: the share of sentences with a partner
    // is estimated from the documents, not assumed to be the few of independent writing.
    let src = sentences(LINES, 11);
    let tgt: Vec<String> = (0..LINES)
        .rev()
        .map(|i| text(&src[i..i + 1], target_word))
        .collect();
    let claimed = claims(&align(&text(&src, source_word), &tgt, Some(dictionary())));
    assert!(
        claimed.iter().all(|&(i, j)| i + j == LINES - 1),
        "{claimed:?}"
    );
    assert!(10 * claimed.len() >= 9 * LINES, "{claimed:?}");
}

#[test]
fn without_a_table_languages_that_share_no_words_claim_nothing() {
    let built = built();
    let alignment = align(&built.src, &built.tgt, None);
    assert_eq!(claims(&alignment), vec![]);
}

#[test]
fn each_sentence_is_in_one_bead_with_a_probability() {
    let built = built();
    let alignment = align(&built.src, &built.tgt, Some(dictionary()));
    let (mut src, mut tgt) = (HashSet::new(), HashSet::new());
    for bead in &alignment.beads {
        assert!(bead.src.len() <= 1 && bead.tgt.len() <= 1, "{bead:?}");
        assert!(bead.src.clone().all(|i| src.insert(i)), "{bead:?}");
        assert!(bead.tgt.clone().all(|j| tgt.insert(j)), "{bead:?}");
        assert!((0.0..=1.0).contains(&bead.confidence), "{bead:?}");
    }
    assert_eq!(src.len(), LINES);
    assert_eq!(tgt.len(), built.tgt.len());
}

#[test]
fn the_links_do_not_depend_on_the_order_of_the_target() {
    let built = built();
    let once = align(&built.src, &built.tgt, Some(dictionary()));
    let again = align(&built.src, &built.tgt, Some(dictionary()));
    assert_eq!(once.beads, again.beads);
    // The same target lines in reverse: each link names the same target line.
    let reversed: Vec<String> = built.tgt.iter().rev().cloned().collect();
    let flipped = align(&built.src, &reversed, Some(dictionary()));
    let last = built.tgt.len() - 1;
    let links = |alignment: &Alignment, map: &dyn Fn(usize) -> usize| {
        let mut out: Vec<(usize, usize, String)> = alignment
            .beads
            .iter()
            .filter(|b| b.is_pair())
            .map(|b| {
                (
                    b.src.start,
                    map(b.tgt.start),
                    format!("{:.6}", b.confidence),
                )
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(links(&once, &|j| j), links(&flipped, &|j| last - j));
}
