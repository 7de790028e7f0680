//! `all` groups: the matches of each part ([`PartMatches`]), the windows in which every part
//! has one ([`Matcher::each_window`]), and where a group is partly found ([`Matcher::partly`]).

use smallvec::SmallVec;

use super::{Cand, Matcher, Reach, Rejects};
use crate::lexicon::{How, TermId};
use crate::scheme::Scope;
use crate::scheme::{Cue, CueNode};

/// A full match of one part of an `all` group, in its [`PartMatches`]: 20 bytes, and 12 for
/// each of its words (a part can match millions of times).
#[derive(Clone, Copy)]
pub(super) struct PartMatch {
    /// First and last token of the match.
    first: u32,
    end: u32,
    /// The token of its negation word, or [`PartMatch::NONE`].
    negator: u32,
    /// Its words: `len` of the part's list of words from `at`.
    at: u32,
    len: u32,
}

impl PartMatch {
    const NONE: u32 = u32::MAX;

    pub(super) fn first(&self) -> usize {
        self.first as usize
    }
    pub(super) fn end(&self) -> usize {
        self.end as usize
    }
    pub(super) fn negator(&self) -> Option<usize> {
        (self.negator != PartMatch::NONE).then_some(self.negator as usize)
    }
}

/// The full matches of one part of an `all` group ([`Matcher::part_matches`]), with their
/// words in one list (both inline while they are few: nearly always).
#[derive(Default)]
pub(super) struct PartMatches {
    list: SmallVec<[PartMatch; 4]>,
    words: SmallVec<[(u32, TermId, How); 6]>,
}

impl PartMatches {
    /// Room for `n` matches of a word or two, when there may be many (a list that grows holds
    /// its old and new room at once; room not taken is never touched, and takes no memory).
    pub(super) fn reserve(&mut self, n: usize) {
        if n >= 1024 {
            self.list.reserve_exact(n);
            self.words.reserve_exact(n);
        }
    }

    pub(super) fn push(&mut self, first: usize, end: usize, negator: Option<usize>, words: &[(u32, TermId, How)]) {
        self.list.push(PartMatch {
            first: first as u32,
            end: end as u32,
            negator: negator.map_or(PartMatch::NONE, |j| j as u32),
            at: self.words.len() as u32,
            len: words.len() as u32,
        });
        self.words.extend_from_slice(words);
    }

    pub(super) fn of(&mut self, c: Cand) {
        let end = c.words.iter().map(|w| w.0).max().unwrap_or(0) as usize;
        self.push(c.first(), end, c.negator, &c.words);
    }

    pub(super) fn len(&self) -> usize {
        self.list.len()
    }
    pub(super) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
    pub(super) fn iter(&self) -> std::slice::Iter<'_, PartMatch> {
        self.list.iter()
    }
    /// The words of match `m`.
    pub(super) fn words(&self, m: &PartMatch) -> &[(u32, TermId, How)] {
        &self.words[m.at as usize..(m.at + m.len) as usize]
    }
}

impl std::ops::Index<usize> for PartMatches {
    type Output = PartMatch;
    fn index(&self, i: usize) -> &PartMatch {
        &self.list[i]
    }
}

/// The negation word of an `all` group's window (`chosen[part]` indexes `found[part]`): the
/// first of the parts' negation words that is not itself one of the group's matched words
/// ("doesn't" + "use energy": content, not a negation of the other parts).
pub(super) fn group_negator(found: &[PartMatches], chosen: &[usize]) -> Option<usize> {
    let picked = || chosen.iter().enumerate().map(|(pi, &mi)| (&found[pi], &found[pi][mi]));
    let inside = |j: usize| picked().any(|(ms, m)| ms.words(m).iter().any(|w| w.0 as usize == j));
    picked().filter_map(|(_, m)| m.negator()).find(|&j| !inside(j))
}

