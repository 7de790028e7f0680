//! How well each point of a rubric separates the human score levels: for the answers where
//! the point is covered, partial and missing, how many there are and their mean human score,
//! the difference between the covered and the missing mean, and Spearman's rank correlation
//! between the point's status (missing 0, partial ½, covered 1) and the human score.
//!
//! A point whose covered answers score no higher than the rest earns marks that do not follow
//! the teacher's: its cues probably match the wrong answers. Such points are flagged with the
//! reason, for the author to look at first. A negated point counts as missing (it earns
//! nothing either); how many of the missing were negated is given too.

use serde::Serialize;

use super::metrics::spearman;
use super::{Scored, mean, points};
use crate::matcher::Status;
use crate::scheme::Rubric;

/// Below this rank correlation a point is flagged as separating the scores barely.
pub const WEAK_RHO: f64 = 0.1;

/// The answers in which a point has one status.
#[derive(Debug, Clone, Serialize)]
pub struct StatusGroup {
    pub n: usize,
    /// Their mean human score; `null` when there are none.
    pub mean_human: Option<f64>,
}

/// One point against the human scores.
#[derive(Debug, Clone, Serialize)]
pub struct PointSeparation {
    pub id: String,
    pub label: String,
    pub covered: StatusGroup,
    pub partial: StatusGroup,
    /// Missing or negated.
    pub missing: StatusGroup,
    /// How many of `missing` were negated.
    pub negated: usize,
    /// Mean human score when covered less the mean when missing; `null` when either is empty.
    pub difference: Option<f64>,
    /// Spearman's rank correlation of the status (missing 0, partial 0.5, covered 1) with the
    /// human score; `null` when the status or the score is the same in every answer.
    pub spearman: Option<f64>,
    /// Why the point separates the scores poorly; `null` when it does not.
    pub flag: Option<String>,
}

fn group(scores: &[f64]) -> StatusGroup {
    StatusGroup {
        n: scores.len(),
        mean_human: mean(scores.iter().copied()),
    }
}

/// Every point of `rubric` (in rubric order) against the human `scores` of the answers as
/// `scored`.
pub fn separation(rubric: &Rubric, scores: &[i64], scored: &[Scored]) -> Vec<PointSeparation> {
    points(rubric)
        .enumerate()
        .map(|(pi, point)| {
            let mut by = [Vec::new(), Vec::new(), Vec::new()];
            let mut negated = 0;
            let mut status = Vec::with_capacity(scored.len());
            let mut human = Vec::with_capacity(scored.len());
            for (&h, s) in scores.iter().zip(scored) {
                let st = s.statuses.get(pi).copied().unwrap_or(Status::Missing);
                let (k, v) = match st {
                    Status::Covered => (0, 1.0),
                    Status::Partial => (1, 0.5),
                    Status::Negated | Status::Missing => (2, 0.0),
                };
                negated += usize::from(st == Status::Negated);
                by[k].push(h as f64);
                status.push(v);
                human.push(h as f64);
            }
            let [covered, partial, missing] = by;
            let rest: Vec<f64> = partial.iter().chain(&missing).copied().collect();
            let covered_mean = mean(covered.iter().copied());
            let rest_mean = mean(rest.iter().copied());
            let rho = spearman(&status, &human);
            let flag = if covered.is_empty() && partial.is_empty() {
                Some("never found in these answers: check its cues".to_string())
            } else if let (Some(c), Some(r)) = (covered_mean, rest_mean)
                && c <= r + 1e-9
            {
                Some("covered answers score no higher than the rest: check its cues".to_string())
            } else if missing.is_empty() {
                Some("found in every answer: it does not separate the scores".to_string())
            } else if rho.is_none_or(|r| r < WEAK_RHO) {
                Some(format!(
                    "barely separates the scores (rank correlation below {WEAK_RHO}): check its cues"
                ))
            } else {
                None
            };
            PointSeparation {
                id: point.id.clone(),
                label: point.label.clone(),
                difference: covered_mean.zip(mean(missing.iter().copied())).map(|(c, m)| c - m),
                covered: group(&covered),
                partial: group(&partial),
                missing: group(&missing),
                negated,
                spearman: rho,
                flag,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::VINEGAR;
    use Status::{Covered as C, Missing as M, Negated as N, Partial as P};

    fn scored(statuses: [Status; 3]) -> Scored {
        Scored {
            tool: 0.0,
            compared: 0,
            statuses: statuses.to_vec(),
        }
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn groups_answers_by_status_and_flags_points_that_do_not_separate() {
        let rubric = Rubric::from_str(VINEGAR, "r.toml").unwrap();
        // vinegar follows the human score; size is covered in the low answers; container is
        // never found.
        let scores = [3, 2, 1, 0, 0];
        let answers = [
            scored([C, M, M]),
            scored([C, P, M]),
            scored([P, M, M]),
            scored([N, C, M]),
            scored([M, C, M]),
        ];
        let sep = separation(&rubric, &scores, &answers);
        let ids: Vec<&str> = sep.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["vinegar", "size", "container"]);

        let v = &sep[0];
        assert_eq!((v.covered.n, v.partial.n, v.missing.n, v.negated), (2, 1, 2, 1));
        assert!(close(v.covered.mean_human, 2.5));
        assert!(close(v.partial.mean_human, 1.0));
        assert!(close(v.missing.mean_human, 0.0));
        assert!(close(v.difference, 2.5));
        // Status 1 1 .5 0 0 against 3 2 1 0 0: ranks 4.5 4.5 3 1.5 1.5 and 5 4 3 1.5 1.5.
        assert!(close(
            v.spearman,
            super::super::metrics::pearson(&[4.5, 4.5, 3.0, 1.5, 1.5], &[5.0, 4.0, 3.0, 1.5, 1.5]).unwrap()
        ));
        assert_eq!(v.flag, None);

        let s = &sep[1];
        assert!(close(s.covered.mean_human, 0.0));
        assert!(s.spearman.is_some_and(|r| r < 0.0));
        assert!(
            s.flag.as_deref().is_some_and(|f| f.contains("no higher than the rest")),
            "{:?}",
            s.flag
        );

        let c = &sep[2];
        assert_eq!((c.covered.n, c.missing.n), (0, 5));
        assert_eq!((c.difference, c.spearman), (None, None));
        assert!(c.flag.as_deref().is_some_and(|f| f.starts_with("never found")));
        let json = serde_json::to_value(&sep[0]).unwrap();
        assert_eq!(json["covered"]["n"], 2);
        assert_eq!(json["negated"], 1);
    }
}
