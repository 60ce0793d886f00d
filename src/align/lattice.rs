//! A banded alignment lattice: Viterbi path and forward-backward posteriors.
//!
//! Nodes are grid points `(i, j)`: `i` source and `j` target sentences consumed. A bead
//! of type `(a, b)` is an edge from `(i - a, j - b)` to `(i, j)`. Only the points inside a
//! band (per row, a column interval whose bounds never decrease) exist, so memory and
//! time are proportional to the band's area, not to `n × m`.

/// Per-row column intervals of the lattice, inclusive, with non-decreasing bounds.
#[derive(Debug, Clone)]
pub struct Band {
    lo: Vec<usize>,
    hi: Vec<usize>,
    offset: Vec<usize>,
}

impl Band {
    /// Every grid point of an `n × m` lattice.
    pub fn full(n: usize, m: usize) -> Band {
        Band::new(vec![0; n + 1], vec![m; n + 1])
    }

    fn new(lo: Vec<usize>, hi: Vec<usize>) -> Band {
        let mut offset = Vec::with_capacity(lo.len() + 1);
        let mut total = 0;
        for (l, h) in lo.iter().zip(&hi) {
            offset.push(total);
            total += h - l + 1;
        }
        offset.push(total);
        Band { lo, hi, offset }
    }

    /// The band around a path of grid points, widened on every side by the width given
    /// for each point (a segment takes the larger width of its two ends).
    pub fn around_path(path: &[(usize, usize)], widths: &[usize], n: usize, m: usize) -> Band {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0usize; n + 1];
        let mut row_width = vec![0usize; n + 1];
        for (k, pair) in path.windows(2).enumerate() {
            let (i0, j0) = pair[0];
            let (i1, j1) = pair[1];
            let width = widths[k].max(widths[k + 1]);
            let (r0, r1) = (i0.min(n), i1.min(n));
            let (c0, c1) = (j0.min(m), j1.min(m));
            for r in r0..=r1 {
                lo[r] = lo[r].min(c0);
                hi[r] = hi[r].max(c1);
                row_width[r] = row_width[r].max(width);
            }
        }
        // Row `r`'s interval, widened by its width `w`, covers rows `r - w` to `r + w`. Once
        // the bounds are made monotone, so that every point can reach the end and be
        // reached, row `x`'s lower bound is the least `lo[r] - w` over the rows with
        // `r + w >= x`, and its upper bound the greatest `hi[r] + w` over the rows with
        // `r - w <= x`: a suffix minimum and a prefix maximum, linear in the rows whatever
        // the widths.
        let mut wide_lo = vec![usize::MAX; n + 1];
        let mut wide_hi = vec![0usize; n + 1];
        for r in 0..=n {
            if lo[r] == usize::MAX {
                continue;
            }
            let width = row_width[r];
            let (first, last) = (r.saturating_sub(width), (r + width).min(n));
            wide_lo[last] = wide_lo[last].min(lo[r].saturating_sub(width));
            wide_hi[first] = wide_hi[first].max((hi[r] + width).min(m));
        }
        wide_lo[0] = 0;
        wide_hi[n] = m;
        for r in (0..n).rev() {
            wide_lo[r] = wide_lo[r].min(wide_lo[r + 1]);
        }
        for r in 1..=n {
            wide_hi[r] = wide_hi[r].max(wide_hi[r - 1]);
        }
        for r in 0..=n {
            wide_lo[r] = wide_lo[r].min(m);
            wide_hi[r] = wide_hi[r].max(wide_lo[r]);
        }
        Band::new(wide_lo, wide_hi)
    }

    /// The number of grid points.
    pub fn area(&self) -> usize {
        self.offset[self.offset.len() - 1]
    }

    fn index(&self, i: usize, j: usize) -> Option<usize> {
        if i < self.lo.len() && j >= self.lo[i] && j <= self.hi[i] {
            Some(self.offset[i] + j - self.lo[i])
        } else {
            None
        }
    }
}

/// A bead on the best path, with its raw score and posterior probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathBead {
    /// First source index.
    pub i: usize,
    /// First target index.
    pub j: usize,
    /// Source sentences in the bead.
    pub a: usize,
    /// Target sentences in the bead.
    pub b: usize,
    /// Raw score (log scale).
    pub score: f64,
    /// Posterior probability of this exact bead, given the lattice.
    pub posterior: f64,
}

/// `ln(Σ exp(v))` with one logarithm; terms more than 30 below the largest (a factor of
/// 10⁻¹³) are left out.
pub(crate) fn log_sum_exp(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    let mut sum = 0.0;
    for &v in values {
        let d = v - max;
        if d > -30.0 {
            sum += exp_near(d);
        }
    }
    max + sum.ln()
}