/// Clears the negation word of every part's match whose negation word is a word of another
/// part's match: the group's own word, not a negation of it ("couldn't" + "read" in "he
/// couldn't read"). For an `all` group partly found ([`Matcher::partly`]); the windows of a
/// group found in full ask [`group_negator`].
pub(super) fn clear_own_negators(found: &mut [PartMatches]) {
    if !found.iter().any(|ms| ms.iter().any(|m| m.negator().is_some())) {
        return;
    }
    let mut words: Vec<(u32, u32)> = found
        .iter()
        .enumerate()
        .flat_map(|(pi, ms)| ms.words.iter().map(move |w| (w.0, pi as u32)))
        .collect();
    words.sort_unstable();
    words.dedup();
    for (pi, ms) in found.iter_mut().enumerate() {
        for m in ms.list.iter_mut().filter(|m| m.negator != PartMatch::NONE) {
            let from = words.partition_point(|w| w.0 < m.negator);
            let mut same = words[from..].iter().take_while(|w| w.0 == m.negator);
            if same.any(|w| w.1 != pi as u32) {
                m.negator = PartMatch::NONE;
            }
        }
    }
}

/// Up to this many matches of an `all` group's parts, its windows are found by looking from
/// each start at every later match in reach ([`Matcher::each_window_scan`]); beyond, by a sweep
/// that stays near linear for any `within` ([`Matcher::each_window_sweep`]).
pub(super) const SCAN_MAX: usize = 48;

/// A reach (`within`) up to which windows are always found by looking from each start at every
/// match in reach ([`Matcher::each_window_scan`]), however many matches there are.
pub(super) const SCAN_REACH: usize = 64;

/// The least of a list of numbers over any range of it, to find the first place in a range
/// whose number is below a bound in a number of steps logarithmic in the list's length.
pub(super) struct MinTree {
    /// Leaves (padded with `u32::MAX` to a power of two) at `size..2 * size`; node `i` holds
    /// the least of nodes `2i` and `2i + 1`. (Four bytes each: a tree is made over millions of
    /// matches.)
    nodes: Vec<u32>,
    size: usize,
}

impl MinTree {
    pub(super) fn new(values: impl ExactSizeIterator<Item = u32>) -> MinTree {
        let size = values.len().next_power_of_two();
        let mut nodes = vec![u32::MAX; 2 * size];
        for (i, v) in values.enumerate() {
            nodes[size + i] = v;
        }
        for i in (1..size).rev() {
            nodes[i] = nodes[2 * i].min(nodes[2 * i + 1]);
        }
        MinTree { nodes, size }
    }

    /// The first place in `lo..hi` whose number is below `bound`.
    pub(super) fn first_below(&self, lo: usize, hi: usize, bound: u64) -> Option<usize> {
        self.find(1, 0, self.size, lo, hi, bound)
    }

    /// [`MinTree::first_below`] within node `node`, which covers `from..to`: a node is entered
    /// only when its least number is below the bound, so that past the range's two edges the
    /// search goes straight down to the place.
    pub(super) fn find(&self, node: usize, from: usize, to: usize, lo: usize, hi: usize, bound: u64) -> Option<usize> {
        if to <= lo || hi <= from || u64::from(self.nodes[node]) >= bound {
            return None;
        }
        if to - from == 1 {
            return Some(from);
        }
        let mid = (from + to) / 2;
        self.find(2 * node, from, mid, lo, hi, bound)
            .or_else(|| self.find(2 * node + 1, mid, to, lo, hi, bound))
    }
}

