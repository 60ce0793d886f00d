//! Integration tests: the aligner on the gold fixtures in `alignments/`, its invariants,
//! and the `align` command on bad input.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use bitext::eval::align::{GoldBead, count, parse_beads};
use bitext::{Aligner, Alignment, Document, Mode};
use proptest::prelude::*;

use crate::util::*;

fn alignments() -> PathBuf {
    root().join("alignments")
}

fn presegmented(path: &Path) -> Document {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Document::presegmented(text, "und")
}

fn as_gold(alignment: &Alignment) -> Vec<GoldBead> {
    alignment.beads.iter().map(GoldBead::from).collect()
}

/// EN-FR same-fact pairs: (en, fr, strong).
fn parse_pairs(path: &Path) -> Vec<(usize, usize, bool)> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (
                cols[0].parse().unwrap(),
                cols[1].parse().unwrap(),
                cols[2] == "strong",
            )
        })
        .collect()
}

fn metric(mode: Mode, src: &Path, tgt: &Path, gold: &Path, name: &str) -> f64 {
    let aligner = Aligner::builder().mode(mode).build().unwrap();
    let alignment = aligner.align(&presegmented(src), &presegmented(tgt));
    if gold.extension().is_some_and(|e| e == "pairs") {
        let listed = parse_pairs(gold);
        let is_listed = |i: usize, j: usize| listed.iter().any(|&(a, b, _)| a == i && b == j);
        let pairs: Vec<(usize, usize, f64)> = alignment
            .beads
            .iter()
            .filter(|b| b.is_pair())
            .flat_map(|b| {
                let c = b.confidence;
                b.src
                    .clone()
                    .flat_map(move |i| b.tgt.clone().map(move |j| (i, j, c)))
            })
            .collect();
        let bead_right = |b: &bitext::Bead| {
            b.src
                .clone()
                .any(|i| b.tgt.clone().any(|j| is_listed(i, j)))
        };
        return match name {
            "precision_at_0.5" => {
                let confident: Vec<_> = alignment
                    .beads
                    .iter()
                    .filter(|b| b.is_pair() && b.confidence >= 0.5)
                    .collect();
                if confident.is_empty() {
                    1.0
                } else {
                    confident.iter().filter(|b| bead_right(b)).count() as f64
                        / confident.len() as f64
                }
            }
            "strong_found" => {
                let strong: Vec<_> = listed.iter().filter(|p| p.2).collect();
                let found = strong
                    .iter()
                    .filter(|&&&(i, j, _)| pairs.iter().any(|&(a, b, _)| a == i && b == j))
                    .count();
                found as f64 / strong.len() as f64
            }
            "max_wrong_confidence" => alignment
                .beads
                .iter()
                .filter(|b| b.is_pair() && !bead_right(b))
                .map(|b| b.confidence)
                .fold(0.0, f64::max),
            other => panic!("unknown metric {other}"),
        };
    }
    let gold_beads = parse_beads(&std::fs::read_to_string(gold).unwrap(), gold).unwrap();
    let scores = count(&gold_beads, &as_gold(&alignment)).scores();
    match name {
        "strict_f1" => scores.f1_strict,
        "lax_f1" => scores.f1_lax,
        other => panic!("unknown metric {other}"),
    }
}

#[test]
fn seed_fixtures_meet_their_thresholds() {
    let table = std::fs::read_to_string(alignments().join("thresholds.tsv")).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in table
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 7, "thresholds.tsv: bad row {line:?}");
        let mode = match cols[1] {
            "parallel" => Mode::Parallel,
            "comparable" => Mode::Comparable,
            other => panic!("bad mode {other}"),
        };
        let dir = alignments();
        let value = metric(
            mode,
            &dir.join(cols[2]),
            &dir.join(cols[3]),
            &dir.join(cols[4]),
            cols[5],
        );
        let bound: f64 = cols[6].parse().unwrap();
        let ok = if cols[5] == "max_wrong_confidence" {
            value <= bound + 1e-9
        } else {
            value >= bound - 1e-9
        };
        if !ok {
            failures.push(format!(
                "{} {} {}: {value:.3} against {bound}",
                cols[0], cols[1], cols[5]
            ));
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} rows");
    assert!(failures.is_empty(), "regressions:\n{}", failures.join("\n"));
}

