//! The word model's evidence for the beads of a parallel search (Moore 2002): how much
//! likelier each side's words are given the other side under IBM Model 1 than by their own
//! frequency. Shared keys and learned links count the few sure pairs; the model also
//! weighs the grammar words and the many weak pairs, and it tells a bead that explains
//! its words from one that took a neighbour's sentence too: a sentence added to a bead
//! dilutes the probability of every word the others explained.
//!
//! The model is learned from the path the first pass settled on, and a model never weighs
//! the beads it was learned from: the document is cut in two halves, and each half's
//! sentences are weighed by the model of the other half. A model learned from the very
//! beads it weighs explains every word of a bead by that bead's other side, right or
//! wrong, and the confidence rises with nothing learned: on MAC's chapters its ECE went
//! from 0.022 to 0.123 (`scripts/eval-families.py`), with halves it is 0.033. Beads
//! interleaved rather than halves fail the other way: a
//! sentence's neighbours, in the other half, teach the model the pairs of a bead shifted
//! by one (MAC 0.766 strict against 0.810 without the model).
//!
//! A batch of documents of one language pair learns the models from all of them, by the
//! same halves ([`CorpusModel`]): every document's first halves teach the model that weighs
//! the second halves, and the reverse. On MAC's six chapters of six novels aligned as one
//! batch (`scripts/eval-families.py --batch`), strict F1 went from 0.823 to 0.833 (each
//! chapter alone 0.821), ECE 0.019 to 0.015; Text+Berg and the Bible, each cut in four
//! documents (`--chunks 4`), kept 0.912 and 0.945 (0.944), with ECE 0.069 to 0.052 and
//! 0.021 to 0.015.

use super::keys::KeyMap;
use super::lexicon::{BeadSample, MODEL_MIX, WordModel};
use crate::align::lattice::PathBead;

/// Source sentences each side of the path's position that a target sentence's words are
/// weighed against, and the reverse: beads farther from the first pass's path than this
/// get no reward from the model, which is what keeps its table linear in the documents.
const RADIUS: usize = 16;

/// One direction: for each sentence of the generated side, for each of its words, how
/// much the sentences of the given side within [`RADIUS`] of it explain the word (the sum
/// of the word's probabilities given each of their words).
#[derive(Debug, Default)]
struct Direction {
    /// The first given sentence of each generated sentence's window.
    lo: Vec<u32>,
    /// Where each generated sentence's words start in `scale` (one past the last: the next).
    word_start: Vec<u32>,
    /// For each word of each generated sentence: the factor of its explained mass,
    /// `MODEL_MIX / (1 - MODEL_MIX) / frequency`, the form in which comparable mode weighs a
    /// word (there with a table's own mix).
    scale: Vec<f32>,
    /// For each word, `WIDTH` values: what each given sentence of its window explains.
    explained: Vec<f32>,
    /// Words in each given sentence.
    given_words: Vec<u32>,
}

const WIDTH: usize = 2 * RADIUS + 1;

/// A word's partners that the given side holds: their postings, with the probability.
type Resolved<'p> = KeyMap<Vec<(&'p Vec<u32>, f32)>>;

impl Direction {
    /// `models[h]` weighs the generated sentences whose `half` is `h`; `forward` when the
    /// generated side is the target.
    fn build(
        models: [&WordModel; 2],
        forward: bool,
        generated: &[Vec<u64>],
        given: &[Vec<u64>],
        centre: &[usize],
        half: &[usize],
    ) -> Direction {
        let mut postings: KeyMap<Vec<u32>> = KeyMap::default();
        for (h, words) in given.iter().enumerate() {
            for &w in words {
                postings.entry(w).or_default().push(h as u32);
            }
        }
        let frequency = WordModel::frequencies(generated);
        let mut out = Direction {
            given_words: given.iter().map(|w| w.len() as u32).collect(),
            ..Direction::default()
        };
        let mut resolved: [Resolved<'_>; 2] = Default::default();
        for (g, words) in generated.iter().enumerate() {
            let lo = centre[g].saturating_sub(RADIUS);
            let hi = (lo + WIDTH).min(given.len());
            out.lo.push(lo as u32);
            out.word_start.push(out.scale.len() as u32);
            for &w in words {
                out.scale
                    .push((MODEL_MIX / (1.0 - MODEL_MIX) / frequency(w)) as f32);
                let base = out.explained.len();
                out.explained.resize(base + WIDTH, 0.0);
                // A word's partners that the given side holds, resolved once per word.
                let h = half[g];
                let partners = resolved[h].entry(w).or_insert_with(|| {
                    let model = models[h];
                    let partners = if forward {
                        model.forward_partners(w)
                    } else {
                        model.reverse_partners(w)
                    };
                    partners
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|(partner, p)| Some((postings.get(partner)?, *p)))
                        .collect()
                });
                for &(list, p) in partners.iter() {
                    let start = list.partition_point(|&h| (h as usize) < lo);
                    for &h in list[start..].iter().take_while(|&&h| (h as usize) < hi) {
                        out.explained[base + h as usize - lo] += p;
                    }
                }
            }
        }
        out.word_start.push(out.scale.len() as u32);
        out
    }

