//! The rubric's rounding rule (`rounding = "half-up"` at the top of the rubric): how an
//! answer's total score becomes a whole mark. One rule, applied where the total is computed
//! ([`crate::score`]), so that `check`, `mark`, `serve` and `eval` show and compare the same
//! mark. Without the setting the total is kept as computed (halves and all) and `eval`, which
//! must compare whole marks with the human's, rounds halves up.
//!
//! ```
//! use rubric::Rounding;
//! assert_eq!(Rounding::HalfUp.round(1.5), 2.0);
//! assert_eq!(Rounding::HalfDown.round(1.5), 1.0);
//! assert_eq!(Rounding::HalfEven.round(2.5), 2.0);
//! assert_eq!(Rounding::Down.round(1.9), 1.0);
//! assert_eq!(Rounding::Up.round(1.1), 2.0);
//! assert_eq!(Rounding::None.round(1.53), 1.53);
//! ```

use serde::Deserialize;

/// How a total score is rounded to a whole mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(try_from = "String")]
pub enum Rounding {
    /// Kept as computed (`"none"`, the default); `eval` rounds halves up to compare.
    #[default]
    None,
    /// To the nearest whole mark, a half up: 1.5 → 2, 1.4 → 1.
    HalfUp,
    /// To the nearest whole mark, a half down: 1.5 → 1, 1.6 → 2.
    HalfDown,
    /// To the nearest whole mark, a half to the even one: 0.5 → 0, 1.5 → 2, 2.5 → 2.
    HalfEven,
    /// Down to the whole mark below (only whole marks earned count): 1.9 → 1.
    Down,
    /// Up to the whole mark above (any part of a mark counts): 1.1 → 2.
    Up,
}

/// The rules as written in a rubric, in the order the docs give them.
pub const ROUNDINGS: &[(&str, Rounding)] = &[
    ("none", Rounding::None),
    ("half-up", Rounding::HalfUp),
    ("half-down", Rounding::HalfDown),
    ("half-even", Rounding::HalfEven),
    ("down", Rounding::Down),
    ("up", Rounding::Up),
];

/// Scores are sums of marks such as 0.1 and 0.2: a score this close to a half or a whole is
/// taken as it.
const EPS: f64 = 1e-9;

impl Rounding {
    /// `x` rounded by the rule.
    pub fn round(self, x: f64) -> f64 {
        let r = match self {
            Rounding::None => x,
            Rounding::HalfUp => (x + 0.5 + EPS).floor(),
            Rounding::HalfDown => (x - 0.5 - EPS).ceil(),
            Rounding::HalfEven => {
                let below = x.floor();
                let frac = x - below;
                if (frac - 0.5).abs() <= EPS {
                    if below.rem_euclid(2.0) == 0.0 {
                        below
                    } else {
                        below + 1.0
                    }
                } else {
                    (x + 0.5).floor()
                }
            }
            Rounding::Down => (x + EPS).floor(),
            Rounding::Up => (x - EPS).ceil(),
        };
        // `ceil` of a small negative number is -0, which prints as "-0".
        if r == 0.0 { 0.0 } else { r }
    }

    /// `x` rounded to a whole mark for comparing with a human's: by the rule, halves up when
    /// the rule is `none`.
    pub fn whole(self, x: f64) -> i64 {
        let rule = if self == Rounding::None { Rounding::HalfUp } else { self };
        rule.round(x) as i64
    }

    /// The name written in a rubric.
    pub fn name(self) -> &'static str {
        ROUNDINGS.iter().find(|(_, r)| *r == self).map_or("none", |(n, _)| n)
    }

    /// The rule in words, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Rounding::None => "not rounded",
            Rounding::HalfUp => "to the nearest whole mark, halves up",
            Rounding::HalfDown => "to the nearest whole mark, halves down",
            Rounding::HalfEven => "to the nearest whole mark, halves to the even mark",
            Rounding::Down => "down to a whole mark",
            Rounding::Up => "up to a whole mark",
        }
    }
}

impl TryFrom<String> for Rounding {
    type Error = String;
    fn try_from(value: String) -> Result<Rounding, String> {
        super::error::one_of(&value, "rounding", ROUNDINGS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_by_hand() {
        let xs = [
            0.0,
            0.4,
            0.5,
            0.6,
            1.5,
            2.5,
            1.53,
            2.0,
            0.1 + 0.2 + 0.2,
            2.999_999_999_9,
        ];
        let table: &[(Rounding, [f64; 10])] = &[
            (
                Rounding::None,
                [
                    0.0,
                    0.4,
                    0.5,
                    0.6,
                    1.5,
                    2.5,
                    1.53,
                    2.0,
                    0.1 + 0.2 + 0.2,
                    2.999_999_999_9,
                ],
            ),
            (Rounding::HalfUp, [0.0, 0.0, 1.0, 1.0, 2.0, 3.0, 2.0, 2.0, 1.0, 3.0]),
            (Rounding::HalfDown, [0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 2.0, 0.0, 3.0]),
            (Rounding::HalfEven, [0.0, 0.0, 0.0, 1.0, 2.0, 2.0, 2.0, 2.0, 0.0, 3.0]),
            (Rounding::Down, [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 1.0, 2.0, 0.0, 3.0]),
            (Rounding::Up, [0.0, 1.0, 1.0, 1.0, 2.0, 3.0, 2.0, 2.0, 1.0, 3.0]),
        ];
        for (rule, want) in table {
            let got: Vec<f64> = xs.iter().map(|&x| rule.round(x)).collect();
            assert_eq!(got, want, "{rule:?}");
        }
        for &(_, rule) in ROUNDINGS {
            assert!(
                rule.round(0.2).is_sign_positive() || rule == Rounding::None,
                "{rule:?} gives -0"
            );
            assert!(rule.round(0.5).is_sign_positive(), "{rule:?} gives -0");
        }
        assert_eq!(Rounding::None.whole(1.5), 2);
        assert_eq!(Rounding::HalfDown.whole(1.5), 1);
    }

    #[test]
    fn names_parse_and_round_trip() {
        for &(name, rule) in ROUNDINGS {
            assert_eq!(Rounding::try_from(name.to_string()), Ok(rule));
            assert_eq!(rule.name(), name);
        }
        let e = Rounding::try_from("nearest".to_string()).unwrap_err();
        assert!(e.contains("\"half-up\""), "{e}");
    }
}