/// A long document made by repeating the PT-ID seed translation: long enough that the
/// aligner searches coarse to fine, and with an exact answer.
#[test]
fn long_documents_are_aligned_through_the_band() {
    let src = std::fs::read_to_string(alignments().join("seeds/003.pt.sent")).unwrap();
    let tgt = std::fs::read_to_string(alignments().join("seeds/004.id.sent")).unwrap();
    let copies = 50;
    let src = Document::presegmented(src.repeat(copies), "pt");
    let tgt = Document::presegmented(tgt.repeat(copies), "id");
    assert_eq!(src.len(), 17 * copies);
    let alignment = Aligner::default().align(&src, &tgt);
    let diagonal = alignment
        .beads
        .iter()
        .filter(|b| b.src.len() == 1 && b.tgt.len() == 1 && b.src.start == b.tgt.start)
        .count();
    assert_eq!(
        diagonal,
        17 * copies,
        "every sentence paired with its translation"
    );
}

#[test]
fn an_empty_side_leaves_every_sentence_unaligned() {
    let src = presegmented(&alignments().join("seeds/003.pt.sent"));
    let empty = Document::presegmented(String::new(), "id");
    let alignment = Aligner::default().align(&src, &empty);
    assert_eq!(alignment.beads.len(), src.len());
    assert!(
        alignment
            .beads
            .iter()
            .all(|b| b.tgt.is_empty() && b.src.len() == 1)
    );
}

#[test]
fn comparable_mode_pairs_each_sentence_at_most_once() {
    let dir = alignments().join("seeds");
    let aligner = Aligner::builder().mode(Mode::Comparable).build().unwrap();
    let alignment = aligner.align(
        &presegmented(&dir.join("002.en.sent")),
        &presegmented(&dir.join("001.fr.sent")),
    );
    let mut seen_src = HashSet::new();
    let mut seen_tgt = HashSet::new();
    for bead in &alignment.beads {
        assert!(bead.src.clone().all(|i| seen_src.insert(i)));
        assert!(bead.tgt.clone().all(|j| seen_tgt.insert(j)));
    }
    assert_eq!(seen_src.len(), 11);
    assert_eq!(seen_tgt.len(), 21);
}

/// Sentences that share nothing with each other or with the tests' sentences, so that a
/// name in one test sentence is rare in its document.
const EN_FILLER: &str = "The weather was mild all week.\nSchools closed early on Friday.\n\
    A new bakery opened downtown.\nTrains ran late again.\nThe river flooded twice.\n\
    Prices of bread went up.\n";
const FR_FILLER: &str = "Il a plu toute la semaine.\nLes écoles ont fermé vendredi.\n\
    Une boulangerie a ouvert.\nLes trains avaient du retard.\nLa rivière a débordé deux fois.\n\
    Le prix du pain a augmenté.\n";

/// The comparable-mode alignment of two small documents, each followed by its filler.
fn comparable(src: &str, tgt: &str) -> Alignment {
    let aligner = Aligner::builder().mode(Mode::Comparable).build().unwrap();
    aligner.align(
        &Document::presegmented(format!("{src}{EN_FILLER}"), "en"),
        &Document::presegmented(format!("{tgt}{FR_FILLER}"), "fr"),
    )
}

/// The target paired with source sentence `i`, and the pair's lexical evidence.
fn partner(alignment: &Alignment, i: usize) -> Option<(usize, f64)> {
    alignment
        .beads
        .iter()
        .find(|b| b.src == (i..i + 1) && b.is_pair())
        .map(|b| (b.tgt.start, b.evidence.lexical + b.evidence.numbers))
}