/// `exp(d)` for `d` in (-30, 0], inline: within a few units in the last place of
/// `f64::exp`, whose call to libm took a tenth of an alignment's time in the lattice's
/// two passes.
fn exp_near(d: f64) -> f64 {
    // exp(d) = 2^k · exp(r) with r = d - k·ln 2 in [-ln 2 / 2, ln 2 / 2].
    const LOG2_E: f64 = std::f64::consts::LOG2_E;
    // ln 2 in two parts, the first with its low bits clear, so that k · LN2_HI is exact.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    // The nearest integer to d · log2 e, which is not positive: truncation of a negative
    // number rounds up.
    let k = (d * LOG2_E - 0.5) as i64 as f64;
    let r = (d - k * LN2_HI) - k * LN2_LO;
    // Taylor to r^12 / 12!: below 1e-16 relative on |r| <= 0.35.
    let mut p = 1.0 / 479_001_600.0;
    for c in [
        1.0 / 39_916_800.0,
        1.0 / 3_628_800.0,
        1.0 / 362_880.0,
        1.0 / 40_320.0,
        1.0 / 5_040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
        1.0,
        1.0,
    ] {
        p = p * r + c;
    }
    // 2^k by its exponent bits: k lies in [-44, 0].
    p * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// The most bead types a lattice takes (every pair of 0 to 4 sentences but 0-0).
pub const MAX_TYPES: usize = 24;

/// Steps per unit of score in the fixed point that scores are kept in for the backward pass.
const STEPS: f64 = 512.0;

/// The fixed point of a bead that is impossible (a score of negative infinity).
const IMPOSSIBLE: i16 = i16::MIN;

/// The fixed point of a score beyond ±64, too far out to keep: the backward pass asks for
/// it again. On the Text+Berg books, two beads in a thousand score that high (long
/// sentences that share many rare words) and none that low (the length evidence gives up
/// on hopeless beads before that).
const OUT_OF_RANGE: i16 = i16::MIN + 1;

/// A score in fixed point: steps of 1/512 from -64 to 64, or one of the two codes.
fn to_fixed(score: f64) -> i16 {
    if score.is_nan() || score == f64::NEG_INFINITY {
        return IMPOSSIBLE;
    }
    let scaled = score * STEPS;
    // Far out of range, a truncation to an integer could overflow (NaN is out above).
    if scaled.abs() >= 65536.0 {
        return OUT_OF_RANGE;
    }
    // `f64::round` without the call to libm that it costs on the baseline x86-64 target,
    // where every band point paid it; halves away from zero as it does, and exactly: the
    // fraction of a number this small is exact.
    let whole = scaled as i32;
    let fraction = scaled - f64::from(whole);
    let steps = whole + i32::from(fraction >= 0.5) - i32::from(fraction <= -0.5);
    if steps.abs() <= i32::from(i16::MAX) {
        steps as i16
    } else {
        OUT_OF_RANGE
    }
}

/// A fixed point as the table of scores keeps it: shifted so that an impossible bead is
/// zero, and a table of zeroes needs no filling.
fn stored_fixed(fixed: i16) -> u16 {
    (fixed as u16) ^ 0x8000
}

/// The fixed point that [`stored_fixed`] kept.
fn unstored_fixed(kept: u16) -> i16 {
    (kept ^ 0x8000) as i16
}

/// The score that forward-backward uses for a bead scored `exact`: its fixed point, so that
/// the backward pass, which reads the fixed point back, agrees exactly with the forward pass.
/// Viterbi and the path's reported scores use the exact scores, so the path is the same as
/// with exact scores everywhere, and a posterior moves by a few ten-thousandths of itself.
fn rounded(exact: f64) -> f64 {
    from_fixed(to_fixed(exact), || exact)
}

/// The score a fixed point stands for; `exact` gives it when it was out of range.
fn from_fixed(fixed: i16, exact: impl FnOnce() -> f64) -> f64 {
    match fixed {
        IMPOSSIBLE => f64::NEG_INFINITY,
        OUT_OF_RANGE => exact(),
        steps => f64::from(steps) / STEPS,
    }
}

/// The last few rows of the band, for a recursion that looks back (or ahead) at most
/// `rows - 1` rows: each row's cells by column, from the band's lower bound.
struct Rows {
    cells: Vec<Vec<f64>>,
    /// The number of rows kept, a power of two, less one: row `i` is kept at `i & mask`
    /// (a division by any other count would cost more than the rest of the lookup).
    mask: usize,
}

impl Rows {
    fn new(rows: usize) -> Rows {
        let rows = rows.next_power_of_two();
        Rows {
            cells: vec![Vec::new(); rows],
            mask: rows - 1,
        }
    }

    fn slot(&self, i: usize) -> usize {
        i & self.mask
    }

    /// Clears row `i`, `width` cells of negative infinity.
    fn start(&mut self, i: usize, width: usize) {
        let slot = self.slot(i);
        let row = &mut self.cells[slot];
        row.clear();
        row.resize(width, f64::NEG_INFINITY);
    }
}

/// Scores beads for [`solve`]; scoring is pure, so rows can be scored on other threads.
pub trait Score: Sync {
    /// What a thread keeps between the beads it scores (see [`super::evidence::ScoreCache`]);
    /// it must never change a score.
    type Cache: Send;

    /// A fresh cache for one thread.
    fn cache(&self) -> Self::Cache;

    /// The score of the bead of `a` source units from `i` and `b` target units from `j`.
    fn score(&self, cache: &mut Self::Cache, i: usize, j: usize, a: usize, b: usize) -> f64;

    /// The scores of the beads of the two-sided types `pairs` (type index, `a`, `b`) that end
    /// at point `(i, j)`, into `out` in the order of `pairs`: [`Score::score`] for each type
    /// whose bit is set in `valid`, negative infinity for the others. The beads that end at
    /// one point share the sentences before it, so a scorer may share work between them;
    /// the scores must be those [`Score::score`] gives, bit for bit (the backward pass asks
    /// it again for some).
    fn score_ending(
        &self,
        cache: &mut Self::Cache,
        i: usize,
        j: usize,
        pairs: &[(usize, usize, usize)],
        valid: u32,
        out: &mut [f64],
    ) {
        for (slot, &(_, a, b)) in pairs.iter().enumerate() {
            out[slot] = if valid >> slot & 1 == 1 {
                self.score(cache, i - a, j - b, a, b)
            } else {
                f64::NEG_INFINITY
            };
        }
    }

    /// Told, on the thread that runs the recursion, that the forward pass has finished the
    /// first `rows` rows: a hook for progress reports.
    fn rows_done(&self, _rows: usize) {}
}

impl<F: Fn(usize, usize, usize, usize) -> f64 + Sync> Score for F {
    type Cache = ();

    fn cache(&self) {}

    fn score(&self, _: &mut (), i: usize, j: usize, a: usize, b: usize) -> f64 {
        self(i, j, a, b)
    }
}

/// About how many band points the forward pass scores at a time: two blocks' scores of
/// the two-sided bead types as `f64`, about a megabyte each, while the recursion of one
/// block runs beside the scoring of the next.
const BLOCK_POINTS: usize = 1 << 13;

/// The rows of the band cut into blocks of about [`BLOCK_POINTS`] points: block `b` holds
/// rows `bounds[b]..bounds[b + 1]`.
fn row_blocks(band: &Band, n: usize) -> Vec<usize> {
    let mut bounds = vec![0];
    let mut start = 0;
    for i in 0..=n {
        if band.offset[i + 1] - band.offset[start] >= BLOCK_POINTS {
            bounds.push(i + 1);
            start = i + 1;
        }
    }
    if start <= n {
        bounds.push(n + 1);
    }
    bounds
}

/// Scores the beads of the two-sided types `pairs` (type index, `a`, `b`) that end at each
/// point of rows `rows`, into `out` by point from the first row's, then by type in the
/// order of `pairs`; a bead that would start outside the band gets negative infinity.
fn score_rows<S: Score>(
    scorer: &S,
    cache: &mut S::Cache,
    band: &Band,
    rows: std::ops::Range<usize>,
    pairs: &[(usize, usize, usize)],
    out: &mut [f64],
) {
    let stored = pairs.len();
    let first = band.offset[rows.start];
    for i in rows {
        let (lo, hi) = (band.lo[i], band.hi[i]);
        for j in lo..=hi {
            let at = (band.offset[i] + j - lo - first) * stored;
            let mut valid = 0u32;
            for (slot, &(_, a, b)) in pairs.iter().enumerate() {
                if a <= i && b <= j && band.index(i - a, j - b).is_some() {
                    valid |= 1 << slot;
                }
            }
            scorer.score_ending(cache, i, j, pairs, valid, &mut out[at..at + stored]);
        }
    }
}

/// How many pieces a block's scoring is cut into. The recursion of the current block takes
/// one thread for about two fifths of the block's work; the other thread scores the next
/// block meanwhile, and the recursion's thread joins it on the pieces left when it is done.
/// In two halves, the recursion's thread found no half left to take and waited, a tenth of
/// a long book's time on two cores.
const SCORE_PIECES: usize = 16;

/// Scores rows `rows` as [`score_rows`] does, in [`SCORE_PIECES`] pieces of about the same
/// number of points that rayon may run on any of its threads, each piece with its own
/// cache. Scores do not depend on the thread or the cache, so the output is the same with
/// any number of threads.
fn score_block<S: Score>(
    scorer: &S,
    caches: &mut [S::Cache],
    band: &Band,
    rows: std::ops::Range<usize>,
    pairs: &[(usize, usize, usize)],
    out: &mut Vec<f64>,
) {
    let first = band.offset[rows.start];
    let points = band.offset[rows.end] - first;
    out.clear();
    out.resize(points * pairs.len(), f64::NEG_INFINITY);
    // Piece `p` ends at the first row past `p / pieces` of the block's points.
    let pieces = caches.len();
    let mut ends = Vec::with_capacity(pieces);
    let mut row = rows.start;
    for p in 1..=pieces {
        let target = first + points * p / pieces;
        while row < rows.end && band.offset[row] < target {
            row += 1;
        }
        ends.push(if p == pieces { rows.end } else { row });
    }
    score_pieces(
        scorer,
        caches,
        band,
        rows.start,
        &ends,
        pairs,
        &mut out[..],
        first,
    );
}

/// Scores the pieces of rows from `start` to each of `ends` into `out` (which starts at
/// band point `first`), halving the pieces for rayon to share.
#[expect(
    clippy::too_many_arguments,
    reason = "the scorer, the pieces with their caches, and where the scores go"
)]
fn score_pieces<S: Score>(
    scorer: &S,
    caches: &mut [S::Cache],
    band: &Band,
    start: usize,
    ends: &[usize],
    pairs: &[(usize, usize, usize)],
    out: &mut [f64],
    first: usize,
) {
    if ends.len() == 1 {
        score_rows(scorer, &mut caches[0], band, start..ends[0], pairs, out);
        return;
    }
    let half = ends.len() / 2;
    let mid = ends[half - 1];
    let (left, right) = out.split_at_mut((band.offset[mid] - first) * pairs.len());
    let (left_caches, right_caches) = caches.split_at_mut(half);
    let (left_ends, right_ends) = ends.split_at(half);
    rayon::join(
        || {
            score_pieces(
                scorer,
                left_caches,
                band,
                start,
                left_ends,
                pairs,
                left,
                first,
            )
        },
        || {
            score_pieces(
                scorer,
                right_caches,
                band,
                mid,
                right_ends,
                pairs,
                right,
                band.offset[mid],
            )
        },
    );
}

