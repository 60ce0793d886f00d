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
fn log_sum_exp(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    let mut sum = 0.0;
    for &v in values {
        let d = v - max;
        if d > -30.0 {
            sum += d.exp();
        }
    }
    max + sum.ln()
}

/// The most bead types a lattice takes (every pair of 0 to 4 sentences but 0-0).
pub const MAX_TYPES: usize = 24;

/// Runs Viterbi and forward-backward over `band` for an `n × m` lattice.
///
/// `score(i, j, a, b)` scores the bead of `a` source sentences from `i` and `b` target
/// sentences from `j`. Posteriors use the scores divided by `temperature`.
pub fn solve(
    n: usize,
    m: usize,
    band: &Band,
    types: &[(usize, usize)],
    temperature: f64,
    mut score: impl FnMut(usize, usize, usize, usize) -> f64,
) -> Vec<PathBead> {
    let k = types.len();
    assert!(k <= MAX_TYPES, "at most {MAX_TYPES} bead types");
    let area = band.area();
    let mut cache = vec![f32::NAN; area * k];
    let mut alpha = vec![f64::NEG_INFINITY; area];
    let mut best = vec![f64::NEG_INFINITY; area];
    let mut back = vec![u8::MAX; area];
    let inv_t = 1.0 / temperature;
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            let here = band.offset[i] + j - band.lo[i];
            if i == 0 && j == 0 {
                alpha[here] = 0.0;
                best[here] = 0.0;
                continue;
            }
            let mut terms = [f64::NEG_INFINITY; MAX_TYPES];
            let mut b_acc = f64::NEG_INFINITY;
            let mut b_arg = u8::MAX;
            for (t, &(a, b)) in types.iter().enumerate() {
                if a > i || b > j {
                    continue;
                }
                let Some(prev) = band.index(i - a, j - b) else {
                    continue;
                };
                if best[prev] == f64::NEG_INFINITY {
                    continue;
                }
                let s = score(i - a, j - b, a, b);
                cache[here * k + t] = s as f32;
                terms[t] = alpha[prev] + s * inv_t;
                let v = best[prev] + s;
                if v > b_acc {
                    b_acc = v;
                    b_arg = t as u8;
                }
            }
            alpha[here] = log_sum_exp(&terms[..k]);
            best[here] = b_acc;
            back[here] = b_arg;
        }
    }
    let Some(end) = band.index(n, m) else {
        return Vec::new();
    };
    let z = alpha[end];
    let mut beta = vec![f64::NEG_INFINITY; area];
    for i in (0..=n).rev() {
        for j in (band.lo[i]..=band.hi[i]).rev() {
            let here = band.offset[i] + j - band.lo[i];
            if i == n && j == m {
                beta[here] = 0.0;
                continue;
            }
            let mut terms = [f64::NEG_INFINITY; MAX_TYPES];
            for (t, &(a, b)) in types.iter().enumerate() {
                let Some(next) = band.index(i + a, j + b) else {
                    continue;
                };
                let s = cache[next * k + t];
                if s.is_nan() {
                    continue;
                }
                terms[t] = f64::from(s) * inv_t + beta[next];
            }
            beta[here] = log_sum_exp(&terms[..k]);
        }
    }
    let mut path = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let Some(here) = band.index(i, j) else { break };
        let t = back[here];
        if t == u8::MAX {
            break;
        }
        let (a, b) = types[t as usize];
        let s = f64::from(cache[here * k + t as usize]);
        let prev = band.index(i - a, j - b).unwrap_or(0);
        let posterior = (alpha[prev] + s * inv_t + beta[here] - z)
            .exp()
            .clamp(0.0, 1.0);
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

#[cfg(test)]
mod tests {
    use super::*;

    const TYPES: [(usize, usize); 5] = [(1, 1), (1, 0), (0, 1), (1, 2), (2, 1)];

    #[test]
    fn diagonal_scores_give_the_diagonal() {
        let band = Band::full(4, 4);
        let path = solve(4, 4, &band, &TYPES, 1.0, |i, j, a, b| {
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
        let path = solve(1, 1, &band, &TYPES, 1.0, |_, _, _, _| 0.0);
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
        let sharp = solve(1, 1, &band, &TYPES, 1.0, score)[0].posterior;
        let flat = solve(1, 1, &band, &TYPES, 4.0, score)[0].posterior;
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