#[test]
fn comparable_mode_links_a_sentence_whose_best_partner_is_taken() {
    // Both source sentences match target 0 best (all five names for source 1, four for source
    // 0). Target 1 shares two of source 0's names: its best partner once target 0 is taken,
    // which mutual best matches would never pair.
    let src = "Ostrava and Brno signed the Vltava accord with Olomouc.\n\
               Ostrava, Brno, Olomouc and Plzen signed the Vltava accord.\n";
    let tgt = "Ostrava, Brno, Olomouc et Plzen ont signé l'accord de la Vltava.\n\
               Le maire d'Ostrava et d'Olomouc a salué l'accord.\n";
    let alignment = comparable(src, tgt);
    assert_eq!(partner(&alignment, 1).map(|p| p.0), Some(0));
    let (target, evidence) = partner(&alignment, 0).expect("source 0 is paired");
    assert_eq!(target, 1);
    assert!(evidence > 0.0, "{evidence}");
}

#[test]
fn comparable_mode_pairs_a_long_sentence_with_a_short_one() {
    // Independently written sentences need not agree in length: a long run-on sentence that
    // shares rare names with a short one is still a candidate.
    let src = "Quarterly figures from Vindelko show that Zerbatti and Mollander, the two founders \
               of the company, sold their remaining shares to a fund based in Lisbon last spring, \
               while the board argued for months over the future of the factory and its workers \
               and the unions threatened a long strike over pensions and wages, and the mayor \
               of the town, worried about the jobs of so many families, called on the new owners \
               to keep the factory open for at least another decade.\n";
    // The second target sentence keeps the documents' lengths even.
    let tgt = "Zerbatti et Mollander ont vendu Vindelko.\n\
               Au printemps, les habitants du quartier ont planté des arbres le long du canal, \
               repeint la salle des fêtes, réparé le toit de la bibliothèque et organisé une \
               grande fête pour les enfants avec des jeux, de la musique et un concert qui a \
               duré toute la nuit, au grand plaisir des voisins venus de loin.\n";
    let (target, evidence) = partner(&comparable(src, tgt), 0).expect("source 0 is paired");
    assert_eq!(target, 0);
    assert!(evidence > 1.0, "{evidence}");
}

/// Checks that beads cover both sides once, in order (parallel mode), with confidences in [0, 1].
fn assert_valid(alignment: &Alignment, n: usize, m: usize) {
    let (mut i, mut j) = (0, 0);
    for bead in &alignment.beads {
        assert_eq!(bead.src.start, i, "source in order and without gaps");
        assert_eq!(bead.tgt.start, j, "target in order and without gaps");
        assert!(!(bead.src.is_empty() && bead.tgt.is_empty()));
        assert!(
            (0.0..=1.0).contains(&bead.confidence),
            "{}",
            bead.confidence
        );
        i = bead.src.end;
        j = bead.tgt.end;
    }
    assert_eq!((i, j), (n, m), "every sentence in a bead");
}

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("Telegram".to_owned()),
            Just("Kazakhstan".to_owned()),
            Just("2024".to_owned()),
            Just("12,5".to_owned()),
            Just("governo".to_owned()),
            Just("the".to_owned()),
            Just("office".to_owned()),
            Just("escritório".to_owned()),
            Just("«quoted»".to_owned()),
            Just("why?".to_owned()),
            "[a-zà-ü]{1,12}",
        ],
        1..25,
    )
    .prop_map(|words| words.join(" "))
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(sentence(), 0..40).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn alignments_cover_every_sentence_once_in_order(src in document(), tgt in document()) {
        let src = Document::presegmented(src, "pt");
        let tgt = Document::presegmented(tgt, "id");
        let alignment = Aligner::default().align(&src, &tgt);
        assert_valid(&alignment, src.len(), tgt.len());
        let again = Aligner::default().align(&src, &tgt);
        prop_assert_eq!(alignment, again, "identical output for identical input");
    }

    #[test]
    fn comparable_confidences_are_probabilities(src in document(), tgt in document()) {
        let src = Document::presegmented(src, "en");
        let tgt = Document::presegmented(tgt, "fr");
        let aligner = Aligner::builder().mode(Mode::Comparable).build().unwrap();
        let alignment = aligner.align(&src, &tgt);
        let covered_src: usize = alignment.beads.iter().map(|b| b.src.len()).sum();
        let covered_tgt: usize = alignment.beads.iter().map(|b| b.tgt.len()).sum();
        prop_assert_eq!((covered_src, covered_tgt), (src.len(), tgt.len()));
        prop_assert!(alignment.beads.iter().all(|b| (0.0..=1.0).contains(&b.confidence)));
    }
}