/// Rows that the lower half of a backward pass run on two threads starts above the row
/// where the halves meet.
const BACKWARD_OVERLAP: usize = 512;

/// The backward pass of [`solve`], over its forward pass's tables, keeping its values only
/// at the path's points.
///
/// Each row's values are kept relative to the row's largest, with the largest's step from
/// the row above's, so that a row is computed from the rows above it as they are, relative
/// to one another: backward probabilities forget where they started, so a pass started
/// anywhere far enough above a row, as though every path ended there, gives that row's
/// values bit for bit where the alignment is clear. On two threads, the pass runs in two
/// halves: the upper from the end, the lower from [`BACKWARD_OVERLAP`] rows above the
/// split. Where the lower half meets the rows the upper one computed exactly (the same
/// bits), its values are those the upper half would have gone on to compute; where it does
/// not, the upper half goes on. The result is the same with any number of threads.
struct Backward<'a, S: Score> {
    n: usize,
    m: usize,
    band: &'a Band,
    types: &'a [(usize, usize)],
    alpha: &'a [f32],
    cache_fixed: &'a [u16],
    stored: usize,
    slot: [usize; MAX_TYPES],
    rounded_nulls: &'a [Vec<f64>],
    inv_t: f64,
    scorer: &'a S,
    /// The path's points and bead types, from the end.
    steps: &'a [(usize, usize, usize)],
}