impl Matcher<'_> {
    /// What kind of match of a part `m` is, for choosing among a part's matches in a window
    /// (lower is better): negated, then made only of question echo ([`super::echo`]).
    #[inline]
    pub(super) fn worth(&self, ms: &PartMatches, m: &PartMatch) -> (bool, bool) {
        (m.negator().is_some(), self.echoed(ms.words(m)))
    }

    /// The full matches of one part of an `all` group, as [`Matcher::each_cand`] finds them,
    /// in the same order, into `out`.
    pub(super) fn part_matches(&self, part: &Cue, rejects: &mut Rejects, out: &mut PartMatches) {
        if let CueNode::Phrase(p) = &part.node
            && part.unless.is_empty()
        {
            // A phrase (nearly every part), kept without building candidates. It has at most
            // one match for each place of its first words.
            if !self.may_match(part) {
                return;
            }
            let most: usize = p.root.iter().map(|&(t, _)| self.occurrences(t).len()).sum();
            out.reserve(most);
            // As found, then put in the order of `each_span` (quicker than its merge of the
            // places of several first words; the sort costs no memory).
            self.each_span_as_found(p, |path| {
                let (first, end) = (path[0].0 as usize, path[path.len() - 1].0 as usize);
                let negator = if part.negation { self.negator(path) } else { None };
                out.push(first, end, negator, path);
                false
            });
            out.list.sort_by_key(|m| (m.first, m.end));
            return;
        }
        // In order, whatever the search allows: windows choose among a part's matches by
        // their order.
        let brief = std::mem::replace(&mut rejects.brief, false);
        self.each_cand(part, rejects, &mut |c, _| {
            if c.full {
                out.of(c);
            }
            false
        });
        rejects.brief = brief;
    }

    /// Where an `all` group without a window is partly found: the sentence where most of its
    /// parts have a match not negated nor question echo (the first such sentence among equals), of those where
    /// the first part has one (what the point is about: the post, the event; other parts alone
    /// are too common to mean anything). The first such match of each part there (an index
    /// into `found[part]`), if any.
    #[inline]
    pub(super) fn partly(&self, found: &[PartMatches], scope: Scope) -> Option<SmallVec<[Option<usize>; 4]>> {
        let sentence_of = |m: &PartMatch| self.unit(scope, m.first());
        // Only matches not negated and in the student's own words count towards a part found
        // ([`super::echo`]).
        let clean = |ms: &PartMatches, m: &PartMatch| self.worth(ms, m) == (false, false);
        // Each part's first match not negated in a sentence: looked for among a few matches,
        // or, for many, found by halving among its matches not negated put in order of
        // sentence (looking through every part's matches for each of the first part's took
        // time in the square of their number).
        let by_sentence: Option<Vec<Vec<u32>>> =
            (found.iter().map(|ms| ms.len()).sum::<usize>() > SCAN_MAX).then(|| {
                found
                    .iter()
                    .map(|ms| {
                        let mut clean: Vec<u32> =
                            (0..ms.len() as u32).filter(|&mi| clean(ms, &ms[mi as usize])).collect();
                        clean.sort_by_key(|&mi| sentence_of(&ms[mi as usize]));
                        clean
                    })
                    .collect()
            });
        let first_in = |pi: usize, s: u32| match &by_sentence {
            Some(clean) => {
                let of = |mi: u32| sentence_of(&found[pi][mi as usize]);
                let list = &clean[pi];
                list.get(list.partition_point(|&mi| of(mi) < s))
                    .filter(|&&mi| of(mi) == s)
                    .map(|&mi| mi as usize)
            }
            None => found[pi]
                .iter()
                .position(|m| clean(&found[pi], m) && sentence_of(m) == s),
        };
        // The most parts, then the first sentence.
        type Slots = SmallVec<[Option<usize>; 4]>;
        let mut best: Option<(usize, std::cmp::Reverse<u32>, Slots)> = None;
        let mut slots = Slots::new();
        let first = found.first()?;
        for m in first.iter().filter(|m| clean(first, m)) {
            let s = sentence_of(m);
            slots.clear();
            for pi in 0..found.len() {
                slots.push(first_in(pi, s));
            }
            let key = (slots.iter().flatten().count(), std::cmp::Reverse(s));
            if best.as_ref().is_none_or(|(count, first, _)| key >= (*count, *first)) {
                best = Some((key.0, key.1, slots.clone()));
            }
        }
        best.map(|(_, _, slots)| slots)
    }

    /// The windows of an `all` group in which every part has a full match: one sentence (and
    /// at most [`SENTENCE_SPAN`] words), or `within` words reaching at most into the next
    /// sentence. Calls `f` once per window start, in order, with the match chosen for each part
    /// (an index into `found[part]`: the first in the window of the best kind there,
    /// [`Matcher::worth`]), until `f` returns true.
    pub(super) fn each_window(&self, found: &[PartMatches], reach: Reach, f: impl FnMut(&[usize]) -> bool) {
        // Looking at every match in reach of each start takes time in the number of matches
        // times the reach: fine for a reach of a sentence or a few dozen words.
        if reach.words <= SCAN_REACH || found.iter().map(|ms| ms.len()).sum::<usize>() <= SCAN_MAX {
            self.each_window_scan(found, reach, f);
        } else {
            self.each_window_sweep(found, reach, f);
        }
    }

    /// [`Matcher::each_window`] by looking, from each window start, at every later match within
    /// reach: quick for the few matches of nearly every answer, and for any number of matches
    /// when the reach is short, but in the square of their number for a wide `within`
    /// ([`Matcher::each_window_sweep`] is for those).
    pub(super) fn each_window_scan(&self, found: &[PartMatches], reach: Reach, mut f: impl FnMut(&[usize]) -> bool) {
        let unit = |i: usize| self.unit(reach.scope, i);
        let worth = |pi: usize, m: &PartMatch| self.worth(&found[pi], m);
        // (first token, part, match), 12 bytes each.
        let mut items: SmallVec<[(u32, u32, u32); 16]> = SmallVec::new();
        for (pi, ms) in found.iter().enumerate() {
            for (mi, m) in ms.iter().enumerate() {
                items.push((m.first, pi as u32, mi as u32));
            }
        }
        items.sort_unstable();
        let mut chosen: SmallVec<[Option<usize>; 8]> = SmallVec::new();
        let mut picked: SmallVec<[usize; 8]> = SmallVec::new();
        for (li, &(start, _, _)) in items.iter().enumerate() {
            // Of the items with the same start, the first sees every match the others see.
            if li > 0 && items[li - 1].0 == start {
                continue;
            }
            let start = start as usize;
            chosen.clear();
            chosen.resize(found.len(), None);
            let start_unit = unit(start);
            let last_unit = start_unit + reach.next();
            for &(s, pi, mi) in &items[li..] {
                let (s, pi, mi) = (s as usize, pi as usize, mi as usize);
                let m = &found[pi][mi];
                // Matches come by first token: past the units or the reach, none is in the window.
                if s.saturating_sub(start) >= reach.words || unit(s) > last_unit {
                    break;
                }
                // The first part (what the point is about) in the window's first unit.
                let last = if pi == 0 { start_unit } else { last_unit };
                if m.end().saturating_sub(start) >= reach.words || unit(m.end()) > last {
                    continue;
                }
                let slot = &mut chosen[pi];
                if slot.is_none_or(|o| worth(pi, &found[pi][o]) > worth(pi, m)) {
                    *slot = Some(mi);
                }
            }
            if chosen.iter().all(Option::is_some) {
                picked.clear();
                picked.extend(chosen.iter().flatten().copied());
                if f(&picked) {
                    return;
                }
            }
        }
    }

    /// [`Matcher::each_window`] in time near linear in the number of matches, whatever the
    /// `within`: the same windows, with the same matches chosen. A window starting at token `s`
    /// holds the matches whose first token lies in `s..f` and whose last token lies before `e`,
    /// where `f` and `e` never decrease as `s` grows; each part's matches are taken by first
    /// token, with a [`MinTree`] of their last tokens (and one of the last tokens of those not
    /// negated, when some are) that finds the first of them in the window in a number of steps
    /// logarithmic in their number.
    pub(super) fn each_window_sweep(&self, found: &[PartMatches], reach: Reach, mut f: impl FnMut(&[usize]) -> bool) {
        let tokens = self.doc.tokens.len();
        // The first token of the first unit after `unit` (the number of tokens when there is
        // none): units never decrease along the answer.
        let after = |unit: u32| {
            let (mut lo, mut hi) = (0, tokens);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if self.unit(reach.scope, mid) <= unit {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lo
        };
        struct Part<'m> {
            ms: &'m PartMatches,
            /// Indices into the part's matches by first token (then index), unless they come so.
            order: Option<Vec<u32>>,
            ends: MinTree,
            /// Of the matches of the better kinds ([`Matcher::worth`]), best first, when the
            /// part has matches of more than one kind: not negated and in the student's own
            /// words, not negated, in the student's own words.
            better_ends: SmallVec<[MinTree; 3]>,
            /// The first match (in order) not before the window's start.
            next: usize,
        }
        impl Part<'_> {
            fn at(&self, k: usize) -> &PartMatch {
                &self.ms[self.order.as_ref().map_or(k, |o| o[k] as usize)]
            }
            /// The first match (in order) from `from` whose first token is not before `token`.
            fn from(&self, from: usize, token: usize) -> usize {
                let (mut lo, mut hi) = (from, self.ms.len());
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if self.at(mid).first() < token {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                lo
            }
        }
        let mut parts: SmallVec<[Part; 4]> = found
            .iter()
            .map(|ms| {
                let order = (!ms.list.is_sorted_by_key(|m| m.first)).then(|| {
                    let mut order: Vec<u32> = (0..ms.len() as u32).collect();
                    order.sort_by_key(|&mi| ms[mi as usize].first);
                    order
                });
                let at = |k: usize| &ms[order.as_ref().map_or(k, |o| o[k] as usize)];
                let negated = ms.iter().any(|m| m.negator().is_some());
                let echoed = !self.echo.is_empty() && ms.iter().any(|m| self.worth(ms, m).1);
                // The ends of the matches `keep` takes, in order.
                let ends = |keep: &dyn Fn((bool, bool)) -> bool| {
                    MinTree::new((0..ms.len()).map(|k| {
                        if keep(self.worth(ms, at(k))) {
                            at(k).end
                        } else {
                            u32::MAX
                        }
                    }))
                };
                let mut better_ends = SmallVec::new();
                if negated && echoed {
                    better_ends.push(ends(&|w| w == (false, false)));
                }
                if negated {
                    better_ends.push(ends(&|w| !w.0));
                }
                if echoed {
                    better_ends.push(ends(&|w| !w.1));
                }
                Part {
                    ms,
                    ends: MinTree::new((0..ms.len()).map(|k| at(k).end)),
                    better_ends,
                    order,
                    next: 0,
                }
            })
            .collect();
        let mut picked: SmallVec<[usize; 8]> = SmallVec::new();
        // Each window start: the first tokens of the parts' matches, in order.
        while let Some(s) = parts
            .iter()
            .filter(|p| p.next < p.ms.len())
            .map(|p| p.at(p.next).first())
            .min()
        {
            // Matches first and last in `s..end_before`: in the units, within reach (the first
            // part's in the first unit).
            let unit = self.unit(reach.scope, s);
            let reach_end = s.saturating_add(reach.words);
            let first_unit_end = reach_end.min(after(unit));
            let last_unit_end = reach_end.min(after(unit + reach.next()));
            picked.clear();
            let mut whole = true;
            for (pi, p) in parts.iter().enumerate() {
                let end_before = if pi == 0 { first_unit_end } else { last_unit_end };
                let (lo, hi) = (p.next, p.from(p.next, end_before));
                let bound = end_before as u64;
                let k = p
                    .better_ends
                    .iter()
                    .chain([&p.ends])
                    .find_map(|ends| ends.first_below(lo, hi, bound));
                match k {
                    Some(k) => picked.push(p.order.as_ref().map_or(k, |o| o[k] as usize)),
                    None => whole = false,
                }
            }
            if whole && f(&picked) {
                return;
            }
            for p in parts.iter_mut() {
                p.next = p.from(p.next, s + 1);
            }
        }
    }
}
