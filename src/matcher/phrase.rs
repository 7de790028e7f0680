//! Finding the places of a phrase in an answer: [`Matcher::each_span`] and its search
//! ([`PhraseSearch`]: following the trie from each place of a first word, then a [`Reach`] when
//! that takes too many steps).

use smallvec::SmallVec;

use super::Matcher;
use crate::lexicon::{How, TermId};
use crate::scheme::Phrase;

/// Steps [`Matcher::follow`] may take over the places of one phrase before the search goes
/// on through a [`Reach`]: far more than any ordinary answer needs.
pub(super) const FOLLOW_STEPS: usize = 1 << 14;

/// The search for the places of one phrase ([`Matcher::each_span`]): [`Matcher::follow`] from
/// each place of a first word, until it has taken the steps allowed (a long phrase of one
/// repeated word, or a wide `gap`, can make it try exponentially many ways); then a [`Reach`],
/// which finds the same words in time linear in the places of the phrase's words.
pub(super) struct PhraseSearch<'p> {
    phrase: &'p Phrase,
    budget: usize,
    reach: Option<Reach>,
}

impl<'p> PhraseSearch<'p> {
    pub(super) fn new(phrase: &'p Phrase, budget: usize) -> PhraseSearch<'p> {
        PhraseSearch {
            phrase,
            budget,
            reach: None,
        }
    }

    /// Completes the match whose first word, at trie node `node`, is `path[0]`: whether it
    /// completes, with its words in `path`.
    #[inline(always)]
    pub(super) fn complete(&mut self, m: &Matcher, node: usize, path: &mut SmallVec<[(u32, TermId, How); 8]>) -> bool {
        if let Some(r) = &self.reach {
            return r.complete(m, self.phrase, node, path);
        }
        match m.follow(self.phrase, node, path, &mut self.budget) {
            Some(found) => found,
            None => {
                path.truncate(1);
                self.reach
                    .insert(Reach::of(m, self.phrase))
                    .complete(m, self.phrase, node, path)
            }
        }
    }
}

/// For each node of a phrase's trie, the places of its word from which the rest of the phrase
/// can be completed (with how the word matched there), by place: found from the last words
/// back, each place once, so that completing a match from any place is a few binary searches
/// ([`Matcher::each_span`]).
pub(super) struct Reach {
    done: Vec<Vec<(u32, How)>>,
}

impl Reach {
    pub(super) fn of(m: &Matcher, phrase: &Phrase) -> Reach {
        let mut word = vec![None; phrase.nodes.len()];
        for n in &phrase.nodes {
            for &(term, child) in &n.children {
                word[child as usize] = Some(term);
            }
        }
        let mut done: Vec<Vec<(u32, How)>> = vec![Vec::new(); phrase.nodes.len()];
        // A node's children come after it in the trie.
        for node in (1..phrase.nodes.len()).rev() {
            let Some(term) = word[node] else { continue };
            let places = m
                .occurrences(term)
                .iter()
                .copied()
                .filter(|&(p, _)| phrase.nodes[node].end || Reach::next(m, phrase, &done, node, p).is_some())
                .collect();
            done[node] = places;
        }
        Reach { done }
    }

    /// The next word of a match whose word at trie node `node` is at place `cur`, as
    /// [`Matcher::follow`] would choose it: (place, word, how, its node), from the first child
    /// with a place in reach from which the rest follows, the nearest such place.
    pub(super) fn next(
        m: &Matcher,
        phrase: &Phrase,
        done: &[Vec<(u32, How)>],
        node: usize,
        cur: u32,
    ) -> Option<(u32, TermId, How, usize)> {
        let toks = &m.doc.tokens;
        let sentence = toks[cur as usize].sentence;
        phrase.nodes[node].children.iter().find_map(|&(term, child)| {
            let places = &done[child as usize];
            let &(p, how) = places.get(places.partition_point(|&(p, _)| p <= cur))?;
            (p - cur - 1 <= phrase.gap && toks[p as usize].sentence == sentence).then_some((
                p,
                term,
                how,
                child as usize,
            ))
        })
    }

    /// [`Matcher::follow`] from trie node `node`, whose word is the last of `path`.
    pub(super) fn complete(
        &self,
        m: &Matcher,
        phrase: &Phrase,
        mut node: usize,
        path: &mut SmallVec<[(u32, TermId, How); 8]>,
    ) -> bool {
        loop {
            if phrase.nodes[node].end {
                return true;
            }
            let cur = path[path.len() - 1].0;
            match Reach::next(m, phrase, &self.done, node, cur) {
                Some((p, term, how, child)) => {
                    path.push((p, term, how));
                    node = child;
                }
                None => return false,
            }
        }
    }
}

impl Matcher<'_> {
    /// The places of [`Matcher::each_span`], in the order they are found: by first word (in
    /// the order of `phrase.root`), then place. The search stops at the first place `f` wants
    /// without looking for the first places of the other first words (`each_span` needs them
    /// all to put the places in order).
    pub(super) fn each_span_as_found(&self, phrase: &Phrase, mut f: impl FnMut(&[(u32, TermId, How)]) -> bool) {
        let mut search = PhraseSearch::new(phrase, FOLLOW_STEPS);
        let mut path: SmallVec<[(u32, TermId, How); 8]> = SmallVec::new();
        // First and last words of the places found, in a list while they are few (nearly
        // always), then in a set (looking through a list of thousands for each took time in
        // the square of their number): a place with the same first and last words as an
        // earlier one is the one `each_span` leaves out.
        let mut seen: SmallVec<[(u32, u32); 8]> = SmallVec::new();
        let mut many: Option<rustc_hash::FxHashSet<(u32, u32)>> = None;
        let several = phrase.root.len() > 1;
        for &(term, node) in &phrase.root {
            for &(p0, how) in self.occurrences(term) {
                path.clear();
                path.push((p0, term, how));
                if !search.complete(self, node as usize, &mut path) {
                    continue;
                }
                // Places of one first word have distinct first words.
                let new = !several || {
                    let ends = (path[0].0, path[path.len() - 1].0);
                    match &mut many {
                        Some(set) => set.insert(ends),
                        None if seen.contains(&ends) => false,
                        None => {
                            seen.push(ends);
                            if seen.len() > 32 {
                                many = Some(seen.drain(..).collect());
                            }
                            true
                        }
                    }
                };
                if new && f(&path) {
                    return;
                }
            }
        }
    }

