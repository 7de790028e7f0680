//! Values of single options, parsed and checked by clap itself through these value parsers
//! (the first of two stages, as ripgrep's `LowArgs`): a bad `--min-score` is a usage error like
//! an unknown option, exit code 2, reported before anything is read.

use crate::project::Threshold;

/// `--min-score`: the bar, and the text the user wrote (reports and `--print-config` show it).
#[derive(Debug, Clone, PartialEq)]
pub struct MinScore {
    pub threshold: Threshold,
    pub text: String,
}

/// Parses `--min-score` (clap value parser).
pub fn min_score(s: &str) -> Result<MinScore, String> {
    let threshold = Threshold::parse(s)?;
    Ok(MinScore {
        threshold,
        text: s.to_string(),
    })
}

/// Parses `--similarity` (clap value parser): above 0, at most 1.
pub fn similarity(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => {
            Err("expected a number above 0 and at most 1 (0.8 flags answers sharing 80% of their wording)".to_string())
        }
    }
}

/// Parses `--threads` (clap value parser): a whole number, at least 1.
pub fn threads(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1 (leave it out to use every core)".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// Parses `--min-qwk` (clap value parser): a kappa, from -1 to 1.
pub fn min_qwk(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(q) if (-1.0..=1.0).contains(&q) => Ok(q),
        _ => Err("QWK runs from -1 to 1".to_string()),
    }
}

/// Parses `fit --step` (clap value parser): 1 (whole marks) or 0.5 (half marks).
pub fn step(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x == 1.0 || x == 0.5 => Ok(x),
        _ => Err("expected 1 (whole marks) or 0.5 (half marks)".to_string()),
    }
}

/// Parses `eval --cell` (clap value parser): `HUMAN,TOOL`, two whole numbers (the range is
/// checked against the marks file once it is read).
pub fn cell(s: &str) -> Result<(i64, i64), String> {
    two_whole(s, ',').ok_or_else(|| {
        format!("expected HUMAN,TOOL: two whole scores such as `2,1` (a human score, then a tool score), not `{s}`")
    })
}

/// Parses `suggest --levels` (clap value parser): `HIGH:LOW`, two whole scores, the first the
/// higher (that both occur is checked against the marks file once it is read).
pub fn levels(s: &str) -> Result<(i64, i64), String> {
    match two_whole(s, ':') {
        Some((h, l)) if h > l => Ok((h, l)),
        Some(_) => Err(format!(
            "HIGH must be above LOW (`2:1` contrasts answers scored 2 with those scored 1), not `{s}`"
        )),
        None => Err(format!(
            "expected HIGH:LOW: two whole human scores such as `2:1`, not `{s}`"
        )),
    }
}

/// Two whole numbers separated by `sep` (spaces around each allowed).
fn two_whole(s: &str, sep: char) -> Option<(i64, i64)> {
    let (a, b) = s.split_once(sep)?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

/// Parses `--delimiter` (clap value parser): one ASCII character, or a name such as `tab`.
pub fn delimiter(s: &str) -> Result<u8, String> {
    crate::eval::marks::parse_delimiter(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_is_two_whole_numbers() {
        assert_eq!(cell("2,1"), Ok((2, 1)));
        assert_eq!(cell(" 0 , 3 "), Ok((0, 3)));
        for bad in ["", "2", "2,", "2;1", "2,1,0", "a,b", "1.5,1", "2:1"] {
            assert!(cell(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn levels_are_two_whole_numbers_high_first() {
        assert_eq!(levels("2:1"), Ok((2, 1)));
        assert_eq!(levels(" 10 : 0 "), Ok((10, 0)));
        assert_eq!(levels("1:-1"), Ok((1, -1)));
        for bad in ["", "2", "2:", "2,1", "2:1:0", "a:b", "1.5:1", "1:2", "1:1"] {
            assert!(levels(bad).is_err(), "{bad}");
        }
        assert!(levels("1:2").unwrap_err().contains("above"));
    }

    #[test]
    fn values_are_checked_as_they_are_parsed() {
        let m = min_score(" 60% ").unwrap();
        assert_eq!(m.threshold, Threshold::Fraction(0.6));
        assert_eq!(m.text, " 60% ");
        assert!(min_score("lots").unwrap_err().starts_with("expected a fraction"));
        assert_eq!(similarity("0.8"), Ok(0.8));
        assert_eq!(similarity(" 1 "), Ok(1.0));
        for bad in ["0", "1.5", "-0.1", "NaN", "x"] {
            assert!(similarity(bad).is_err(), "{bad}");
        }
        assert_eq!(threads("4"), Ok(4));
        assert_eq!(
            threads("0").unwrap_err(),
            "must be at least 1 (leave it out to use every core)"
        );
        assert!(threads("-1").is_err());
        assert_eq!(min_qwk("-0.5"), Ok(-0.5));
        for bad in ["1.5", "-2", "NaN", "x"] {
            assert_eq!(min_qwk(bad).unwrap_err(), "QWK runs from -1 to 1", "{bad}");
        }
        assert_eq!(delimiter("tab"), Ok(b'\t'));
        assert!(delimiter("ab").is_err());
    }
}
