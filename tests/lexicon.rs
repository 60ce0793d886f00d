//! Integration tests: word translations learned from the data, written, read back and
//! given as a dictionary; learned from a whole batch.
//!
//! The documents are made up: a source "language" of invented words and a target one that
//! renders each word by another invented word sharing no letters' stem with it, so that no
//! key of one side meets a key of the other unless a lexicon links them.

use crate::util::*;

/// How many words each invented language has.
const VOCABULARY: usize = 300;

/// A document pair of `count` sentences: each source sentence is 5 to 12 words drawn by a
/// fixed generator from `seed`, frequent words more often than rare ones as in real text,
/// and its target the same words translated one for one.
fn pair(count: usize, seed: u64) -> (String, String) {
    let (mut src, mut tgt) = (String::new(), String::new());
    for picks in invented_sentences(count, seed, VOCABULARY) {
        let line = |translate: fn(usize) -> String| {
            let words: Vec<String> = picks.iter().map(|&k| translate(k)).collect();
            format!("{}.\n", words.join(" "))
        };
        src.push_str(&line(source_word));
        tgt.push_str(&line(target_word));
    }
    (src, tgt)
}

/// Aligns a document pair written into `dir` and writes the table it teaches into
/// `dir/table.lex`; returns the table's text.
fn learn_table(dir: &TempDir, (src, tgt): (String, String)) -> String {
    std::fs::write(dir.join("corpus.src"), src).unwrap();
    std::fs::write(dir.join("corpus.tgt"), tgt).unwrap();
    let out = bitext(&[
        "align",
        "--presegmented",
        &dir.str("corpus.src"),
        &dir.str("corpus.tgt"),
        "--lexicon-out",
        &dir.str("table.lex"),
        "-o",
        &dir.str("corpus.tsv"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::read_to_string(dir.join("table.lex")).unwrap()
}

/// The lexical evidence of each bead of a JSON Lines alignment.
/// How many beads (the same beads, in order) the second run gives clearly more lexical
/// evidence than the first: a word pair linked counts as a shared word, worth more than
/// the word model alone gives the pair.
fn gained(before: &[f64], after: &[f64]) -> usize {
    assert_eq!(before.len(), after.len());
    before
        .iter()
        .zip(after)
        .filter(|(b, a)| **a > **b + 1.0)
        .count()
}

fn lexical(jsonl: &str) -> Vec<f64> {
    jsonl
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            v["evidence"]["lexical"].as_f64().unwrap()
        })
        .collect()
}

#[test]
fn a_learned_lexicon_is_written_and_read_back_as_evidence() {
    let dir = TempDir::new("lexicon");
    let table = learn_table(&dir, pair(200, 7));
    // The sure pairs, not the word model's rows (which start with a tag of their own).
    let entries = table
        .lines()
        .filter(|l| !l.starts_with('#') && l.split('\t').count() == 3)
        .count();
    assert!(entries >= 12, "only {entries} entries learned:\n{table}");

    // A short pair learns nothing by itself: its words meet only through the table.
    let (src, tgt) = pair(6, 99);
    std::fs::write(dir.join("small.src"), src).unwrap();
    std::fs::write(dir.join("small.tgt"), tgt).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "align",
            "--presegmented",
            "--format",
            "jsonl",
            "--include-unaligned",
        ];
        args.extend_from_slice(extra);
        let (s, t) = (dir.str("small.src"), dir.str("small.tgt"));
        let out = bitext(&[args.as_slice(), &[s.as_str(), t.as_str()]].concat());
        assert!(out.status.success(), "{}", stderr(&out));
        lexical(&stdout(&out))
    };
    // (What it learns alone is its word model's, from six beads: no word pair links.)
    let alone = run(&[]);
    let with_table = run(&["--lexicon", &dir.str("table.lex")]);
    assert!(
        gained(&alone, &with_table) >= 5,
        "{alone:?}\n{with_table:?}"
    );
}

