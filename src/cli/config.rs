//! Checked settings, made from the raw arguments: the rest of the code never sees a string
//! that still needs parsing.

use std::path::{Path, PathBuf};

/// The bar set by `--min-score`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    /// A fraction of the maximum, 0 to 1.
    Fraction(f64),
    /// Marks.
    Marks(f64),
}

impl Threshold {
    /// `0.6` and `60%` are fractions; values of 1 or more are marks.
    pub fn parse(s: &str) -> Result<Threshold, String> {
        let t = s.trim();
        let bad = || format!("invalid --min-score `{s}`: expected a fraction (0.6), a percentage (60%) or marks (6)");
        if let Some(p) = t.strip_suffix('%') {
            let v: f64 = p.trim().parse().map_err(|_| bad())?;
            if !(0.0..=100.0).contains(&v) {
                return Err(bad());
            }
            return Ok(Threshold::Fraction(v / 100.0));
        }
        let v: f64 = t.parse().map_err(|_| bad())?;
        if !v.is_finite() || v < 0.0 {
            return Err(bad());
        }
        Ok(if v < 1.0 {
            Threshold::Fraction(v)
        } else {
            Threshold::Marks(v)
        })
    }

    /// Whether `score` out of `max` reaches the bar.
    pub fn met(self, score: f64, max: f64) -> bool {
        const EPS: f64 = 1e-9;
        match self {
            Threshold::Fraction(f) => max > 0.0 && score / max + EPS >= f,
            Threshold::Marks(m) => score + EPS >= m,
        }
    }
}

/// Finds `rubric.toml` in `start` (a file's folder or a folder) or the nearest folder above.
pub fn discover_rubric(start: &Path) -> Option<PathBuf> {
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let abs = std::fs::canonicalize(start).ok()?;
    let mut dir: Option<&Path> = Some(abs.as_path());
    while let Some(d) = dir {
        let candidate = d.join("rubric.toml");
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert_eq!(Threshold::parse("0.6"), Ok(Threshold::Fraction(0.6)));
        assert_eq!(Threshold::parse("60%"), Ok(Threshold::Fraction(0.6)));
        assert_eq!(Threshold::parse("6"), Ok(Threshold::Marks(6.0)));
        assert!(Threshold::parse("abc").is_err());
        assert!(Threshold::parse("-1").is_err());
        assert!(Threshold::parse("150%").is_err());
        assert!(Threshold::Fraction(0.6).met(6.0, 10.0));
        assert!(!Threshold::Fraction(0.6).met(5.5, 10.0));
        assert!(Threshold::Marks(6.0).met(6.0, 10.0));
        assert!(!Threshold::Marks(6.0).met(5.0, 10.0));
    }
}