    /// The log likelihood ratio of generated sentences `g..g + b` given sentences
    /// `h..h + a`, each word's against its own frequency, words left unexplained counting
    /// nothing.
    fn bead(&self, g: usize, b: usize, h: usize, a: usize) -> f64 {
        let given: u32 = self.given_words[h..h + a].iter().sum();
        let share = 1.0 / f64::from(given + 1);
        let mut sum = 0.0;
        for g in g..g + b {
            let lo = self.lo[g] as usize;
            if h + a <= lo || h >= lo + WIDTH {
                continue;
            }
            let (from, to) = (h.max(lo) - lo, (h + a).min(lo + WIDTH) - lo);
            let words = self.word_start[g] as usize..self.word_start[g + 1] as usize;
            for k in words {
                let row = &self.explained[k * WIDTH..(k + 1) * WIDTH];
                let x: f32 = row[from..to].iter().sum();
                if x > 0.0 {
                    sum += ln_1p(f64::from(x * self.scale[k]) * share);
                }
            }
        }
        sum
    }
}

/// `ln(1 + y)` for `y >= 0`, to about 1e-5: the search takes it for every explained word
/// of every bead it scores, where the library's logarithm was a tenth of the alignment's
/// time. The exponent gives the powers of two; the mantissa `m` in [1, 2) the rest, by the
/// series of `ln m = 2 atanh((m - 1) / (m + 1))`, whose argument stays under 1/3.
fn ln_1p(y: f64) -> f64 {
    if y < 0.01 {
        return y - 0.5 * y * y;
    }
    let z = 1.0 + y;
    let bits = z.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let series =
        t * (2.0 + t2 * (2.0 / 3.0 + t2 * (2.0 / 5.0 + t2 * (2.0 / 7.0 + t2 * (2.0 / 9.0)))));
    exponent as f64 * std::f64::consts::LN_2 + series
}

/// The word model's evidence for the beads of one document pair near a path.
#[derive(Debug)]
pub struct ModelEvidence {
    /// Target words given source sentences.
    forward: Direction,
    /// Source words given target sentences.
    reverse: Direction,
    /// The scale of the evidence in a bead's score.
    pub weight: f64,
}

impl ModelEvidence {
    /// The evidence for beads near `path` of the word model learned from `path` itself,
    /// over the sentences' words ([`crate::features::model_words`]).
    ///
    /// The path is cut in two contiguous halves of its beads, and a sentence's words are
    /// weighed by the model learned from the half its bead is not in. A model weighing
    /// the beads it was learned from confirms them whether right or wrong (in a short
    /// document every word of a bead seen once is explained by that bead's other side),
    /// and the confidence would rise with nothing learned.
    pub fn new(
        src: &[Vec<u64>],
        tgt: &[Vec<u64>],
        path: &[PathBead],
        weight: f64,
    ) -> ModelEvidence {
        let middle = path.len() / 2;
        let half_of = |k: usize| usize::from(k >= middle);
        let halves: [Vec<PathBead>; 2] = [0, 1].map(|h| {
            path.iter()
                .enumerate()
                .filter(|(k, _)| half_of(*k) == h)
                .map(|(_, b)| *b)
                .collect()
        });
        // Each half's sentences are weighed by the other half's model.
        let models = [1, 0].map(|h| WordModel::of_path(src, tgt, &halves[h]));
        let mut src_half = vec![0usize; src.len()];
        let mut tgt_half = vec![0usize; tgt.len()];
        for (k, bead) in path.iter().enumerate() {
            for half in &mut tgt_half[bead.j.min(tgt.len())..(bead.j + bead.b).min(tgt.len())] {
                *half = half_of(k);
            }
            for half in &mut src_half[bead.i.min(src.len())..(bead.i + bead.a).min(src.len())] {
                *half = half_of(k);
            }
        }
        let [m0, m1] = &models;
        ModelEvidence::weighed_by([m0, m1], src, tgt, path, &src_half, &tgt_half, weight)
    }