impl<S: Score> Backward<'_, S> {
    /// Rows `top` down to `bottom`, from the rows above in `ring` and their steps in
    /// `deltas`: writes each row's values relative to its largest into `ring`, the largest's
    /// step from the row above's largest into `deltas`, and the value at each point of
    /// `steps` (a stretch of the path's, from the end) into `out`.
    #[expect(
        clippy::too_many_arguments,
        reason = "the rows, the state the pass carries, and where its values go"
    )]
    fn rows(
        &self,
        cache: &mut S::Cache,
        top: usize,
        bottom: usize,
        ring: &mut Rows,
        deltas: &mut [f64],
        steps: &[(usize, usize, usize)],
        out: &mut [f64],
    ) {
        let (n, m, band, types, stored) = (self.n, self.m, self.band, self.types, self.stored);
        let k = types.len();
        let mut next = 0;
        for i in (bottom..=top).rev() {
            let (lo, hi) = (band.lo[i], band.hi[i]);
            ring.start(i, hi - lo + 1);
            // Each type's row of arrival: its band interval, its first point, where it is
            // kept (none beyond the last row), and how far its row's largest lies from the
            // next row's, which this row's values are first computed relative to.
            let mut to = [(usize::MAX, 0, 0, 0, 0.0); MAX_TYPES];
            for (t, &(a, _)) in types.iter().enumerate() {
                if i + a <= n {
                    let r = i + a;
                    let mut shift = 0.0;
                    for d in deltas.iter().take(r).skip(i + 1) {
                        shift -= d;
                    }
                    to[t] = (band.lo[r], band.hi[r], band.offset[r], ring.slot(r), shift);
                }
            }
            for j in (lo..=hi).rev() {
                let here = band.offset[i] + j - lo;
                let value = if i == n && j == m {
                    0.0
                } else if self.alpha[here] == f32::NEG_INFINITY {
                    // Unreachable: no path through here counts.
                    f64::NEG_INFINITY
                } else {
                    let mut terms = [f64::NEG_INFINITY; MAX_TYPES];
                    for (t, &(a, b)) in types.iter().enumerate() {
                        let (to_lo, to_hi, to_offset, kept, shift) = to[t];
                        if j + b < to_lo || j + b > to_hi {
                            continue;
                        }
                        let at = j + b - to_lo;
                        let s = match (a, b) {
                            (0, _) => self.rounded_nulls[t][j],
                            (_, 0) => self.rounded_nulls[t][i],
                            _ => from_fixed(
                                unstored_fixed(
                                    self.cache_fixed[(to_offset + at) * stored + self.slot[t]],
                                ),
                                || self.scorer.score(cache, i, j, a, b),
                            ),
                        };
                        terms[t] = s * self.inv_t + ring.cells[kept][at] + shift;
                    }
                    log_sum_exp(&terms[..k])
                };
                let slot_i = ring.slot(i);
                ring.cells[slot_i][j - lo] = value;
            }
            let slot_i = ring.slot(i);
            let row = &mut ring.cells[slot_i];
            let largest = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if largest.is_finite() {
                for v in row.iter_mut() {
                    *v -= largest;
                }
                deltas[i] = largest;
            } else {
                deltas[i] = 0.0;
            }
            while next < steps.len() && steps[next].0 == i {
                out[next] = row[steps[next].1 - lo];
                next += 1;
            }
        }
    }

    /// The backward pass, with `beside` run beside it: each row's step (see [`Self::rows`])
    /// and the values relative to their row's largest at the path's points, in the order of
    /// `steps`.
    fn run(&self, reach: usize, beside: impl FnOnce() + Send) -> (Vec<f64>, Vec<f64>) {
        let (n, band, steps) = (self.n, self.band, self.steps);
        let most = reach - 1;
        let mut deltas = vec![0.0; n + 1];
        let mut out = vec![f64::NEG_INFINITY; steps.len()];
        let mut ring = Rows::new(reach);
        let mut cache = self.scorer.cache();
        // The split: about half the band's points on each side.
        let half = band.area() / 2;
        let mid = band.offset[..=n].partition_point(|&o| o < half).max(1);
        let start = mid + BACKWARD_OVERLAP;
        if rayon::current_num_threads() < 2 || start + most > n {
            rayon::join(
                || self.rows(&mut cache, n, 0, &mut ring, &mut deltas, steps, &mut out),
                beside,
            );
            return (deltas, out);
        }
        let k_mid = steps.partition_point(|s| s.0 >= mid);
        let (upper_out, lower_out) = out.split_at_mut(k_mid);
        let (upper_steps, lower_steps) = steps.split_at(k_mid);
        let lower = || {
            let mut cache = self.scorer.cache();
            let mut ring = Rows::new(reach);
            let mut deltas = vec![0.0; start + reach];
            // As though every path ended in row `start`.
            for r in start + 1..=start + most {
                ring.start(r, band.hi[r] - band.lo[r] + 1);
            }
            let (lo, hi) = (band.lo[start], band.hi[start]);
            ring.start(start, hi - lo + 1);
            let slot = ring.slot(start);
            for (at, v) in ring.cells[slot].iter_mut().enumerate() {
                if self.alpha[band.offset[start] + at] != f32::NEG_INFINITY {
                    *v = 0.0;
                }
            }
            self.rows(
                &mut cache,
                start - 1,
                mid,
                &mut ring,
                &mut deltas,
                lower_steps,
                &mut *lower_out,
            );
            // What the rows below need of the rows above, to compare with the upper half's.
            let meeting: Vec<(Vec<f64>, f64)> = (mid..mid + most)
                .map(|r| (ring.cells[ring.slot(r)].clone(), deltas[r]))
                .collect();
            self.rows(
                &mut cache,
                mid - 1,
                0,
                &mut ring,
                &mut deltas,
                lower_steps,
                &mut *lower_out,
            );
            deltas.truncate(mid);
            (meeting, deltas)
        };
        let ((), (meeting, lower_deltas)) = rayon::join(
            || {
                self.rows(
                    &mut cache,
                    n,
                    mid,
                    &mut ring,
                    &mut deltas,
                    upper_steps,
                    upper_out,
                );
                beside();
            },
            lower,
        );
        let same = |x: &f64, y: &f64| x.to_bits() == y.to_bits();
        let met = meeting.iter().zip(mid..).all(|((cells, delta), r)| {
            same(delta, &deltas[r])
                && cells.len() == ring.cells[ring.slot(r)].len()
                && cells
                    .iter()
                    .zip(&ring.cells[ring.slot(r)])
                    .all(|(x, y)| same(x, y))
        });
        if met {
            deltas[..mid].copy_from_slice(&lower_deltas);
        } else {
            self.rows(
                &mut cache,
                mid - 1,
                0,
                &mut ring,
                &mut deltas,
                lower_steps,
                &mut out[k_mid..],
            );
        }
        (deltas, out)
    }
}