#[test]
fn builder_rejects_bad_bead_types() {
    assert!(Aligner::builder().bead_types(&[(1, 2)]).build().is_err());
    assert!(
        Aligner::builder()
            .bead_types(&[(1, 1), (5, 1)])
            .build()
            .is_err()
    );
    assert!(Aligner::builder().temperature(0.0).build().is_err());
    let only_one_to_one = Aligner::builder()
        .bead_types(&[(1, 1), (1, 0), (0, 1)])
        .build()
        .unwrap();
    let dir = alignments().join("seeds");
    let a = only_one_to_one.align(
        &presegmented(&dir.join("002.en.sent")),
        &presegmented(&dir.join("003.pt.sent")),
    );
    assert!(a.beads.iter().all(|b| b.src.len() <= 1 && b.tgt.len() <= 1));
}

#[test]
fn cli_beads_cover_both_sides() {
    let dir = alignments().join("seeds");
    let out = bitext(&[
        "align",
        "--presegmented",
        "--format",
        "beads",
        dir.join("003.pt.sent").to_str().unwrap(),
        dir.join("004.id.sent").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let beads = parse_beads(&stdout(&out), Path::new("stdout")).unwrap();
    assert_eq!(beads.len(), 17);
    assert!(beads.iter().all(|b| b.confidence.is_some_and(|c| c > 0.5)));
}

#[test]
fn cli_empty_side_warns_and_succeeds() {
    let empty = std::env::temp_dir().join(format!("bitext-empty-{}.txt", std::process::id()));
    std::fs::write(&empty, "").unwrap();
    let src = fixture("seeds/003.pt.txt");
    let out = bitext(&[
        "align",
        "--include-unaligned",
        src.to_str().unwrap(),
        empty.to_str().unwrap(),
    ]);
    std::fs::remove_file(&empty).ok();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("no sentences"), "{}", stderr(&out));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_owned).collect();
    assert!(!lines.is_empty());
    assert!(
        lines.iter().all(|l| l.split('\t').nth(1) == Some("")),
        "target side empty"
    );
}

#[test]
fn cli_invalid_utf8_names_file_and_offset() {
    let bad = std::env::temp_dir().join(format!("bitext-bad-{}.txt", std::process::id()));
    std::fs::write(&bad, b"Uma frase.\nOutra \xff frase.\n").unwrap();
    let good = fixture("seeds/004.id.txt");
    let out = bitext(&["align", bad.to_str().unwrap(), good.to_str().unwrap()]);
    std::fs::remove_file(&bad).ok();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bitext-bad-") && err.contains("byte offset 17"),
        "{err}"
    );
}

