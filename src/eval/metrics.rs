//! Agreement between two raters on integer scores: the confusion matrix, quadratic weighted
//! kappa, exact and adjacent agreement, mean absolute error; and precision, recall and F1 for
//! yes/no labels.
//!
//! Everything here is plain arithmetic on counts, with no knowledge of rubrics, so that it can
//! be tested against values computed by hand.

/// Rounds a tool score to a whole number, halves up (2.5 → 3, 0.5 → 1): what `eval` does
/// when the rubric sets no `rounding`. A rubric that sets one has its total rounded by it
/// already ([`crate::scheme::Rounding`], applied in [`crate::score`]), a whole number this
/// leaves as it is.
pub fn round_score(x: f64) -> i64 {
    crate::scheme::Rounding::None.whole(x)
}

/// The tool score compared with a human score: rounded (see [`round_score`]), then clamped to
/// the human range `lo..=hi`.
pub fn compared_score(tool: f64, lo: i64, hi: i64) -> i64 {
    round_score(tool).clamp(lo, hi)
}

/// A square confusion matrix over the scores `lo..=hi`: rows are the first rater (the human),
/// columns the second (the tool).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confusion {
    pub lo: i64,
    pub hi: i64,
    /// `counts[h - lo][t - lo]`: answers the human scored `h` and the tool `t`.
    pub counts: Vec<Vec<u64>>,
}

impl Confusion {
    /// Counts `(human, tool)` pairs. Scores outside `lo..=hi` are clamped into it.
    ///
    /// # Panics
    /// If `hi < lo`.
    pub fn new(pairs: &[(i64, i64)], lo: i64, hi: i64) -> Confusion {
        assert!(hi >= lo, "empty score range {lo}..={hi}");
        let k = (hi - lo + 1) as usize;
        let mut counts = vec![vec![0u64; k]; k];
        for &(h, t) in pairs {
            let i = (h.clamp(lo, hi) - lo) as usize;
            let j = (t.clamp(lo, hi) - lo) as usize;
            counts[i][j] += 1;
        }
        Confusion { lo, hi, counts }
    }

    /// The number of score categories.
    pub fn k(&self) -> usize {
        self.counts.len()
    }

    /// The number of pairs counted.
    pub fn n(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    /// The scores, `lo..=hi`, in row (and column) order.
    pub fn labels(&self) -> Vec<i64> {
        (self.lo..=self.hi).collect()
    }

    fn row_sums(&self) -> Vec<u64> {
        self.counts.iter().map(|r| r.iter().sum()).collect()
    }

    fn col_sums(&self) -> Vec<u64> {
        (0..self.k()).map(|j| self.counts.iter().map(|r| r[j]).sum()).collect()
    }

    /// Sum of the counts whose two scores differ by at most `d`.
    fn within(&self, d: usize) -> u64 {
        let mut s = 0;
        for (i, row) in self.counts.iter().enumerate() {
            for (j, &c) in row.iter().enumerate() {
                if i.abs_diff(j) <= d {
                    s += c;
                }
            }
        }
        s
    }

    /// Fraction of pairs with the same score; `None` when there are none.
    pub fn exact(&self) -> Option<f64> {
        let n = self.n();
        (n > 0).then(|| self.within(0) as f64 / n as f64)
    }

    /// Fraction of pairs whose scores differ by at most 1; `None` when there are none.
    pub fn adjacent(&self) -> Option<f64> {
        let n = self.n();
        (n > 0).then(|| self.within(1) as f64 / n as f64)
    }

    /// Mean absolute difference between the two scores; `None` when there are no pairs.
    pub fn mae(&self) -> Option<f64> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let mut s = 0u64;
        for (i, row) in self.counts.iter().enumerate() {
            for (j, &c) in row.iter().enumerate() {
                s += c * i.abs_diff(j) as u64;
            }
        }
        Some(s as f64 / n as f64)
    }

    /// Quadratic weighted kappa (Cohen's kappa with weights `(i - j)² / (k - 1)²`):
    /// `1 - Σ w·O / Σ w·E`, where `O` is the observed matrix and `E` the matrix expected by
    /// chance from the two raters' score distributions (`E[i][j] = rows[i] · cols[j] / n`).
    /// 1 is perfect agreement, 0 agreement no better than chance, negative worse than chance.
    ///
    /// `None` when it is undefined: no pairs, a single score category, or both raters giving
    /// every answer the same score (`Σ w·E = 0`).
    pub fn qwk(&self) -> Option<f64> {
        let k = self.k();
        let n = self.n();
        if n == 0 || k < 2 {
            return None;
        }
        let rows = self.row_sums();
        let cols = self.col_sums();
        let denom_w = ((k - 1) * (k - 1)) as f64;
        let mut observed = 0.0;
        let mut expected = 0.0;
        for (i, (row, &row_sum)) in self.counts.iter().zip(&rows).enumerate() {
            for (j, (&count, &col_sum)) in row.iter().zip(&cols).enumerate() {
                let w = (i.abs_diff(j) * i.abs_diff(j)) as f64 / denom_w;
                observed += w * count as f64;
                expected += w * (row_sum * col_sum) as f64 / n as f64;
            }
        }
        if expected == 0.0 {
            return None;
        }
        Some(1.0 - observed / expected)
    }
}