    /// Calls `f` with the words of each place where the phrase occurs (words in order, in one
    /// sentence, at most `gap` words apart), by first then last word, one place for each
    /// first and last word, until `f` returns true. For each place of a first word the first
    /// way found through the trie wins ([`PhraseSearch`]). Nothing is gathered: a phrase can
    /// occur millions of times in an answer.
    pub(super) fn each_span(&self, phrase: &Phrase, mut f: impl FnMut(&[(u32, TermId, How)]) -> bool) {
        let mut search = PhraseSearch::new(phrase, FOLLOW_STEPS);
        // The first words that occur: nearly always one at most, whose places come in order.
        let mut roots = (0..phrase.root.len()).filter(|&r| self.occurs(phrase.root[r].0));
        let (Some(r0), second) = (roots.next(), roots.next()) else {
            return;
        };
        if second.is_none() {
            let (term, node) = phrase.root[r0];
            let mut path: SmallVec<[(u32, TermId, How); 8]> = SmallVec::new();
            for &(p0, how) in self.occurrences(term) {
                path.clear();
                path.push((p0, term, how));
                if search.complete(self, node as usize, &mut path) && f(&path) {
                    return;
                }
            }
            return;
        }
        // Several: the places of each, in order, merged; of places with the same first and
        // last words, the one of the earliest first word in `phrase.root`.
        struct Head {
            /// The next place found (empty when there is none), and the index of the
            /// occurrence of the first word to try after it.
            path: SmallVec<[(u32, TermId, How); 8]>,
            next: usize,
        }
        let advance = |search: &mut PhraseSearch, r: usize, head: &mut Head| {
            let (term, node) = phrase.root[r];
            let places = self.occurrences(term);
            head.path.clear();
            while let Some(&(p0, how)) = places.get(head.next) {
                head.next += 1;
                head.path.push((p0, term, how));
                if search.complete(self, node as usize, &mut head.path) {
                    return;
                }
                head.path.clear();
            }
        };
        let ends = |h: &Head| (h.path[0].0, h.path[h.path.len() - 1].0);
        // (root, head) of each first word that occurs, in the order of `phrase.root`.
        let mut heads: SmallVec<[(usize, Head); 4]> = SmallVec::new();
        for r in [r0].into_iter().chain(second).chain(roots) {
            let mut head = Head {
                path: SmallVec::new(),
                next: 0,
            };
            advance(&mut search, r, &mut head);
            heads.push((r, head));
        }
        while let Some(k) = (0..heads.len())
            .filter(|&k| !heads[k].1.path.is_empty())
            .min_by_key(|&k| ends(&heads[k].1))
        {
            let at = ends(&heads[k].1);
            if f(&heads[k].1.path) {
                return;
            }
            for (r, head) in heads.iter_mut() {
                while !head.path.is_empty() && ends(head) == at {
                    advance(&mut search, *r, head);
                }
            }
        }
    }

    /// Extends a phrase match from trie node `node` whose word is the last of `path`: tries
    /// each next word at each place within the gap (a later place may be the one that lets
    /// the rest of the phrase fit). The first complete variant found wins. `None` when the
    /// search has taken `budget` steps (with `path` left as it was then).
    pub(super) fn follow(
        &self,
        phrase: &Phrase,
        node: usize,
        path: &mut SmallVec<[(u32, TermId, How); 8]>,
        budget: &mut usize,
    ) -> Option<bool> {
        let n = &phrase.nodes[node];
        if n.end {
            return Some(true);
        }
        let toks = &self.doc.tokens;
        let cur = path[path.len() - 1].0;
        let sentence = toks[cur as usize].sentence;
        for &(term, child) in &n.children {
            let list = self.occurrences(term);
            let from = list.partition_point(|&(p, _)| p <= cur);
            for &(p, how) in &list[from..] {
                if p - cur - 1 > phrase.gap || toks[p as usize].sentence != sentence {
                    break;
                }
                *budget = budget.checked_sub(1)?;
                path.push((p, term, how));
                if self.follow(phrase, child as usize, path, budget)? {
                    return Some(true);
                }
                path.pop();
            }
        }
        Some(false)
    }
}
