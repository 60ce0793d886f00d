//! Regression tests that need the crate's internals, which the integration tests in
//! `tests/regression.rs` cannot reach. Named, as there, after what went wrong.

// ---- Bounded time and memory, whatever the content ----

#[test]
fn band_stays_within_its_budget_on_identical_lines() {
    use crate::align::evidence::Weights;
    use crate::align::evidence::lexicon::Links;
    use crate::align::search::{COARSE_BEAD_TYPES, Search};
    use crate::align::{features_of, params};
    // Identical lines make every bead as likely as the next: the guide path is unsure
    // everywhere, and the band used to widen by 256 units along the whole document (7.4 GB
    // for 100,000 lines). It must stay within a few times the band of a real book, capped.
    let lines = 12_000;
    let doc = crate::Document::presegmented(vec!["a"; lines].join("\n"), "en");
    let fs = features_of(&doc);
    let search = Search {
        weights: Weights::default(),
        temperature: 2.0,
        types: &COARSE_BEAD_TYPES,
    };
    let found = search.find(&fs, &fs, params::initial(&fs, &fs), &Links::default());
    assert!(found.capped, "the band was not reported capped");
    assert!(
        found.area <= 50 * (2 * lines),
        "{} band points for {lines} lines a side",
        found.area
    );
    assert_eq!(
        found.path.iter().map(|b| b.a).sum::<usize>(),
        lines,
        "the path covers every line"
    );
    let refined = search.find_around(
        &fs,
        &fs,
        params::initial(&fs, &fs),
        &Links::default(),
        &found.path,
        &|_| {},
    );
    assert!(
        refined.capped && refined.area <= 50 * (2 * lines),
        "{}",
        refined.area
    );
}