#[test]
fn a_dictionary_in_hunalign_format_is_evidence() {
    let dir = TempDir::new("dictionary");
    let (src, tgt) = pair(6, 3);
    std::fs::write(dir.join("a.src"), src).unwrap();
    std::fs::write(dir.join("a.tgt"), tgt).unwrap();
    let dictionary: String = (0..VOCABULARY)
        .map(|k| format!("{} @ {}\n", target_word(k), source_word(k)))
        .collect();
    std::fs::write(dir.join("dict.txt"), dictionary).unwrap();
    let out = bitext(&[
        "align",
        "--presegmented",
        "--format",
        "jsonl",
        "--dictionary",
        &dir.str("dict.txt"),
        &dir.str("a.src"),
        &dir.str("a.tgt"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let evidence = lexical(&stdout(&out));
    assert_eq!(evidence.len(), 6);
    assert!(evidence.iter().all(|&x| x > 0.0), "{evidence:?}");
}

/// The key hash that tables written before keys were packed into 8 bytes hold for a word
/// whose stem is `stem`: FNV-1a over the stem with the word tag, all 64 bits.
fn old_format_hash(stem: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(b'w');
    for b in stem.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[test]
fn a_table_written_before_keys_were_packed_still_links_its_words() {
    let dir = TempDir::new("old-table");
    let (src, tgt) = pair(6, 3);
    std::fs::write(dir.join("a.src"), src).unwrap();
    std::fs::write(dir.join("a.tgt"), tgt).unwrap();
    // The invented words have no letters the spelling normalisation changes: the stem is
    // the first five letters. Only entries with one of bits 30 and 31 set on one side or
    // the other, where the kind now lives, so that a reader that kept those bits would
    // link nothing.
    let mut table =
        String::from("# bitext lexicon: target key, source key, strength (hashed stems)\n");
    let mut rows = 0;
    for k in 0..VOCABULARY {
        let t = old_format_hash(&target_word(k)[..5]);
        let s = old_format_hash(&source_word(k)[..5]);
        if (t | s) & (0b11 << 30) != 0 {
            table.push_str(&format!("{t:016x}\t{s:016x}\t0.9000\n"));
            rows += 1;
        }
    }
    assert!(rows > VOCABULARY / 2, "{rows}");
    std::fs::write(dir.join("old.lex"), table).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["align", "--presegmented", "--format", "jsonl"];
        args.extend_from_slice(extra);
        let (s, t) = (dir.str("a.src"), dir.str("a.tgt"));
        let out = bitext(&[args.as_slice(), &[s.as_str(), t.as_str()]].concat());
        assert!(out.status.success(), "{}", stderr(&out));
        lexical(&stdout(&out))
    };
    let alone = run(&[]);
    let evidence = run(&["--lexicon", &dir.str("old.lex")]);
    assert_eq!(evidence.len(), 6);
    assert_eq!(gained(&alone, &evidence), 6, "{alone:?}\n{evidence:?}");
}

#[test]
fn malformed_lexicons_and_dictionaries_are_input_errors_naming_the_line() {
    let dir = TempDir::new("bad-lexicon");
    std::fs::write(dir.join("bad.dict"), "jaki @ bada\nno separator\n").unwrap();
    std::fs::write(dir.join("bad.lex"), "not\ta\ttable\n").unwrap();
    let a = fixture("seeds/003.pt.txt");
    let b = fixture("seeds/004.id.txt");
    for (flag, file) in [("--dictionary", "bad.dict"), ("--lexicon", "bad.lex")] {
        let out = bitext(&[
            "align",
            flag,
            &dir.str(file),
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let message = stderr(&out);
        assert!(
            message.contains(file) && message.contains("line"),
            "{message}"
        );
    }
}

#[test]
fn lexicon_out_never_replaces_an_input() {
    let dir = TempDir::new("lexicon-out");
    let a = dir.seed("003.pt", "a.pt");
    let b = dir.seed("004.id", "b.id");
    let before = std::fs::read(&a).unwrap();
    let out = bitext(&["align", &a, &b, "--lexicon-out", &a]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&a).unwrap(), before);
}

#[test]
fn a_batch_learns_one_table_from_all_its_pairs() {
    // Ten pairs of 15 sentences: each alone is too short to learn most words, the batch
    // together learns them, and every pair's alignment then counts them.
    let dir = TempDir::new("batch-lexicon");
    let mut manifest = String::new();
    for k in 0..10 {
        let (src, tgt) = pair(15, 100 + k);
        std::fs::write(dir.join(&format!("{k}.src")), src).unwrap();
        std::fs::write(dir.join(&format!("{k}.tgt")), tgt).unwrap();
        manifest.push_str(&format!("p{k}\t{k}.src\t{k}.tgt\txx\tyy\n"));
    }
    std::fs::write(dir.join("pairs.tsv"), manifest).unwrap();
    let run = |out_dir: &str, extra: &[&str]| {
        let mut args = vec![
            "batch".to_string(),
            dir.str("pairs.tsv"),
            "--out-dir".into(),
            dir.str(out_dir),
            "--presegmented".into(),
            "--format".into(),
            "jsonl".into(),
            "-q".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = bitext(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        (0..10)
            .flat_map(|k| {
                lexical(
                    &std::fs::read_to_string(dir.join(&format!("{out_dir}/p{k}.jsonl"))).unwrap(),
                )
            })
            .collect::<Vec<f64>>()
    };
    let alone = run("alone", &["--no-learn"]);
    let together = run("together", &["--lexicon-out", &dir.str("batch.lex")]);
    // Each pair alone learns its frequent words; the batch adds the rarer ones, which
    // link words in a fifth or more of the beads.
    let more = gained(&alone, &together);
    assert!(
        more >= alone.len() / 5,
        "{more} of {} beads with more lexical evidence together",
        alone.len()
    );
    let table = std::fs::read_to_string(dir.join("batch.lex")).unwrap();
    let entries = table
        .lines()
        .filter(|l| !l.starts_with('#') && l.split('\t').count() == 3)
        .count();
    assert!(entries >= 12, "{table}");
    // A table that is written holds the word model too.
    assert!(table.lines().any(|l| l.starts_with("f\t")), "{table}");
}

#[test]
fn a_batch_learns_the_same_from_its_pairs_whatever_the_thread_count() {
    // Pairs short enough to be searched whole, of one language pair: the batch learns a
    // table and the word models that weigh every pair from all of them. Learned from the
    // pairs in whatever order threads finish, they would differ between runs.
    let dir = TempDir::new("batch-threads");
    let mut manifest = String::new();
    for k in 0..8 {
        let (src, tgt) = pair(12 + 3 * k, 300 + k as u64);
        std::fs::write(dir.join(&format!("{k}.src")), src).unwrap();
        std::fs::write(dir.join(&format!("{k}.tgt")), tgt).unwrap();
        manifest.push_str(&format!("p{k}\t{k}.src\t{k}.tgt\txx\tyy\n"));
    }
    std::fs::write(dir.join("pairs.tsv"), manifest).unwrap();
    let run = |jobs: &str| -> Vec<String> {
        let out_dir = dir.str(&format!("out-{jobs}"));
        let out = bitext(&[
            "batch",
            &dir.str("pairs.tsv"),
            "--out-dir",
            &out_dir,
            "--presegmented",
            "--format",
            "jsonl",
            "--jobs",
            jobs,
            "-q",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        (0..8)
            .map(|k| std::fs::read_to_string(format!("{out_dir}/p{k}.jsonl")).unwrap())
            .collect()
    };
    let one = run("1");
    assert!(one.iter().all(|text| !text.is_empty()));
    assert_eq!(one, run("2"));
}

/// Comparable documents in `dir` (`a.src`, `b.tgt`): the target translates every third
/// source line, in reverse order, between lines that translate nothing of the source.
/// Returns the source line each even target line translates.
fn comparable_documents(dir: &TempDir) -> Vec<usize> {
    let (src, tgt) = pair(24, 11);
    let (_, unrelated) = pair(12, 12);
    let tgt: Vec<&str> = tgt.lines().collect();
    let translated: Vec<usize> = (0..24).step_by(3).rev().collect();
    let mut target = String::new();
    for (k, &i) in translated.iter().enumerate() {
        target.push_str(tgt[i]);
        target.push('\n');
        target.push_str(unrelated.lines().nth(k).unwrap());
        target.push('\n');
    }
    std::fs::write(dir.join("a.src"), src).unwrap();
    std::fs::write(dir.join("b.tgt"), target).unwrap();
    translated
}

/// (source index, target index) of each link comparable mode claims (confidence 0.5 or
/// more) between the documents of [`comparable_documents`].
fn comparable_claims(dir: &TempDir, extra: &[&str]) -> Vec<(usize, usize)> {
    let mut args = vec!["align", "--presegmented", "--mode", "comparable"];
    args.extend_from_slice(&["--format", "beads"]);
    args.extend_from_slice(extra);
    let (s, t) = (dir.str("a.src"), dir.str("b.tgt"));
    let out = bitext(&[args.as_slice(), &[s.as_str(), t.as_str()]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .filter_map(|line| {
            let mut parts = line.split(':');
            let side = |p: &str| p.trim_matches(|c| c == '[' || c == ']').parse().ok();
            let (i, j) = (side(parts.next()?)?, side(parts.next()?)?);
            let confidence: f64 = parts.next()?.parse().ok()?;
            (confidence >= 0.5).then_some((i, j))
        })
        .collect()
}

#[test]
fn comparable_mode_meets_languages_that_share_no_words_through_a_dictionary() {
    let dir = TempDir::new("comparable-dictionary");
    let translated = comparable_documents(&dir);
    let dictionary: String = (0..VOCABULARY)
        .map(|k| format!("{} @ {}\n", target_word(k), source_word(k)))
        .collect();
    std::fs::write(dir.join("dict.txt"), dictionary).unwrap();
    let none = comparable_claims(&dir, &[]);
    assert!(none.is_empty(), "{none:?}");
    let with_dictionary = comparable_claims(&dir, &["--dictionary", &dir.str("dict.txt")]);
    let right = |&(i, j): &(usize, usize)| j % 2 == 0 && translated[j / 2] == i;
    assert!(with_dictionary.iter().all(right), "{with_dictionary:?}");
    assert!(with_dictionary.len() >= 6, "{with_dictionary:?}");
}

#[test]
fn comparable_mode_weighs_pairs_by_the_word_model_a_parallel_text_taught() {
    let dir = TempDir::new("comparable-model");
    let translated = comparable_documents(&dir);
    let table = learn_table(&dir, pair(300, 5));
    assert!(table.lines().any(|l| l.starts_with("f\t")), "no word model");
    let claims = comparable_claims(&dir, &["--lexicon", &dir.str("table.lex")]);
    let right = |&&(i, j): &&(usize, usize)| j % 2 == 0 && translated[j / 2] == i;
    // Every translation is claimed; a claim's confidence is a probability, not a
    // certainty, so a wrong one may come along, but not many.
    let found = claims.iter().filter(right).count();
    assert_eq!(found, translated.len(), "{claims:?}");
    assert!(claims.len() - found <= 2, "{claims:?}");
}

#[test]
fn a_table_of_an_earlier_format_is_read_with_a_warning_and_a_later_one_refused() {
    let dir = TempDir::new("table-format");
    let table = learn_table(&dir, pair(200, 7));
    let (first, rows) = table.split_once('\n').unwrap();
    assert!(first.contains("format 2"), "{first}");
    let a = fixture("seeds/003.pt.txt");
    let b = fixture("seeds/004.id.txt");
    let run = |file: &str| {
        std::fs::write(dir.join("t.lex"), file).unwrap();
        // The invented words pair none of these sentences: write the beads, which are
        // never empty, since an empty result is an error.
        bitext(&[
            "align",
            "--format",
            "beads",
            "--mode",
            "comparable",
            "--lexicon",
            &dir.str("t.lex"),
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ])
    };
    let current = run(&table);
    assert!(current.status.success(), "{}", stderr(&current));
    assert!(!stderr(&current).contains("earlier bitext"));
    // The first line tables had before formats were numbered.
    let earlier = run(&format!(
        "# bitext lexicon: target key, source key, strength\n{rows}"
    ));
    assert!(earlier.status.success(), "{}", stderr(&earlier));
    let warning = stderr(&earlier);
    assert!(
        warning.contains("t.lex")
            && warning.contains("earlier bitext")
            && warning.contains("--lexicon-out"),
        "{warning}"
    );
    let later = run(&table.replacen("format 2", "format 3", 1));
    assert_eq!(later.status.code(), Some(2), "{}", stderr(&later));
    assert!(
        stderr(&later).contains("later bitext"),
        "{}",
        stderr(&later)
    );
}
