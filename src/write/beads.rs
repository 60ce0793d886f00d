//! vecalign's bead format: `[i,j]:[k]:confidence`, one bead per line.
//!
//! Indices are 0-based sentence indices; `[]` marks an empty side. Every sentence of
//! both sides stands in exactly one bead. vecalign's scorer and `bitext eval` read it
//! (the confidence field is optional for them).

use std::io::{self, Write};

use super::{Output, Writer, Written};
use crate::align::Alignment;
use crate::doc::Document;
use crate::error::Result;

/// The beads [`Writer`]: every bead, whatever the options.
pub(super) struct BeadsWriter<'a> {
    out: Output<'a>,
}

impl<'a> BeadsWriter<'a> {
    pub(super) fn new(out: Output<'a>) -> Self {
        BeadsWriter { out }
    }
}

impl Writer for BeadsWriter<'_> {
    fn write(&mut self, _: &Document, _: &Document, alignment: &Alignment) -> crate::Result<()> {
        self.out.with(|out| write(out, alignment))
    }

    fn finish(self: Box<Self>) -> Result<Written> {
        self.out.finish()?;
        Ok(Written::default())
    }
}

/// Writes every bead of `alignment`, each line built in one buffer: a long book's million
/// beads, each formatted through a `String` per index and a float formatter that falls back
/// to big-number arithmetic, were a serial second at the end of the run.
fn write<W: Write + ?Sized>(out: &mut W, alignment: &Alignment) -> io::Result<()> {
    let mut line = String::new();
    for bead in &alignment.beads {
        line.clear();
        push_side(&mut line, bead.src.clone());
        line.push(':');
        push_side(&mut line, bead.tgt.clone());
        line.push(':');
        push_fixed4(&mut line, bead.confidence);
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// Appends `[0,1]` for the indices of `range`, `[]` when it is empty.
fn push_side(line: &mut String, range: std::ops::Range<usize>) {
    use std::fmt::Write as _;
    line.push('[');
    for (n, i) in range.enumerate() {
        if n > 0 {
            line.push(',');
        }
        let _ = write!(line, "{i}");
    }
    line.push(']');
}

/// Appends `value` as `{:.4}` formats it. A value in [0, 1] is `m · 2^e` exactly, and
/// `m · 10⁴ · 2^e` is split into its whole part and remainder in integers, which round it
/// exactly as the formatter does; an exact tie, and any other value, go to the formatter.
fn push_fixed4(line: &mut String, value: f64) {
    use std::fmt::Write as _;
    if let Some(steps) = fixed4_steps(value) {
        let _ = write!(line, "{}.{:04}", steps / 10_000, steps % 10_000);
    } else {
        let _ = write!(line, "{value:.4}");
    }
}

/// `value` in ten-thousandths, rounded to the nearest, when it lies in [0, 1] (not -0) and
/// is not halfway between two.
fn fixed4_steps(value: f64) -> Option<u128> {
    if !(0.0..=1.0).contains(&value) || value.is_sign_negative() {
        return None;
    }
    let bits = value.to_bits();
    let (exponent, fraction) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
    let (mantissa, exponent) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, exponent - 1075)
    };
    let scaled = u128::from(mantissa) * 10_000;
    // A value of at most 1 has a negative exponent, unless it is zero.
    if mantissa == 0 {
        return Some(0);
    }
    let shift = exponent.unsigned_abs();
    if exponent >= 0 || shift >= 127 {
        // Below 2^67 · 2^-127: far below half a step.
        return (exponent < 0).then_some(0);
    }
    let whole = scaled >> shift;
    let rest = scaled & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    match rest.cmp(&half) {
        std::cmp::Ordering::Less => Some(whole),
        std::cmp::Ordering::Greater => Some(whole + 1),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidences_are_written_as_the_formatter_writes_them() {
        let mut values = vec![0.0, 1.0, 0.5, 0.03125, 0.00005, 0.99995, 1e-300, 5e-324];
        // Every step and half step, and values a bit either side.
        for k in 0..=20_000u32 {
            let v = f64::from(k) / 20_000.0;
            let bits = v.to_bits();
            values.extend([
                v,
                f64::from_bits(bits + 1),
                f64::from_bits(bits.saturating_sub(1)),
            ]);
        }
        let mut state = 7u64;
        for _ in 0..100_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            values.push((state >> 11) as f64 / (1u64 << 53) as f64);
            values.push(f64::from_bits(state >> 2));
        }
        values.extend([-0.0, -0.5, 1.5, f64::NAN, f64::INFINITY]);
        for v in values {
            let mut line = String::new();
            push_fixed4(&mut line, v);
            assert_eq!(line, format!("{v:.4}"), "{v:e}");
        }
    }

    #[test]
    fn sides_are_bracketed_lists() {
        let mut line = String::new();
        push_side(&mut line, 3..3);
        push_side(&mut line, 7..8);
        push_side(&mut line, 10..13);
        assert_eq!(line, "[][7][10,11,12]");
    }
}