    /// The evidence for beads near `path` of the word models of a corpus that holds this
    /// document pair ([`CorpusModel`]), the pair cut at `cut` as the corpus's models were
    /// learned: each side's sentences before the cut are weighed by the model of the
    /// corpus's second halves, the rest by that of its first halves, so that no sentence is
    /// weighed by a model that saw it, and every document is weighed by what all the
    /// others teach.
    pub(crate) fn of_corpus(
        corpus: &CorpusModel,
        src: &[Vec<u64>],
        tgt: &[Vec<u64>],
        path: &[PathBead],
        cut: Cut,
        weight: f64,
    ) -> ModelEvidence {
        let src_half: Vec<usize> = (0..src.len()).map(|i| usize::from(i >= cut.0)).collect();
        let tgt_half: Vec<usize> = (0..tgt.len()).map(|j| usize::from(j >= cut.1)).collect();
        let [first, second] = &corpus.halves;
        ModelEvidence::weighed_by(
            [second, first],
            src,
            tgt,
            path,
            &src_half,
            &tgt_half,
            weight,
        )
    }

    /// The evidence near `path` with `models[h]` weighing the sentences whose half is `h`.
    fn weighed_by(
        models: [&WordModel; 2],
        src: &[Vec<u64>],
        tgt: &[Vec<u64>],
        path: &[PathBead],
        src_half: &[usize],
        tgt_half: &[usize],
        weight: f64,
    ) -> ModelEvidence {
        // Where the path is at each sentence of either side.
        let mut src_at = vec![0usize; tgt.len()];
        let mut tgt_at = vec![0usize; src.len()];
        for bead in path {
            for at in &mut src_at[bead.j.min(tgt.len())..(bead.j + bead.b).min(tgt.len())] {
                *at = bead.i;
            }
            for at in &mut tgt_at[bead.i.min(src.len())..(bead.i + bead.a).min(src.len())] {
                *at = bead.j;
            }
        }
        ModelEvidence {
            forward: Direction::build(models, true, tgt, src, &src_at, tgt_half),
            reverse: Direction::build(models, false, src, tgt, &tgt_at, src_half),
            weight,
        }
    }

    /// The weighted evidence of the bead of source sentences `i..i + a` and target
    /// sentences `j..j + b` (both sides non-empty).
    pub fn bead(&self, i: usize, j: usize, a: usize, b: usize) -> f64 {
        self.weight * (self.forward.bead(j, b, i, a) + self.reverse.bead(i, a, j, b))
    }
}

/// Where a document pair is cut in two for cross-fitted word models: the first source and
/// the first target sentence of its second half.
pub(crate) type Cut = (usize, usize);

/// Where `path`'s second half starts: at its middle bead.
pub(crate) fn cut_of(path: &[PathBead]) -> Cut {
    path.get(path.len() / 2).map_or((0, 0), |b| (b.i, b.j))
}

/// The words of the confident beads of many document pairs' paths, each pair cut in two
/// ([`Cut`]): what a [`CorpusModel`] is learned from. Samples add up in order, as
/// [`BeadSample`]s do.
#[derive(Debug, Clone, Default)]
pub struct HalfSample {
    /// The beads wholly before each pair's cut, and those wholly after it; a bead that
    /// straddles the cut is in neither, so that no sentence teaches the model that weighs it.
    halves: [BeadSample; 2],
    /// The document pairs added.
    documents: usize,
}

impl HalfSample {
    /// The confident beads of `path`, an alignment of the sentences' words `src` and `tgt`,
    /// on either side of `cut`.
    pub(crate) fn of(src: &[Vec<u64>], tgt: &[Vec<u64>], path: &[PathBead], cut: Cut) -> Self {
        let side = |before: bool| -> Vec<PathBead> {
            path.iter()
                .filter(|b| {
                    if before {
                        b.i + b.a <= cut.0 && b.j + b.b <= cut.1
                    } else {
                        b.i >= cut.0 && b.j >= cut.1
                    }
                })
                .copied()
                .collect()
        };
        let mut halves: [BeadSample; 2] = Default::default();
        halves[0].add_words(src, tgt, &side(true));
        halves[1].add_words(src, tgt, &side(false));
        HalfSample {
            halves,
            documents: 1,
        }
    }

    /// Adds another sample, in order.
    pub fn extend(&mut self, other: HalfSample) {
        let [first, second] = other.halves;
        self.halves[0].extend(first);
        self.halves[1].extend(second);
        self.documents += other.documents;
    }
}

/// The word models of a corpus of document pairs of one language pair, cross-fitted by
/// halves: one learned from the first halves of all the pairs, one from their second
/// halves. A pair's own model learns from half a document; the corpus's from half of every
/// document, the common words and the grammar words of the language pair seen many times
/// over.
#[derive(Debug, Clone, Default)]
pub struct CorpusModel {
    halves: [WordModel; 2],
}