/// Runs Viterbi and forward-backward over `band` for an `n × m` lattice.
///
/// `scorer` scores the bead of `a` source sentences from `i` and `b` target sentences from
/// `j`. Posteriors use the scores divided by `temperature`.
///
/// Memory is what the backward pass needs, a few bytes a band point: a back-pointer, the
/// forward probability as an `f32` relative to its row's largest, and the scores of the
/// bead types with two non-empty sides in fixed point (steps of 1/512). A bead with an empty
/// side is scored once for all, by the sentences it holds: `score(i, j, a, 0)` must not
/// depend on `j`, nor `score(i, j, 0, b)` on `i`, as with [`super::evidence::Scorer`].
/// Viterbi's best scores and the probabilities of both directions are kept only for the
/// rows the recursion reaches.
///
/// Scoring, most of the work, runs on the rayon pool: the next block of rows is scored,
/// in pieces, while the recursion runs over the current one; the path's exact scores
/// are computed beside the backward pass. The result is the same whatever the number of
/// threads.
pub fn solve<S: Score>(
    n: usize,
    m: usize,
    band: &Band,
    types: &[(usize, usize)],
    temperature: f64,
    scorer: &S,
) -> Vec<PathBead> {
    let k = types.len();
    assert!(k <= MAX_TYPES, "at most {MAX_TYPES} bead types");
    if band.index(n, m).is_none() {
        return Vec::new();
    }
    let area = band.area();
    // Where each type's stored score sits among a point's, if it is stored.
    let mut slot = [usize::MAX; MAX_TYPES];
    let mut pairs = Vec::new();
    for (t, &(a, b)) in types.iter().enumerate() {
        if a > 0 && b > 0 {
            slot[t] = pairs.len();
            pairs.push((t, a, b));
        }
    }
    let stored = pairs.len();
    // The scores of null beads, by the sentences they hold: `score` gives a bead with an
    // empty side by its other side alone.
    // Scored on rayon's threads, into vectors allocated here (an indexed collect reserves
    // on the calling thread): on a long book they were a serial quarter second.
    let nulls: Vec<Vec<f64>> = types
        .iter()
        .map(|&(a, b)| {
            use rayon::prelude::*;
            let (units, along_target) = match (a, b) {
                (0, _) => ((m + 1).saturating_sub(b), true),
                (_, 0) => ((n + 1).saturating_sub(a), false),
                _ => return Vec::new(),
            };
            (0..units)
                .into_par_iter()
                .with_min_len(4096)
                .map_init(
                    || scorer.cache(),
                    |cache, x| {
                        if along_target {
                            scorer.score(cache, 0, x, 0, b)
                        } else {
                            scorer.score(cache, x, 0, a, 0)
                        }
                    },
                )
                .collect()
        })
        .collect();
    // The exact score of a bead of type `t`, through a thread's cache.
    let score = |cache: &mut S::Cache, i: usize, j: usize, a: usize, b: usize, t: usize| -> f64 {
        match (a, b) {
            (0, _) => nulls[t][j],
            (_, 0) => nulls[t][i],
            _ => scorer.score(cache, i, j, a, b),
        }
    };
    let reach = types.iter().map(|&(a, _)| a).max().unwrap_or(0) + 1;
    // Zeroed tables, which the allocator gives as untouched pages (no pass to fill them):
    // zero stands for an impossible bead in `cache_fixed` (see [`stored`]) and for no bead
    // in `back` (which holds the type plus one); every point's forward probability is
    // written.
    let mut cache_fixed = vec![0u16; area * stored];
    let mut alpha = vec![0f32; area];
    let mut alpha_base = Vec::with_capacity(n + 1);
    let mut back = vec![0u8; area];
    let mut best_rows = Rows::new(reach);
    let mut alpha_rows = Rows::new(reach);
    let inv_t = 1.0 / temperature;
    let mut z = f64::NEG_INFINITY;
    let blocks = row_blocks(band, n);
    let mut caches: Vec<S::Cache> = (0..SCORE_PIECES).map(|_| scorer.cache()).collect();
    let (mut current, mut next) = (Vec::new(), Vec::new());
    score_block(
        scorer,
        &mut caches,
        band,
        blocks[0]..blocks[1],
        &pairs,
        &mut current,
    );
    for block in 0..blocks.len() - 1 {
        let rows = blocks[block]..blocks[block + 1];
        let first = band.offset[rows.start];
        let exact = &current;
        let recurse = || {
            for i in rows {
                let (lo, hi) = (band.lo[i], band.hi[i]);
                best_rows.start(i, hi - lo + 1);
                alpha_rows.start(i, hi - lo + 1);
                // Each type's row of origin: its band interval and where it is kept (none
                // above the first row), looked up once a row rather than once a point.
                let mut from = [(usize::MAX, 0, 0); MAX_TYPES];
                for (t, &(a, _)) in types.iter().enumerate() {
                    if a <= i {
                        from[t] = (band.lo[i - a], band.hi[i - a], best_rows.slot(i - a));
                    }
                }
                for j in lo..=hi {
                    let here = band.offset[i] + j - lo;
                    if i == 0 && j == 0 {
                        best_rows.cells[0][0] = 0.0;
                        alpha_rows.cells[0][0] = 0.0;
                        continue;
                    }
                    let mut terms = [f64::NEG_INFINITY; MAX_TYPES];
                    let mut b_acc = f64::NEG_INFINITY;
                    let mut b_arg = u8::MAX;
                    for (t, &(a, b)) in types.iter().enumerate() {
                        let (from_lo, from_hi, kept) = from[t];
                        if b > j || j - b < from_lo || j - b > from_hi {
                            continue;
                        }
                        let at = j - b - from_lo;
                        let best_prev = best_rows.cells[kept][at];
                        if best_prev == f64::NEG_INFINITY {
                            continue;
                        }
                        let s = match (a, b) {
                            (0, _) => nulls[t][j - b],
                            (_, 0) => nulls[t][i - a],
                            _ => exact[(here - first) * stored + slot[t]],
                        };
                        let fixed = to_fixed(s);
                        if slot[t] != usize::MAX {
                            cache_fixed[here * stored + slot[t]] = stored_fixed(fixed);
                        }
                        terms[t] = alpha_rows.cells[kept][at] + from_fixed(fixed, || s) * inv_t;
                        let v = best_prev + s;
                        if v > b_acc {
                            b_acc = v;
                            b_arg = t as u8;
                        }
                    }
                    let at = j - lo;
                    let slot_i = alpha_rows.slot(i);
                    alpha_rows.cells[slot_i][at] = log_sum_exp(&terms[..k]);
                    best_rows.cells[slot_i][at] = b_acc;
                    back[here] = b_arg.wrapping_add(1);
                }
                // The forward probabilities are kept relative to the row's largest, where an
                // `f32` holds them to a millionth.
                let row = &alpha_rows.cells[alpha_rows.slot(i)];
                let base = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let base = if base.is_finite() { base } else { 0.0 };
                alpha_base.push(base);
                let offset = band.offset[i];
                for (at, &v) in row.iter().enumerate() {
                    alpha[offset + at] = (v - base) as f32;
                }
                if i == n {
                    z = row[m - lo];
                }
            }
        };
        if block + 2 < blocks.len() {
            let following = blocks[block + 1]..blocks[block + 2];
            rayon::join(recurse, || {
                score_block(scorer, &mut caches, band, following, &pairs, &mut next)
            });
        } else {
            recurse();
        }
        std::mem::swap(&mut current, &mut next);
        scorer.rows_done(blocks[block + 1]);
    }
    drop((current, next, caches));
    drop(best_rows);
    drop(alpha_rows);
    let forward = |i: usize, j: usize| -> f64 {
        let here = band.offset[i] + j - band.lo[i];
        alpha_base[i] + f64::from(alpha[here])
    };

    // The best path, from its end: its points and bead types.
    let mut steps: Vec<(usize, usize, usize)> = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let Some(here) = band.index(i, j) else { break };
        let Some(t) = back[here].checked_sub(1) else {
            break;
        };
        steps.push((i, j, t as usize));
        let (a, b) = types[t as usize];
        i -= a;
        j -= b;
    }
    drop(back);

    // Backward probabilities, kept only at the path's points.
    // The null beads' scores as the forward pass used them.
    let rounded_nulls: Vec<Vec<f64>> = nulls
        .iter()
        .map(|row| row.iter().map(|&s| rounded(s)).collect())
        .collect();
    let pass = Backward {
        n,
        m,
        band,
        types,
        alpha: &alpha,
        cache_fixed: &cache_fixed,
        stored,
        slot,
        rounded_nulls: &rounded_nulls,
        inv_t,
        scorer,
        steps: &steps,
    };
    // Allocated here, on the thread that runs the search, whose malloc arena the memory
    // then returns to.
    let mut exact = Vec::with_capacity(steps.len());
    let exact_scores = || {
        let mut cache = scorer.cache();
        exact.extend(steps.iter().map(|&(i, j, t)| {
            let (a, b) = types[t];
            score(&mut cache, i - a, j - b, a, b, t)
        }));
    };
    let (deltas, mut beta) = pass.run(reach, exact_scores);
    // Each row's largest backward value, from the last row down: the sum of the rows'
    // steps, in the same order whatever the threads did.
    let mut base = 0.0;
    let mut row = n + 1;
    for (&(i, _, _), beta) in steps.iter().zip(&mut beta) {
        while row > i {
            row -= 1;
            base += deltas[row];
        }
        *beta += base;
    }
    drop(deltas);
    let mut path: Vec<PathBead> = steps
        .iter()
        .zip(&beta)
        .zip(&exact)
        .map(|((&(i, j, t), &beta), &s)| {
            let (a, b) = types[t];
            let (pi, pj) = (i - a, j - b);
            // The exact score is for the report; its fixed point is what the forward and
            // backward probabilities used.
            let posterior = (forward(pi, pj) + rounded(s) * inv_t + beta - z)
                .exp()
                .clamp(0.0, 1.0);
            PathBead {
                i: pi,
                j: pj,
                a,
                b,
                score: s,
                posterior,
            }
        })
        .collect();
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPES: [(usize, usize); 5] = [(1, 1), (1, 0), (0, 1), (1, 2), (2, 1)];

    #[test]
    fn exp_near_is_exp() {
        let mut d = 0.0;
        while d > -30.0 {
            let (fast, exact) = (exp_near(d), d.exp());
            assert!(
                (fast - exact).abs() <= 4.0 * f64::EPSILON * exact,
                "{d} {fast} {exact}"
            );
            d -= 0.0137;
        }
        assert_eq!(exp_near(0.0), 1.0);
    }

    #[test]
    fn fixed_point_rounds_halves_away_from_zero() {
        for (score, steps) in [
            (0.0, 0),
            (0.75 / STEPS, 1),
            (0.5 / STEPS, 1),
            (-0.5 / STEPS, -1),
            (-0.25 / STEPS, 0),
            (-1.5 / STEPS, -2),
            (63.9, 32717),
        ] {
            assert_eq!(to_fixed(score), steps, "{score}");
        }
        assert_eq!(to_fixed(64.0), OUT_OF_RANGE);
        assert_eq!(to_fixed(-64.1), OUT_OF_RANGE);
        assert_eq!(to_fixed(f64::INFINITY), OUT_OF_RANGE);
        assert_eq!(to_fixed(f64::NEG_INFINITY), IMPOSSIBLE);
        assert_eq!(to_fixed(f64::NAN), IMPOSSIBLE);
    }

    #[test]
    fn diagonal_scores_give_the_diagonal() {
        let band = Band::full(4, 4);
        let path = solve(4, 4, &band, &TYPES, 1.0, &|i, j, a, b| {
            if a == 1 && b == 1 && i == j {
                5.0
            } else {
                -5.0
            }
        });
        assert_eq!(path.len(), 4);
        assert!(path.iter().all(|p| p.a == 1 && p.b == 1 && p.i == p.j));
        assert!(path.iter().all(|p| p.posterior > 0.99));
    }

    #[test]
    fn posterior_splits_between_equal_paths() {
        // Three paths from (0, 0) to (1, 1) score alike: 1-1; 1-0 then 0-1; 0-1 then 1-0.
        let band = Band::full(1, 1);
        let path = solve(1, 1, &band, &TYPES, 1.0, &|_, _, _, _| 0.0);
        assert_eq!((path[0].a, path[0].b), (1, 1), "ties prefer the first type");
        assert!(
            (path[0].posterior - 1.0 / 3.0).abs() < 1e-9,
            "{}",
            path[0].posterior
        );
    }

    #[test]
    fn temperature_flattens_posteriors() {
        let band = Band::full(1, 1);
        let score =
            |_: usize, _: usize, a: usize, b: usize| if (a, b) == (1, 1) { 2.0 } else { 0.0 };
        let sharp = solve(1, 1, &band, &TYPES, 1.0, &score)[0].posterior;
        let flat = solve(1, 1, &band, &TYPES, 4.0, &score)[0].posterior;
        assert!(sharp > flat && flat > 1.0 / 3.0, "{sharp} {flat}");
    }

    /// The band as `around_path` built it before it was made linear: each row's interval
    /// widened over every row its width reaches, one row at a time.
    fn around_path_row_by_row(
        path: &[(usize, usize)],
        widths: &[usize],
        n: usize,
        m: usize,
    ) -> (Vec<usize>, Vec<usize>) {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0usize; n + 1];
        let mut row_width = vec![0usize; n + 1];
        for (k, pair) in path.windows(2).enumerate() {
            let width = widths[k].max(widths[k + 1]);
            for r in pair[0].0.min(n)..=pair[1].0.min(n) {
                lo[r] = lo[r].min(pair[0].1.min(m));
                hi[r] = hi[r].max(pair[1].1.min(m));
                row_width[r] = row_width[r].max(width);
            }
        }
        let mut wide_lo = vec![usize::MAX; n + 1];
        let mut wide_hi = vec![0usize; n + 1];
        for r in 0..=n {
            if lo[r] == usize::MAX {
                continue;
            }
            let width = row_width[r];
            for w in r.saturating_sub(width)..=(r + width).min(n) {
                wide_lo[w] = wide_lo[w].min(lo[r].saturating_sub(width));
                wide_hi[w] = wide_hi[w].max((hi[r] + width).min(m));
            }
        }
        wide_lo[0] = 0;
        wide_hi[n] = m;
        for r in (0..n).rev() {
            wide_lo[r] = wide_lo[r].min(wide_lo[r + 1]);
        }
        for r in 1..=n {
            wide_hi[r] = wide_hi[r].max(wide_hi[r - 1]);
        }
        for r in 0..=n {
            wide_lo[r] = wide_lo[r].min(m);
            wide_hi[r] = wide_hi[r].max(wide_lo[r]);
        }
        (wide_lo, wide_hi)
    }

    /// Viterbi and forward-backward with every array whole and exact scores.
    fn solve_exactly(
        n: usize,
        m: usize,
        types: &[(usize, usize)],
        temperature: f64,
        score: impl Fn(usize, usize, usize, usize) -> f64,
    ) -> Vec<PathBead> {
        let at = |i: usize, j: usize| i * (m + 1) + j;
        let cells = (n + 1) * (m + 1);
        let (mut alpha, mut best, mut beta) = (
            vec![f64::NEG_INFINITY; cells],
            vec![f64::NEG_INFINITY; cells],
            vec![f64::NEG_INFINITY; cells],
        );
        let mut back = vec![usize::MAX; cells];
        alpha[0] = 0.0;
        best[0] = 0.0;
        for i in 0..=n {
            for j in 0..=m {
                let mut terms = Vec::new();
                for (t, &(a, b)) in types.iter().enumerate() {
                    if (i, j) == (0, 0) || a > i || b > j {
                        continue;
                    }
                    let s = score(i - a, j - b, a, b);
                    terms.push(alpha[at(i - a, j - b)] + s / temperature);
                    if best[at(i - a, j - b)] + s > best[at(i, j)] {
                        best[at(i, j)] = best[at(i - a, j - b)] + s;
                        back[at(i, j)] = t;
                    }
                }
                if !terms.is_empty() {
                    alpha[at(i, j)] = log_sum_exp(&terms);
                }
            }
        }
        beta[at(n, m)] = 0.0;
        for i in (0..=n).rev() {
            for j in (0..=m).rev() {
                let mut terms = Vec::new();
                for &(a, b) in types {
                    if i + a <= n && j + b <= m {
                        terms.push(score(i, j, a, b) / temperature + beta[at(i + a, j + b)]);
                    }
                }
                if (i, j) != (n, m) {
                    beta[at(i, j)] = log_sum_exp(&terms);
                }
            }
        }
        let mut path = Vec::new();
        let (mut i, mut j) = (n, m);
        while (i, j) != (0, 0) {
            let (a, b) = types[back[at(i, j)]];
            let s = score(i - a, j - b, a, b);
            let posterior = (alpha[at(i - a, j - b)] + s / temperature + beta[at(i, j)]
                - alpha[at(n, m)])
            .exp();
            path.push(PathBead {
                i: i - a,
                j: j - b,
                a,
                b,
                score: s,
                posterior,
            });
            i -= a;
            j -= b;
        }
        path.reverse();
        path
    }

    #[test]
    fn posteriors_are_those_of_exact_scores() {
        // Noisy scores over a diagonal that a stretch of nulls interrupts.
        let score = |i: usize, j: usize, a: usize, b: usize| {
            // A null bead's score depends only on the sentences it holds.
            let (i, j) = match (a, b) {
                (0, _) => (0, j),
                (_, 0) => (i, 0),
                _ => (i, j),
            };
            let noise = ((i * 31 + j * 17 + a * 7 + b * 3) % 23) as f64 / 7.0 - 1.5;
            let near = (i as f64 * 1.1 - j as f64).abs() < 3.0;
            noise
                + if a > 0 && b > 0 && near {
                    4.0
                } else {
                    -2.0 * (a + b) as f64
                }
        };
        let (n, m) = (40, 44);
        let band = Band::full(n, m);
        let fast = solve(n, m, &band, &TYPES, 2.0, &score);
        let exact = solve_exactly(n, m, &TYPES, 2.0, score);
        assert_eq!(fast.len(), exact.len());
        for (f, e) in fast.iter().zip(&exact) {
            assert_eq!((f.i, f.j, f.a, f.b, f.score), (e.i, e.j, e.a, e.b, e.score));
            assert!(
                (f.posterior - e.posterior).abs() < 1e-3 * e.posterior.max(0.01),
                "{f:?} {e:?}"
            );
        }
        assert!(
            exact.iter().any(|e| e.posterior < 0.9),
            "some beads are uncertain"
        );
    }

    /// A bead's score: pseudo-random noise, plus `on` near the diagonal `j = slope · i`
    /// (within `width`) and `off` elsewhere; a null bead is scored by its one side.
    fn noisy_diagonal(
        slope: f64,
        width: f64,
        on: f64,
        off: f64,
    ) -> impl Fn(usize, usize, usize, usize) -> f64 + Sync {
        move |i, j, a, b| {
            let (i, j) = match (a, b) {
                (0, _) => (0, j),
                (_, 0) => (i, 0),
                _ => (i, j),
            };
            let noise = ((i * 131 + j * 71 + a * 7 + b * 3) % 29) as f64 / 5.0 - 3.0;
            noise
                + if (i as f64 * slope - j as f64).abs() < width {
                    on
                } else {
                    off
                }
        }
    }

    /// Solves on a pool of one thread and on a pool of two, and asserts the two paths (and
    /// their posteriors) are the same and cover the lattice.
    fn assert_same_on_one_and_two_threads(
        n: usize,
        m: usize,
        band: &Band,
        score: &(dyn Fn(usize, usize, usize, usize) -> f64 + Sync),
    ) {
        let on = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| solve(n, m, band, &TYPES, 1.5, &|i, j, a, b| score(i, j, a, b)))
        };
        let one = on(1);
        assert_eq!(one.last().map(|p| (p.i + p.a, p.j + p.b)), Some((n, m)));
        assert_eq!(one, on(2));
    }

    #[test]
    fn blocks_scored_on_two_threads_give_what_one_thread_gives() {
        let (n, m) = (300, 360);
        let band = Band::full(n, m);
        assert!(row_blocks(&band, n).len() > 10, "many blocks");
        assert_same_on_one_and_two_threads(n, m, &band, &noisy_diagonal(1.2, 4.0, 3.0, -1.0));
    }

    #[test]
    fn backward_pass_in_two_halves_gives_what_one_thread_gives() {
        // Long enough for the backward pass to split: a clear diagonal, where the halves
        // meet, and scores that hardly tell beads apart, where they may not.
        let (n, m) = (3000, 3300);
        let path: Vec<(usize, usize)> = (0..=n).map(|i| (i, i * m / n)).collect();
        let band = Band::around_path(&path, &vec![6; path.len()], n, m);
        let flat = |i: usize, j: usize, a: usize, b: usize| {
            let (i, j) = match (a, b) {
                (0, _) => (0, j),
                (_, 0) => (i, 0),
                _ => (i, j),
            };
            ((i * 7 + j * 13 + a + b) % 5) as f64 / 50.0
        };
        assert_same_on_one_and_two_threads(n, m, &band, &noisy_diagonal(1.1, 2.0, 6.0, -2.0));
        assert_same_on_one_and_two_threads(n, m, &band, &flat);
    }

    #[test]
    fn band_is_the_same_as_widening_row_by_row() {
        // Monotone paths with steps of 0 to 4 a side and widths of 0 to 40, pseudo-random.
        let mut state = 12345u64;
        let mut next = |below: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % below) as usize
        };
        for _ in 0..200 {
            let mut path = vec![(0, 0)];
            let mut widths = vec![next(41)];
            for _ in 0..next(60) {
                let &(i, j) = path.last().unwrap();
                let (a, b) = (next(5), next(5));
                path.push((i + a, j + b));
                widths.push(if next(3) == 0 { next(41) } else { next(4) });
            }
            let &(n, m) = path.last().unwrap();
            let band = Band::around_path(&path, &widths, n, m);
            let (lo, hi) = around_path_row_by_row(&path, &widths, n, m);
            assert_eq!((band.lo, band.hi), (lo, hi), "{path:?} {widths:?}");
        }
    }

    #[test]
    fn band_covers_its_path_and_stays_small() {
        let path: Vec<(usize, usize)> = (0..=50).map(|x| (2 * x, 2 * x)).collect();
        let band = Band::around_path(&path, &vec![4; path.len()], 100, 100);
        for i in 0..=100 {
            assert!(band.index(i, i).is_some());
        }
        assert!(band.area() < 101 * 20);
        assert!(band.index(0, 0).is_some() && band.index(100, 100).is_some());
    }
}