#[test]
fn cli_rejects_out_of_range_confidence() {
    let f = fixture("seeds/004.id.txt");
    let out = bitext(&[
        "align",
        "--min-confidence",
        "1.5",
        f.to_str().unwrap(),
        f.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cli_survives_a_huge_line_and_a_lopsided_pair() {
    let dir = std::env::temp_dir();
    let huge = dir.join(format!("bitext-huge-{}.txt", std::process::id()));
    let long = dir.join(format!("bitext-long-{}.txt", std::process::id()));
    // A 1 MB line without punctuation, and a side 100 times longer than the other.
    std::fs::write(&huge, "palavra ".repeat(128 * 1024)).unwrap();
    let pt = std::fs::read_to_string(alignments().join("seeds/003.pt.sent")).unwrap();
    std::fs::write(&long, pt.repeat(100)).unwrap();
    let id = alignments().join("seeds/004.id.sent");
    for (a, b) in [(&huge, id.as_path()), (&long, id.as_path())] {
        let out = bitext(&[
            "align",
            "--presegmented",
            "--format",
            "beads",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let beads = parse_beads(&stdout(&out), Path::new("stdout")).unwrap();
        let covered: usize = beads.iter().map(|b| b.tgt.len()).sum();
        assert_eq!(covered, 17);
    }
    std::fs::remove_file(&huge).ok();
    std::fs::remove_file(&long).ok();
}

/// The search scores blocks of the band on rayon's threads: the alignment, every
/// confidence to the last bit included, must not depend on how many there are. A long
/// document with a stretch missing, so that the band is wide in places and many blocks are
/// scored.
#[test]
fn alignment_is_the_same_on_one_thread_and_on_two() {
    let src = std::fs::read_to_string(alignments().join("seeds/003.pt.sent")).unwrap();
    let tgt = std::fs::read_to_string(alignments().join("seeds/004.id.sent")).unwrap();
    let src: Vec<&str> = src.lines().collect();
    let tgt: Vec<&str> = tgt.lines().collect();
    // Each copy in another order, with 40 target sentences lost in the middle.
    let copies = 60;
    let order = |lines: &[&str], k: usize| {
        let (copy, t) = (k / lines.len(), k % lines.len());
        lines[(t * (1 + copy % (lines.len() - 1)) + copy) % lines.len()].to_owned()
    };
    let total = src.len() * copies;
    let src_text: Vec<String> = (0..total).map(|k| order(&src, k)).collect();
    let tgt_text: Vec<String> = (0..total)
        .filter(|k| !(500..540).contains(k))
        .map(|k| order(&tgt, k))
        .collect();
    let src = Document::presegmented(src_text.join("\n"), "pt");
    let tgt = Document::presegmented(tgt_text.join("\n"), "id");
    let on = |threads: usize| -> Alignment {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| Aligner::default().align(&src, &tgt))
    };
    let one = on(1);
    assert!(one.beads.len() > 900);
    assert_eq!(one, on(2));
}

/// A long document whose translation lost a stretch of sentences, aligned through the band. Each copy of the seed text takes its sentences in another order, so that the copies
/// are not interchangeable (a periodic text has many right answers).
#[test]
fn long_documents_survive_an_omission() {
    let read = |name: &str| -> Vec<String> {
        std::fs::read_to_string(alignments().join("seeds").join(name))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    };
    let (src, tgt) = (read("003.pt.sent"), read("004.id.sent"));
    // Copy c takes sentence (t * step + c) mod 17 at position t, with a step prime to 17.
    let numbered = |lines: &[String], k: usize| {
        let (copy, t) = (k / lines.len(), k % lines.len());
        let step = 1 + copy % (lines.len() - 1);
        lines[(t * step + copy) % lines.len()].clone()
    };
    let total = src.len() * 50;
    let lost = 400..430;
    let kept: Vec<usize> = (0..total).filter(|j| !lost.contains(j)).collect();
    let src_text: Vec<String> = (0..total).map(|k| numbered(&src, k)).collect();
    let tgt_text: Vec<String> = kept.iter().map(|&k| numbered(&tgt, k)).collect();
    let src_doc = Document::presegmented(src_text.join("\n"), "pt");
    let tgt_doc = Document::presegmented(tgt_text.join("\n"), "id");
    let alignment = Aligner::default().align(&src_doc, &tgt_doc);
    let right = alignment
        .beads
        .iter()
        .filter(|b| b.src.len() == 1 && b.tgt.len() == 1 && kept[b.tgt.start] == b.src.start)
        .count();
    let dropped = alignment
        .beads
        .iter()
        .filter(|b| b.tgt.is_empty() && lost.contains(&b.src.start))
        .count();
    // A few sentences at the edges of the gap may pair differently: identical sentences of
    // other copies stand near it.
    assert!(
        right + 5 >= kept.len(),
        "{right} of {} pairs right",
        kept.len()
    );
    assert!(
        dropped + 5 >= lost.len(),
        "{dropped} of {} omissions found",
        lost.len()
    );
}

/// Short documents leave the length model little to go on: unrelated sentences must not get
/// high confidence just because a monotone path pairs them, while shared numbers still count.
#[test]
fn short_unrelated_documents_get_no_high_confidence() {
    let en = Document::presegmented(
        "The cat sat on the mat.\nIt was a sunny day in spring.\nMy brother likes apples.".into(),
        "en",
    );
    let fr = Document::presegmented(
        "Le gouvernement a annoncé 5 milliards de dollars.\nLa Bourse a chuté de 3 % hier.\nLe match a été reporté à dimanche.".into(),
        "fr",
    );
    let unrelated = Aligner::default().align(&en, &fr);
    assert!(
        unrelated.beads.iter().all(|b| b.confidence < 0.5),
        "{:?}",
        unrelated.beads
    );
    let pt = Document::presegmented(
        "O governo anunciou 5 bilhões de dólares em 2024.\nA bolsa caiu 3,5% ontem, segundo a Reuters.\nO ministro Zhaslan Madiyev visitou Astana.\nA Telegram tem 12,5 milhões de usuários.".into(),
        "pt",
    );
    let id = Document::presegmented(
        "Pemerintah mengumumkan 5 miliar dolar pada 2024.\nBursa turun 3,5% kemarin, menurut Reuters.\nMenteri Zhaslan Madiyev mengunjungi Astana.\nTelegram memiliki 12,5 juta pengguna.".into(),
        "id",
    );
    let related = Aligner::default().align(&pt, &id);
    assert!(
        related
            .beads
            .iter()
            .all(|b| b.is_pair() && b.confidence > 0.8),
        "{:?}",
        related.beads
    );
}

/// Cyrillic names and loanwords meet their Latin-script cognates, so an English-Russian
/// translation is recognised as one and aligned with confidence, not left to length alone.
#[test]
fn a_russian_translation_is_aligned_through_its_names() {
    let en = Document::presegmented(
        "Telegram will open an office in Kazakhstan.\n\
         Minister Zhaslan Madiyev announced the decision in Astana.\n\
         More than half of the population uses the messenger every month.\n\
         The company also discussed fraud and fake accounts with Meta and Google.\n\
         Pavel Durov has been under investigation in France since August."
            .into(),
        "en",
    );
    let ru = Document::presegmented(
        "Телеграм откроет офис в Казахстане.\n\
         Министр Жаслан Мадиев объявил об этом решении в Астане.\n\
         Больше половины населения пользуется мессенджером каждый месяц.\n\
         Компания также обсудила мошенничество и фальшивые аккаунты с Мета и Гугл.\n\
         С августа Павел Дуров находится под следствием во Франции."
            .into(),
        "ru",
    );
    let alignment = Aligner::default().align(&en, &ru);
    assert!(!alignment.looks_comparable);
    let pairs: Vec<(usize, usize)> = alignment
        .beads
        .iter()
        .map(|b| (b.src.start, b.tgt.start))
        .collect();
    assert_eq!(pairs, (0..5).map(|k| (k, k)).collect::<Vec<_>>());
    for bead in &alignment.beads {
        assert!(bead.evidence.lexical > 0.0, "no shared key: {bead:?}");
        assert!(bead.confidence > 0.5, "{bead:?}");
    }
}

/// Names in Han characters meet their pinyin, so a Chinese-English translation is aligned
/// with shared keys in every bead, not on length alone.
#[test]
fn a_chinese_translation_is_aligned_through_its_names() {
    let zh = Document::presegmented(
        "李明远在北京开了一家小书店。\n\
         赵雪晴每天早上都去那里买报纸。\n\
         孙浩说上海的书比这里贵。\n\
         周文静把她的自行车停在门口。\n\
         后来，李明远和赵雪晴一起去了上海。"
            .into(),
        "zh",
    );
    let en = Document::presegmented(
        "Li Mingyuan opened a small bookshop in Beijing.\n\
         Every morning Zhao Xueqing went there to buy a newspaper.\n\
         Sun Hao said that books in Shanghai cost more than here.\n\
         Zhou Wenjing left her bicycle at the door.\n\
         Later, Li Mingyuan and Zhao Xueqing went to Shanghai together."
            .into(),
        "en",
    );
    let alignment = Aligner::default().align(&zh, &en);
    let pairs: Vec<(usize, usize)> = alignment
        .beads
        .iter()
        .map(|b| (b.src.start, b.tgt.start))
        .collect();
    assert_eq!(pairs, (0..5).map(|k| (k, k)).collect::<Vec<_>>());
    for bead in &alignment.beads {
        assert!(bead.evidence.lexical > 0.0, "no shared key: {bead:?}");
    }
}