impl CorpusModel {
    /// The models of a sample of at least two document pairs; `None` for fewer, where the
    /// corpus is the document itself and its own halves weigh it
    /// ([`ModelEvidence::new`]).
    pub fn learn(sample: HalfSample) -> Option<CorpusModel> {
        (sample.documents >= 2).then(|| CorpusModel {
            halves: sample.halves.map(WordModel::of_sample),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::tests::one_to_one;
    use super::*;

    #[test]
    fn the_fast_logarithm_agrees_with_the_library() {
        for k in 0..2000 {
            let y = f64::from(k) * 0.37 + f64::from(k % 7) * 1e-4;
            let (fast, exact) = (ln_1p(y), y.ln_1p());
            assert!((fast - exact).abs() < 2e-5, "{y}: {fast} {exact}");
        }
        assert!((ln_1p(1e7) - 1e7f64.ln_1p()).abs() < 2e-5);
    }

    /// Sentence `k` of each side holds a word of its own and two grammar words; the
    /// target's translate the source's one to one.
    fn documents(n: usize) -> (Vec<Vec<u64>>, Vec<Vec<u64>>, Vec<PathBead>) {
        let side = |base: u64| -> Vec<Vec<u64>> {
            (0..n as u64)
                .map(|k| {
                    let mut words = vec![base + k, base + 500 + k % 7, base + 600 + k % 5];
                    words.sort_unstable();
                    words
                })
                .collect()
        };
        (side(1_000), side(10_000), one_to_one(n))
    }

    #[test]
    fn a_bead_that_explains_its_words_beats_a_wrong_pair_and_a_bead_with_a_neighbour() {
        let (src, tgt, path) = documents(80);
        let evidence = ModelEvidence::new(&src, &tgt, &path, 1.0);
        let right = evidence.bead(40, 40, 1, 1);
        let wrong = evidence.bead(40, 41, 1, 1);
        let swallowed = evidence.bead(40, 40, 1, 2);
        assert!(right > 1.0, "{right}");
        assert!(
            right > swallowed && swallowed > wrong,
            "{right} {swallowed} {wrong}"
        );
        // Far from the path the model says nothing, for or against.
        assert_eq!(evidence.bead(0, 79, 1, 1), 0.0);
    }

    /// Each sentence's words, of the source and of the target.
    type Words = (Vec<Vec<u64>>, Vec<Vec<u64>>);

    /// Sentences whose words are theirs alone, on each side: `words[k]` of source
    /// sentence `k`, translated by `words[k] + 50_000` in target sentence `k`.
    fn unique(words: &[u64]) -> Words {
        let side = |offset: u64| words.iter().map(|&w| vec![w + offset]).collect();
        (side(0), side(50_000))
    }

    /// The corpus models of documents aligned one to one, each cut at its middle.
    fn corpus(documents: &[Words]) -> CorpusModel {
        let mut sample = HalfSample::default();
        for (src, tgt) in documents {
            let path = one_to_one(src.len());
            sample.extend(HalfSample::of(src, tgt, &path, cut_of(&path)));
        }
        CorpusModel::learn(sample).expect("two documents or more")
    }

    #[test]
    fn a_corpus_weighs_a_document_by_what_the_other_documents_teach_and_never_by_itself() {
        // A document whose every word is seen once: its own halves cannot explain a word
        // of the other half.
        let words: Vec<u64> = (0..40).collect();
        let (src, tgt) = unique(&words);
        let path = one_to_one(40);
        let cut = cut_of(&path);
        let alone = ModelEvidence::new(&src, &tgt, &path, 1.0);
        assert_eq!(alone.bead(30, 30, 1, 1), 0.0);
        // With an unrelated document, the corpus still never weighs a sentence by a model
        // that saw it.
        let unrelated = unique(&(1000..1040).collect::<Vec<u64>>());
        let models = corpus(&[(src.clone(), tgt.clone()), unrelated]);
        let evidence = ModelEvidence::of_corpus(&models, &src, &tgt, &path, cut, 1.0);
        for k in 0..40 {
            assert_eq!(evidence.bead(k, k, 1, 1), 0.0, "sentence {k}");
        }
        // Another document that holds the same sentences in the other order teaches every
        // pair in the half that weighs each sentence of the first.
        let rotated: Vec<u64> = (20..40).chain(0..20).collect();
        let models = corpus(&[(src.clone(), tgt.clone()), unique(&rotated)]);
        let evidence = ModelEvidence::of_corpus(&models, &src, &tgt, &path, cut, 1.0);
        for k in [5, 30] {
            let right = evidence.bead(k, k, 1, 1);
            assert!(right > 1.0, "sentence {k}: {right}");
            assert!(evidence.bead(k, k + 1, 1, 1) < right);
        }
    }

    #[test]
    fn a_corpus_of_one_document_is_no_corpus() {
        let (src, tgt) = unique(&(0..10).collect::<Vec<u64>>());
        let path = one_to_one(10);
        assert!(CorpusModel::learn(HalfSample::of(&src, &tgt, &path, cut_of(&path))).is_none());
    }
}