/// Counts for a yes/no decision against a reference: "positive" is the point being covered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Binary {
    /// Reference yes, tool yes.
    pub tp: u64,
    /// Reference no, tool yes.
    pub fp: u64,
    /// Reference yes, tool no.
    pub fn_: u64,
    /// Reference no, tool no.
    pub tn: u64,
}

impl Binary {
    /// Adds one decision.
    pub fn add(&mut self, reference: bool, tool: bool) {
        match (reference, tool) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    pub fn n(&self) -> u64 {
        self.tp + self.fp + self.fn_ + self.tn
    }

    /// `tp / (tp + fp)`; `None` when the tool said yes to nothing.
    pub fn precision(&self) -> Option<f64> {
        let d = self.tp + self.fp;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }

    /// `tp / (tp + fn)`; `None` when the reference says yes to nothing.
    pub fn recall(&self) -> Option<f64> {
        let d = self.tp + self.fn_;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }

    /// The harmonic mean of precision and recall: `2·tp / (2·tp + fp + fn)`; `None` when there
    /// is no positive on either side.
    pub fn f1(&self) -> Option<f64> {
        let d = 2 * self.tp + self.fp + self.fn_;
        (d > 0).then(|| 2.0 * self.tp as f64 / d as f64)
    }
}

/// Ranks of `xs` from 1, ties given the mean of the ranks they share.
fn average_ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut ranks = vec![0.0; xs.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && xs[order[j + 1]] == xs[order[i]] {
            j += 1;
        }
        // Positions i..=j (ranks i+1..=j+1) share their mean.
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = rank;
        }
        i = j + 1;
    }
    ranks
}

/// Pearson's correlation of two equally long series; `None` when either is constant (or there
/// are fewer than two pairs).
pub fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len().min(ys.len());
    if n < 2 {
        return None;
    }
    let mx = xs[..n].iter().sum::<f64>() / n as f64;
    let my = ys[..n].iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs[..n].iter().zip(&ys[..n]) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's rank correlation: Pearson's correlation of the ranks, ties given their mean rank
/// (so that it suits a few score levels and a three-valued status). 1: the higher one, the
/// higher the other; 0: no relation. `None` when either series is constant.
pub fn spearman(xs: &[f64], ys: &[f64]) -> Option<f64> {
    pearson(&average_ranks(xs), &average_ranks(ys))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn rounding_is_half_up() {
        assert_eq!(round_score(2.5), 3);
        assert_eq!(round_score(0.5), 1);
        assert_eq!(round_score(1.49), 1);
        assert_eq!(round_score(0.1 + 0.2 + 0.2), 1);
        assert_eq!(round_score(5.5), 6);
        assert_eq!(compared_score(7.5, 0, 3), 3);
        assert_eq!(compared_score(0.4, 1, 3), 1);
        assert_eq!(compared_score(1.5, 0, 3), 2);
    }

    #[test]
    fn spearman_by_hand() {
        assert_eq!(average_ranks(&[10.0, 20.0, 20.0, 5.0]), vec![2.0, 3.5, 3.5, 1.0]);
        // Monotone but not linear: 1.
        assert!(close(spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 4.0, 9.0, 100.0]), 1.0));
        assert!(close(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), -1.0));
        // Ties: x ranks 1.5 1.5 3 4, y ranks 1 2 3 4; Pearson of those by hand:
        // mean 2.5; dx = -1 -1 .5 1.5, dy = -1.5 -.5 .5 1.5; sxy = 1.5+.5+.25+2.25 = 4.5,
        // sxx = 1+1+.25+2.25 = 4.5, syy = 5: 4.5 / sqrt(22.5).
        assert!(close(
            spearman(&[0.0, 0.0, 0.5, 1.0], &[0.0, 1.0, 2.0, 3.0]),
            4.5 / 22.5f64.sqrt()
        ));
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[0.0, 1.0, 2.0]), None);
        assert_eq!(spearman(&[1.0], &[0.0]), None);
    }

    #[test]
    fn confusion_counts_rows_human_columns_tool() {
        let c = Confusion::new(&[(0, 0), (0, 1), (2, 1), (2, 2), (2, 5)], 0, 2);
        assert_eq!(c.counts, vec![vec![1, 1, 0], vec![0, 0, 0], vec![0, 1, 2]]);
        assert_eq!(c.n(), 5);
        assert_eq!(c.labels(), vec![0, 1, 2]);
    }

    #[test]
    fn qwk_perfect_agreement_is_one() {
        let pairs: Vec<(i64, i64)> = [0, 1, 2, 3, 3, 1].iter().map(|&s| (s, s)).collect();
        assert!(close(Confusion::new(&pairs, 0, 3).qwk(), 1.0));
    }

    #[test]
    fn qwk_three_by_three_by_hand() {
        // O (rows human, columns tool)   rows 3,3,4; columns 2,4,4; n = 10
        //   2 1 0
        //   0 2 1
        //   0 1 3
        // weights (i-j)²/4: 0.25 next to the diagonal, 1 in the corners.
        // Σ w·O = 0.25·(1 + 1 + 1) = 0.75
        // E = r·c/10: [.6 1.2 1.2; .6 1.2 1.2; .8 1.6 1.6]
        // Σ w·E = 0.25·(1.2 + .6 + 1.2 + 1.6) + (1.2 + .8) = 3.15
        // κ = 1 - 0.75 / 3.15 = 16/21
        let mut pairs = Vec::new();
        let o = [[2, 1, 0], [0, 2, 1], [0, 1, 3]];
        for (h, row) in o.iter().enumerate() {
            for (t, &c) in row.iter().enumerate() {
                for _ in 0..c {
                    pairs.push((h as i64, t as i64));
                }
            }
        }
        let c = Confusion::new(&pairs, 0, 2);
        assert!(close(c.qwk(), 16.0 / 21.0), "{:?}", c.qwk());
        assert!(close(c.exact(), 0.7));
        assert!(close(c.adjacent(), 1.0));
        assert!(close(c.mae(), 0.3));
    }

    #[test]
    fn qwk_complete_disagreement_is_minus_one() {
        // O = [0 0 1; 0 0 0; 1 0 0]; Σ w·O = 2; E = .5 in each corner; Σ w·E = 1.
        let c = Confusion::new(&[(0, 2), (2, 0)], 0, 2);
        assert!(close(c.qwk(), -1.0));
        assert!(close(c.exact(), 0.0));
        assert!(close(c.adjacent(), 0.0));
        assert!(close(c.mae(), 2.0));
    }

    #[test]
    fn qwk_chance_level_is_zero() {
        // Tool independent of the human: every cell 1 → O = E.
        let mut pairs = Vec::new();
        for h in 0..3 {
            for t in 0..3 {
                pairs.push((h, t));
            }
        }
        assert!(close(Confusion::new(&pairs, 0, 2).qwk(), 0.0));
    }

    #[test]
    fn qwk_two_categories_equals_cohens_kappa() {
        // With two categories the weights are 0/1, so QWK is Cohen's kappa:
        // O = [20 5; 10 15], po = 0.7, pe = (25·30 + 25·20)/2500 = 0.5, κ = 0.4.
        let mut pairs = Vec::new();
        pairs.extend(std::iter::repeat_n((0, 0), 20));
        pairs.extend(std::iter::repeat_n((0, 1), 5));
        pairs.extend(std::iter::repeat_n((1, 0), 10));
        pairs.extend(std::iter::repeat_n((1, 1), 15));
        assert!(close(Confusion::new(&pairs, 0, 1).qwk(), 0.4));
    }

    #[test]
    fn qwk_undefined_cases() {
        assert_eq!(Confusion::new(&[], 0, 3).qwk(), None);
        assert_eq!(Confusion::new(&[(1, 1), (1, 1)], 1, 1).qwk(), None);
        assert_eq!(Confusion::new(&[(2, 2), (2, 2)], 0, 3).qwk(), None);
        assert_eq!(Confusion::new(&[], 0, 3).exact(), None);
        assert_eq!(Confusion::new(&[], 0, 3).mae(), None);
    }

    #[test]
    fn adjacent_and_mae() {
        let c = Confusion::new(&[(0, 0), (0, 1), (3, 1), (2, 3)], 0, 3);
        assert!(close(c.exact(), 0.25));
        assert!(close(c.adjacent(), 0.75));
        assert!(close(c.mae(), 4.0 / 4.0), "differences 0, 1, 2, 1");
    }

    #[test]
    fn precision_recall_f1() {
        let mut b = Binary::default();
        for (r, t) in [(true, true), (true, true), (true, false), (false, true), (false, false)] {
            b.add(r, t);
        }
        assert_eq!((b.tp, b.fp, b.fn_, b.tn), (2, 1, 1, 1));
        assert!(close(b.precision(), 2.0 / 3.0));
        assert!(close(b.recall(), 2.0 / 3.0));
        assert!(close(b.f1(), 2.0 / 3.0));
        let none = Binary {
            tn: 4,
            ..Binary::default()
        };
        assert_eq!((none.precision(), none.recall(), none.f1()), (None, None, None));
    }
}
