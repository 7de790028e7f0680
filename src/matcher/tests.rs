//! Table-driven matcher tests: a cue list, an answer, the status it must get.

use super::Status;
use crate::scheme::Rubric;
use crate::score::assess;
use crate::text::read::Format;
use crate::text::tokens::Document;

/// A case of `cases.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// TOML for the point's `cues` (and optionally `partial`) lines.
    cues: String,
    text: String,
    /// `covered`, `partial`, `negated` or `missing`.
    want: String,
}

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

fn status(cues: &str, text: &str) -> Status {
    let rubric = crate::testing::one_point(
        "title = \"How had Stalin been able to rise up the Bolshevik ranks?\"\n[synonyms]\nallies = [\"ally|allies\", \"friend\", \"supporter\"]",
        "How did Stalin's series of jobs help to concentrate power in his hands?",
        cues,
    );
    let doc = Document::new(text.to_string(), Format::Text, &rubric.language);
    let a = assess(&rubric, &doc, false);
    let got = a.points().next().map(|p| p.finding.status).unwrap_or(Status::Missing);
    // Statuses alone (batch marking) and `--explain` find the same.
    for detail in [super::Detail::Status, super::Detail::Explain] {
        let other = crate::score::assess_with(&rubric, &doc, detail);
        assert_eq!(
            other.points().next().map(|p| p.finding.status),
            Some(got),
            "{detail:?}: {cues} / {text}"
        );
    }
    got
}

#[test]
fn table_of_matches() {
    let cases: Cases = toml::from_str(include_str!("cases.toml")).expect("cases.toml parses");
    assert!(cases.case.len() > 60, "the table lost its cases");
    let mut failures = Vec::new();
    for c in &cases.case {
        let got = status(&c.cues, &c.text);
        if got.as_str() != c.want {
            failures.push(format!("{}: want {:?}, got {:?}", c.name, c.want, got));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn evidence_points_at_the_words() {
    let rubric = crate::testing::one_point("title = \"T\"", "Q?", r#"cues = ["patronage"]"#);
    let text = "Intro line.\nHe built a big patronige system.";
    let doc = Document::new(text.to_string(), Format::Text, &rubric.language);
    let a = assess(&rubric, &doc, false);
    let ev = &a.points().next().expect("one point").finding.evidence[0];
    assert_eq!(&text[ev.start..ev.end], "patronige");
    assert_eq!((ev.line, ev.column), (2, 16));
    assert_eq!(ev.words[0].how, "fuzzy");
    assert_eq!(ev.words[0].distance, 1);
    assert_eq!(ev.quote, "He built a big patronige system.");
}

/// Of two windows of a group, evidence quotes the one in the student's own words rather than
/// one that takes a part from the question's wording.
#[test]
fn evidence_prefers_the_students_own_words_to_question_echo() {
    let rubric = crate::testing::one_point(
        "title = \"T\"",
        "How did Stalin's series of jobs help to concentrate power in his hands?",
        r#"cues = [{ all = ["power", "friends"], within = 6 }]"#,
    );
    let text = "It helps to concentrate power in his hands: friends gave him power.";
    let doc = Document::new(text.to_string(), Format::Text, &rubric.language);
    let a = assess(&rubric, &doc, false);
    let finding = &a.points().next().expect("one point").finding;
    assert_eq!(finding.status, Status::Covered);
    let ev = &finding.evidence[0];
    assert_eq!(&text[ev.start..ev.end], "friends gave him power");
}

/// A cue is skipped unless one of its triggers occurs: a phrase's first words, an `all`
/// group's first part's, any part's of an `any` group.
#[test]
fn triggers_are_the_words_a_match_starts_with() {
    let rubric = crate::testing::one_point(
        "title = \"t\"",
        "Why?",
        r#"cues = ["general secretary | secretariat of [the] party", { all = ["lenin|trotsky", "death"] }]
partial = [{ any = ["patronage", "appoint* people", { all = ["kamenev", "zinoviev"] }], need = 2 }]"#,
    );
    let point = &rubric.questions[0].points[0];
    let words = |ids: &[u32]| {
        let mut w: Vec<&str> = ids
            .iter()
            .map(|&t| rubric.lexicon.terms[t as usize].word.as_str())
            .collect();
        w.sort_unstable();
        w.dedup();
        w
    };
    assert_eq!(words(&point.cues[0].triggers), ["general", "secretariat"]);
    assert_eq!(words(&point.cues[1].triggers), ["lenin", "trotsky"]);
    assert_eq!(
        words(&point.partial_cues[0].triggers),
        ["appoint", "kamenev", "patronage"]
    );
    assert_eq!(
        words(&point.triggers),
        [
            "appoint",
            "general",
            "kamenev",
            "lenin",
            "patronage",
            "secretariat",
            "trotsky"
        ]
    );
    // Later words alone do not let the point be evaluated, and do not match it.
    for (text, want) in [
        (
            "The party secretary and Zinoviev had the death penalty.",
            Status::Missing,
        ),
        ("After Lenin's death he rose.", Status::Covered),
        ("Kamenev and Zinoviev, and patronage.", Status::Partial),
    ] {
        let doc = Document::new(text.to_string(), Format::Text, &rubric.language);
        for detail in [super::Detail::Status, super::Detail::Evidence, super::Detail::Explain] {
            let a = crate::score::assess_with(&rubric, &doc, detail);
            assert_eq!(
                a.points().next().map(|p| p.finding.status),
                Some(want),
                "{text} {detail:?}"
            );
        }
    }
}

/// Batch marking asks for statuses alone ([`super::Detail::Status`]), which stops at the first
/// cue that covers a point: the statuses and marks must be those of a full check, on every
/// shipped answer and with every shipped rubric.
#[test]
fn statuses_alone_are_those_of_a_full_check() {
    use super::Detail;
    use crate::score::assess_with;
    let root = env!("CARGO_MANIFEST_DIR");
    let mut rubrics = vec![format!("{root}/rubrics/stalin-rise.toml")];
    for set in [1, 2, 5, 6, 10] {
        rubrics.push(format!("{root}/rubrics/asap-sas/set{set}.toml"));
    }
    let mut answers = Vec::new();
    for dir in ["samples/stalin", "tests/fixtures/stalin-eval"] {
        let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/{dir}"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
            .collect();
        paths.sort();
        answers.extend(paths.into_iter().map(|p| std::fs::read_to_string(p).unwrap()));
    }
    assert!(answers.len() >= 50, "{} answers", answers.len());
    let mut compared = 0;
    for path in &rubrics {
        let rubric = Rubric::load(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
        for text in &answers {
            let doc = Document::new(text.clone(), Format::Markdown, &rubric.language);
            let full = assess_with(&rubric, &doc, Detail::Evidence);
            let brief = assess_with(&rubric, &doc, Detail::Status);
            // `--explain` evaluates every cue, whether its triggers occur or not.
            let explained = assess_with(&rubric, &doc, Detail::Explain);
            let statuses = |a: &crate::score::Assessment| a.statuses().to_vec();
            assert_eq!(statuses(&full), statuses(&brief), "{path}: {text}");
            assert_eq!(statuses(&explained), statuses(&brief), "{path}: {text}");
            assert_eq!(full.score, brief.score);
            assert!(brief.points().all(|p| p.finding.evidence.is_empty()));
            // Batch marking without evidence: the score and the statuses, no findings.
            let alone = crate::score::statuses(&rubric, &doc);
            assert_eq!(alone, full.brief(), "{path}: {text}");
            compared += full.points().filter(|p| p.finding.status == Status::Covered).count();
        }
    }
    assert!(compared > 100, "only {compared} covered points compared");
}

/// The matcher finds a word's matches in the word's slot of the thread's word memo when the
/// answer was read on the same thread, and looks the word up otherwise: both ways give the
/// same findings, and a slot filled for one rubric is not taken for another's.
#[test]
fn findings_do_not_depend_on_the_thread_that_read_the_answer() {
    let root = env!("CARGO_MANIFEST_DIR");
    let seed = Rubric::load(std::path::Path::new(&format!("{root}/rubrics/stalin-rise.toml"))).unwrap();
    let other = Rubric::load(std::path::Path::new(&format!("{root}/rubrics/asap-sas/set1.toml"))).unwrap();
    let text = std::fs::read_to_string(format!("{root}/samples/stalin/misspelt.txt")).unwrap();
    let statuses = |r: &Rubric, d: &Document| {
        assess(r, d, false)
            .points()
            .map(|p| p.finding.status)
            .collect::<Vec<_>>()
    };
    let here = Document::new(text.clone(), Format::Text, &seed.language);
    assert_ne!(here.memo_epoch, 0);
    let (t, lang) = (text.clone(), crate::text::lang::Language::english());
    let there = std::thread::spawn(move || Document::new(t, Format::Text, &lang))
        .join()
        .unwrap();
    let want = statuses(&seed, &here);
    assert!(want.contains(&Status::Covered));
    assert_eq!(statuses(&seed, &there), want);
    // Slots now hold the seed rubric's matches: another rubric must not read them as its own.
    let fresh = Document::new(text, Format::Text, &other.language);
    assert_eq!(statuses(&other, &here), statuses(&other, &fresh));
    assert_eq!(statuses(&seed, &here), want);
}

#[test]
fn findings_survive_the_word_memo_being_emptied() {
    let root = env!("CARGO_MANIFEST_DIR");
    let seed = Rubric::load(std::path::Path::new(&format!("{root}/rubrics/stalin-rise.toml"))).unwrap();
    let text = std::fs::read_to_string(format!("{root}/samples/stalin/misspelt.txt")).unwrap();
    let statuses = |d: &Document| {
        assess(&seed, d, false)
            .points()
            .map(|p| p.finding.status)
            .collect::<Vec<_>>()
    };
    let before = Document::new(text.clone(), Format::Text, &seed.language);
    let want = statuses(&before);
    assert!(want.contains(&Status::Covered));
    crate::text::tokens::forget_words();
    // Read before the memo was emptied: its slots are gone, its findings are not.
    assert_eq!(statuses(&before), want);
    // Read after: the memo starts again.
    let after = Document::new(text, Format::Text, &seed.language);
    assert_ne!(after.memo_epoch, before.memo_epoch);
    assert_eq!(statuses(&after), want);
}

/// Windows of `all` groups: the sweep for many matches ([`super::Matcher::each_window_sweep`])
/// chooses what the scan does ([`super::Matcher::each_window_scan`]), start by start, for matches
/// of any length, negated or not, question echo or not, in one sentence or across several.
mod windows {
    use super::super::{Matcher, PartMatches, Reach};
    use crate::lexicon::How;
    use crate::scheme::{Rubric, Scope};
    use crate::text::read::Format;
    use crate::text::tokens::Document;

    /// Every window each way finds, and the windows up to the `stop`th (where `f` says stop).
    fn both(m: &Matcher, found: &[PartMatches], within: Reach, stop: usize) -> [Vec<Vec<usize>>; 2] {
        let mut out = [Vec::new(), Vec::new()];
        for (k, got) in out.iter_mut().enumerate() {
            let f = |chosen: &[usize]| {
                got.push(chosen.to_vec());
                got.len() == stop
            };
            if k == 0 {
                m.each_window_scan(found, within, f);
            } else {
                m.each_window_sweep(found, within, f);
            }
        }
        out
    }

    fn rubric() -> Rubric {
        crate::testing::one_point("title = \"t\"", "p", r#"cues = ["patronage"]"#)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        #[test]
        fn the_sweep_chooses_what_the_scan_does(
            // Sentence lengths (in words), then each part's matches: (first, length, negated).
            sentences in proptest::collection::vec(proptest::prop_oneof![1usize..12, 30usize..60], 1..12),
            parts in proptest::collection::vec(
                proptest::collection::vec((0usize..400, 0usize..8, proptest::prelude::any::<bool>()), 0..60),
                1..4,
            ),
            within in proptest::option::of(proptest::prop_oneof![1u32..4, 3u32..50, proptest::strategy::Just(100_000u32)]),
            scope in proptest::prop_oneof![
                proptest::strategy::Just(Scope::Sentence),
                proptest::strategy::Just(Scope::Next),
                proptest::strategy::Just(Scope::Clause),
                proptest::strategy::Just(Scope::Paragraph),
                proptest::strategy::Just(Scope::Answer),
            ],
            // A blank line (a new paragraph) after every `para`th sentence.
            para in 1usize..4,
            stop in 0usize..6,
            // Matches by first token (as phrases' are), or in any order (as a group's may be).
            sorted in proptest::prelude::any::<bool>(),
            // Every `echo`th word is question echo (none for 0).
            echo in 0usize..4,
        ) {
            let text: String = sentences
                .iter()
                .enumerate()
                .map(|(k, &n)| format!("Word{}.{}", " word".repeat(n - 1), if k % para == para - 1 { "\n\n" } else { " " }))
                .collect();
            let rubric = rubric();
            let doc = Document::new(text, Format::Text, &rubric.language);
            let n = doc.tokens.len();
            proptest::prop_assert_eq!(doc.sentences.len(), sentences.len());
            let mut m = Matcher::new(&rubric, &doc);
            if echo > 0 {
                m.echo = (0..n).map(|i| i % echo == 0).collect();
            }
            let found: Vec<PartMatches> = parts
                .iter()
                .map(|ms| {
                    let mut out = PartMatches::default();
                    let mut ms = ms.clone();
                    if sorted {
                        ms.sort_by_key(|m| m.0 % n);
                    }
                    for &(first, len, negated) in &ms {
                        let first = first % n;
                        // Now and then a match reaching far (a group's).
                        let end = (first + if len == 7 { 5 * len * len } else { len }).min(n - 1);
                        // One word, at its start: question echo or not.
                        out.push(first, end, negated.then_some(first), &[(first as u32, 0, How::Exact)]);
                    }
                    out
                })
                .collect();
            let [scan, sweep] = both(&m, &found, Reach::new(within, scope), stop);
            proptest::prop_assert_eq!(scan, sweep);
        }
    }

    /// The sweep's work grows near linearly with the matches, however wide `within` is: the
    /// number of windows examined is one per start, and each finds its matches by halving.
    /// (The scan looked at every later match from every start: 100,000 words of an answer
    /// made of the group's words took 35 s.)
    #[test]
    fn a_wide_window_over_many_matches_is_swept() {
        let rubric = rubric();
        let words = 100_000;
        let doc = Document::new("word ".repeat(words), Format::Text, &rubric.language);
        let m = Matcher::new(&rubric, &doc);
        let found: Vec<PartMatches> = (0..3)
            .map(|p| {
                let mut out = PartMatches::default();
                for first in (p..words).step_by(3) {
                    out.push(first, first, (first % 2 == 0).then_some(first), &[]);
                }
                out
            })
            .collect();
        let mut windows = 0;
        m.each_window(&found, Reach::new(Some(100_000), Scope::Answer), |chosen| {
            windows += 1;
            // The first match not negated of each part from the window's start.
            assert!(chosen.iter().all(|&mi| mi < words / 3 + 1));
            false
        });
        assert_eq!(windows, words - 2);
    }
}

/// Phrases: going on through a [`super::Reach`] (after the search has taken too many steps)
/// finds the same places, with the same words, as the search itself, for phrases with
/// variants, optional words and repeated words, at any gap, in answers of several sentences;
/// and [`super::Matcher::each_span`] gives them by first then last word, one for each.
mod phrases {
    use super::super::Matcher;
    use super::super::phrase::PhraseSearch;
    use crate::scheme::CueNode;
    use crate::text::read::Format;
    use crate::text::tokens::Document;

    const WORDS: [&str; 4] = ["patronage", "secretariat", "orgburo", "allies"];

    /// The places of the phrase, by first word (in the order of `phrase.root`) then place,
    /// the search going on through a [`super::super::Reach`] after `budget` steps.
    fn paths(m: &Matcher, p: &crate::scheme::Phrase, budget: usize) -> Vec<Vec<(u32, u32, u8)>> {
        let mut search = PhraseSearch::new(p, budget);
        let mut out = Vec::new();
        let mut path = smallvec::SmallVec::new();
        for &(term, node) in &p.root {
            for &(p0, how) in m.occurrences(term) {
                path.clear();
                path.push((p0, term, how));
                if search.complete(m, node as usize, &mut path) {
                    out.push(path.iter().map(|&(i, t, how)| (i, t, how.distance())).collect());
                }
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        #[test]
        fn the_reach_finds_what_the_search_does(
            // Each word of the phrase: its alternatives (indices into WORDS), and whether optional.
            phrase in proptest::collection::vec((proptest::collection::vec(0usize..4, 1..3), proptest::prelude::any::<bool>()), 1..6),
            gap in proptest::prop_oneof![0u32..3, proptest::strategy::Just(1000u32)],
            // The answer: words (index 4: a full stop after the word before).
            answer in proptest::collection::vec(0usize..5, 0..120),
        ) {
            let cue: Vec<String> = phrase
                .iter()
                .enumerate()
                .map(|(i, (alts, optional))| {
                    let w: Vec<&str> = alts.iter().map(|&a| WORDS[a]).collect();
                    // The first word is never optional.
                    if *optional && i > 0 { format!("[{}]", w.join("|")) } else { w.join("|") }
                })
                .collect();
            let cues = format!("cues = [{{ phrase = \"{}\", gap = {gap} }}]", cue.join(" "));
            let rubric = crate::testing::one_point("title = \"t\"", "p", &cues);
            let text: String = answer
                .iter()
                .map(|&w| if w == 4 { ". Then".to_string() } else { format!(" {}", WORDS[w]) })
                .collect();
            let doc = Document::new(text, Format::Text, &rubric.language);
            let m = Matcher::new(&rubric, &doc);
            let CueNode::Phrase(p) = &rubric.questions[0].points[0].cues[0].node else {
                panic!("a phrase")
            };
            let searched = paths(&m, p, usize::MAX);
            proptest::prop_assert_eq!(&searched, &paths(&m, p, 0));
            // By first then last word, one place for each (the first found): as they come.
            let mut sorted = searched.clone();
            sorted.sort_by_key(|w| (w[0].0, w[w.len() - 1].0));
            sorted.dedup_by_key(|w| (w[0].0, w[w.len() - 1].0));
            let mut spans = Vec::new();
            m.each_span(p, |path| {
                spans.push(path.iter().map(|&(i, t, how)| (i, t, how.distance())).collect::<Vec<_>>());
                false
            });
            proptest::prop_assert_eq!(sorted, spans);
        }
    }
}

/// `unless` phrases: an exclusion is found for a word when one of the phrase's places starts in
/// the word's sentence at most [`super::UNLESS_REACH`] words after it and ends at most as many
/// before it, the first phrase in the cue's order being named, checked against every place.
mod exclusions {
    use super::super::{Matcher, UNLESS_REACH};
    use crate::text::read::Format;
    use crate::text::tokens::Document;

    const WORDS: [&str; 4] = ["patronage", "secretariat", "orgburo", "allies"];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        #[test]
        fn exclusions_are_those_near_each_word(
            gap in proptest::prop_oneof![0u32..3, proptest::strategy::Just(1000u32)],
            // The answer: words (index 4: a full stop after the word before; beyond, filler).
            answer in proptest::collection::vec(0usize..40, 0..160),
        ) {
            let cues = format!(
                "cues = [{{ phrase = \"patronage\", unless = [\"secretariat orgburo\", \"allies\", \"orgburo allies\"], gap = {gap} }}]"
            );
            let rubric = crate::testing::one_point("title = \"t\"", "p", &cues);
            let text: String = answer
                .iter()
                .map(|&w| match w {
                    0..4 => format!(" {}", WORDS[w]),
                    4 => ". Then".to_string(),
                    _ => " the".to_string(),
                })
                .collect();
            let doc = Document::new(text, Format::Text, &rubric.language);
            let m = Matcher::new(&rubric, &doc);
            let cue = &rubric.questions[0].points[0].cues[0];
            let banned = m.exclusions(cue);
            for i in 0..doc.tokens.len() {
                let sentence = doc.tokens[i].sentence;
                let want = cue.unless.iter().find_map(|u| {
                    let mut near = false;
                    m.each_span(u, |path| {
                        let (first, last) = (path[0].0 as usize, path[path.len() - 1].0 as usize);
                        near |= doc.tokens[first].sentence == sentence
                            && i + UNLESS_REACH >= first
                            && i <= last + UNLESS_REACH;
                        false
                    });
                    near.then_some(u.source.as_str())
                });
                proptest::prop_assert_eq!(banned.hit(&doc, [i as u32]), want, "word {}", i);
            }
        }
    }
}

/// Checks a table of (cues, answer, status), naming every row that fails.
fn check_table(cases: &[(&str, &str, Status)]) {
    let mut failures = Vec::new();
    for &(cues, text, want) in cases {
        let got = status(cues, text);
        if got != want {
            failures.push(format!("{cues} / {text:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Words split by a stray space ([`super::spacing`]): pairs of answers with the same letters,
/// one where the pieces make the cue word and one where they do not (punctuation or a line
/// between them, two real words, a piece that is already a word of the cue).
#[test]
fn words_split_by_a_stray_space_are_joined() {
    let cases: &[(&str, &str, Status)] = &[
        (r#"cues = ["hot"]"#, "It gets too h ot inside.", Status::Covered),
        (r#"cues = ["hot"]"#, "It gets too h. Ot inside.", Status::Missing),
        // A line break counts as a space where the line runs on (see `matching_view`), not
        // between paragraphs.
        (r#"cues = ["hot"]"#, "It gets too h\n\not inside.", Status::Missing),
        (r#"cues = ["hot"]"#, "It gets too h, ot inside.", Status::Missing),
        (
            r#"cues = ["more heat"]"#,
            "Black takes in the mo re heat.",
            Status::Covered,
        ),
        (
            r#"cues = ["more heat"]"#,
            "Black takes in the mo heat.",
            Status::Missing,
        ),
        (
            r#"cues = ["painted"]"#,
            "The house was pai nted white.",
            Status::Covered,
        ),
        (r#"cues = ["temperature"]"#, "The temperatu re rose.", Status::Covered),
        (r#"cues = ["temperature"]"#, "The tempratu re rose.", Status::Covered),
        (r#"cues = ["doghouse"]"#, "The dogho use stays cool.", Status::Covered),
        // A longer fragment beside a word: joined, they must be a form of the cue word.
        (r#"cues = ["increase"]"#, "The incr ease in heat.", Status::Covered),
        (r#"cues = ["increase"]"#, "The incr eases in heat.", Status::Covered),
        (r#"cues = ["temperature"]"#, "The tempera ture rose.", Status::Covered),
        (r#"cues = ["temperature"]"#, "The tempera tuer rose.", Status::Missing),
        (
            r#"cues = ["doghouse"]"#,
            "It keeps the do ghouse cool.",
            Status::Covered,
        ),
        // A fragment that is a cue word itself (a name in lower case) stays a word.
        (r#"cues = ["stalinist"]"#, "Under stalin ist rule.", Status::Covered),
        (
            r#"cues = [{ phrase = "stalinist", unless = ["stalin said"] }]"#,
            "Under stalin ist rule.",
            Status::Missing,
        ),
        // A name (a capital, then lower-case letters) is no fragment.
        (r#"cues = ["secretary"]"#, "He was Secre Tary.", Status::Missing),
        (r#"cues = ["secretary"]"#, "He was secre tary.", Status::Covered),
        // Two words: neither is a fragment.
        (r#"cues = ["inside"]"#, "It is warm in side.", Status::Missing),
        (r#"cues = ["toward"]"#, "He went to ward six.", Status::Missing),
        // Joined, the words keep their meaning in the sentence.
        (r#"cues = ["too hot"]"#, "It gets too h ot inside.", Status::Covered),
        (r#"cues = ["hot"]"#, "It never gets h ot inside.", Status::Negated),
        (r#"cues = ["hot inside"]"#, "It gets h ot inside.", Status::Covered),
    ];
    check_table(cases);
    // The evidence quotes both pieces as the word.
    let rubric = crate::testing::one_point("title = \"T\"", "Q?", r#"cues = ["painted white"]"#);
    let text = "The house was pai nted white.";
    let doc = Document::new(text.to_string(), Format::Text, &rubric.language);
    let a = assess(&rubric, &doc, false);
    let ev = &a.points().next().expect("one point").finding.evidence[0];
    assert_eq!(&text[ev.start..ev.end], "pai nted white");
    assert_eq!(ev.words[0].text, "pai nted");
    assert_eq!(ev.words[0].cue_word, "painted");
}

/// Negative contractions are two words ("wouldn't" is "would not"), in answers and cues: pairs
/// of answers with the same words, one making the claim and one denying it; and a cue's own
/// negation word, which never negates it, whether the cue is a phrase or a group.
#[test]
fn contractions_and_a_cues_own_negation_word() {
    use Status::{Covered, Missing, Negated, Partial};
    let cases: &[(&str, &str, Status)] = &[
        // A cue without a negation word: the contraction negates it, before it or inside it.
        (r#"cues = ["keep the heat"]"#, "It wouldn't keep the heat.", Negated),
        (r#"cues = ["keep the heat"]"#, "It would keep the heat.", Covered),
        (
            r#"cues = ["would keep the heat"]"#,
            "It wouldn't keep the heat.",
            Negated,
        ),
        (
            r#"cues = ["would keep the heat"]"#,
            "It would not keep the heat.",
            Negated,
        ),
        (
            r#"cues = ["would keep the heat"]"#,
            "It wouldnt keep the heat.",
            Negated,
        ),
        (r#"cues = ["would keep the heat"]"#, "It would keep the heat.", Covered),
        (r#"cues = ["will keep the heat"]"#, "It won't keep the heat.", Negated),
        (r#"cues = ["will keep the heat"]"#, "It will keep the heat.", Covered),
        (r#"cues = ["used patronage"]"#, "He used no patronage.", Negated),
        (r#"cues = ["used patronage"]"#, "He used not only patronage.", Covered),
        (r#"cues = ["could read"]"#, "He couldn't read.", Negated),
        (r#"cues = ["could read"]"#, "He could read.", Covered),
        (r#"cues = ["could read"]"#, "He can't read.", Missing),
        (r#"cues = ["can read"]"#, "He can't read.", Negated),
        (r#"cues = ["can read"]"#, "He cannot read.", Negated),
        (r#"cues = ["can read"]"#, "He can read.", Covered),
        (r#"cues = ["use energy"]"#, "The cell dosen't use energy.", Negated),
        (r#"cues = ["use energy"]"#, "The cell did'nt use energy.", Negated),
        (r#"cues = ["use energy"]"#, "The cell dose use energy.", Covered),
        (r#"cues = ["not use energy"]"#, "The cell dosen't use energy.", Covered),
        (r#"cues = ["patronage"]"#, "Patronage wasn't important.", Negated),
        (r#"cues = ["patronage"]"#, "Patronage was important.", Covered),
        // A cue with its own negation word matches both spellings, and is not negated by it.
        (
            r#"cues = ["would not keep the heat"]"#,
            "It wouldn't keep the heat.",
            Covered,
        ),
        (
            r#"cues = ["would not keep the heat"]"#,
            "It would not keep the heat.",
            Covered,
        ),
        (
            r#"cues = ["would not keep the heat"]"#,
            "It would keep the heat.",
            Missing,
        ),
        (
            r#"cues = ["wouldn't keep the heat"]"#,
            "It would not keep the heat.",
            Covered,
        ),
        (
            r#"cues = ["wouldn't keep the heat"]"#,
            "It wouldn’t keep the heat.",
            Covered,
        ),
        (
            r#"cues = ["wouldn't keep the heat"]"#,
            "It would keep the heat.",
            Missing,
        ),
        (r#"cues = ["couldn't read"]"#, "He could not read.", Covered),
        (r#"cues = ["couldn't read"]"#, "He couldnt read.", Covered),
        (r#"cues = ["could not read"]"#, "He couldn't read.", Covered),
        // ... but another negation still negates it.
        (r#"cues = ["couldn't read"]"#, "Nobody said he couldn't read.", Negated),
        // In groups, nested, with `any`, partly found.
        (
            r#"cues = [{ all = ["couldn't", "read"] }]"#,
            "He couldn't read.",
            Covered,
        ),
        (r#"cues = [{ all = ["couldn't", "read"] }]"#, "He could read.", Missing),
        (
            r#"cues = [{ all = ["read", "couldn't"] }]"#,
            "Read, he couldn't.",
            Covered,
        ),
        (
            r#"cues = [{ any = ["couldn't", "read"], need = 2 }]"#,
            "He couldn't read.",
            Covered,
        ),
        (
            r#"cues = [{ any = ["couldn't", "read"], need = 2 }]"#,
            "He could read.",
            Partial,
        ),
        (
            r#"cues = [{ any = ["cannot", "read"], need = 2 }]"#,
            "He can not read.",
            Covered,
        ),
        (
            r#"cues = [{ all = [{ any = ["couldn't", "cannot"] }, "read"] }]"#,
            "He couldn't read.",
            Covered,
        ),
        (
            r#"cues = [{ all = ["he", { all = ["couldn't", "read"] }] }]"#,
            "He couldn't read.",
            Covered,
        ),
        (
            r#"cues = [{ any = ["newspapers", { all = ["couldn't", "read"] }], need = 2 }]"#,
            "He couldn't read newspapers.",
            Covered,
        ),
        (
            r#"cues = [{ all = ["couldn't", "read", "newspapers"], partial = true }]"#,
            "He couldn't read.",
            Partial,
        ),
        (
            r#"cues = [{ all = ["couldn't", "read", "newspapers"], partial = true }]"#,
            "He couldn't read newspapers.",
            Covered,
        ),
        (
            r#"cues = [{ all = ["read", "couldn't", "newspapers"], partial = true }]"#,
            "He couldn't read.",
            Partial,
        ),
        (
            r#"cues = [{ all = ["read", "couldn't", "newspapers"], partial = true }]"#,
            "He never read.",
            Missing,
        ),
    ];
    check_table(cases);
}

/// Words glued by a lost space ([`super::spacing`]): a common word glued to a cue word does not
/// hide it; a word that is itself a word, or a cue word's misspelling, is not taken apart.
#[test]
fn words_glued_to_a_common_word_are_found() {
    let cases: &[(&str, &str, Status)] = &[
        (
            r#"cues = ["ribosome"]"#,
            "The tRNA goes to the ribosomesthe next step.",
            Status::Covered,
        ),
        (
            r#"cues = ["ribosome"]"#,
            "The tRNA goes to the ribosomesxyz next step.",
            Status::Missing,
        ),
        (r#"cues = ["heat"]"#, "Black absorbs heatthe most.", Status::Covered),
        (r#"cues = ["heat"]"#, "Black absorbs theheat most.", Status::Covered),
        (r#"cues = ["heat"]"#, "Black absorbs heater.", Status::Missing),
        (r#"cues = ["heat"]"#, "It never absorbs heatthe most.", Status::Negated),
        // A word of the list is a word ("another" is not "an other").
        (r#"cues = ["other"]"#, "There is another one.", Status::Missing),
        // A misspelt cue word stays a misspelling.
        (
            r#"cues = ["independent"]"#,
            "The variable is independant.",
            Status::Covered,
        ),
        // Not a misspelling of a glued word.
        (
            r#"cues = ["temperature"]"#,
            "It rose, tempratureof the air.",
            Status::Missing,
        ),
    ];
    check_table(cases);
}

/// A contraction's "not" is quoted as the student wrote it: the whole contraction.
#[test]
fn a_negating_contraction_is_quoted_whole() {
    let rubric = crate::testing::one_point("title = \"T\"", "Q?", r#"cues = ["keep the heat"]"#);
    for (text, word) in [
        ("It wouldn’t keep the heat.", "wouldn’t"),
        ("It WONT keep the heat.", "WONT"),
        ("It cannot keep the heat.", "cannot"),
        ("It does not keep the heat.", "not"),
    ] {
        let doc = Document::new(text.to_string(), Format::Text, &rubric.language);
        let a = assess(&rubric, &doc, true);
        let finding = &a.points().next().expect("one point").finding;
        assert_eq!(finding.status, Status::Negated, "{text}");
        assert_eq!(finding.evidence[0].negated_by.as_deref(), Some(word), "{text}");
        let trace = serde_json::to_string(&finding.trace).expect("trace serialises");
        assert!(trace.contains(&format!("negated by \\\"{word}\\\"")), "{trace}");
    }
}

/// The run of copied stems ([`SOURCE_RUN`](crate::lexicon::source::SOURCE_RUN)), measured on
/// the fixture article and its labelled sentences (`tests/fixtures/source/`: sentences
/// `copied` from the article, and sentences in the student's `own` words that reuse its key
/// terms). For each run length: own sentences with a word taken for copied, copied sentences
/// with none, and on marks (the fixture rubric, each sentence checked with the passage and
/// without it) points an own sentence loses and points a copied sentence keeps. Run with
/// `--nocapture` to see the table and the sentences behind it.
mod source_run {
    use super::super::{Detail, Matcher, Status};
    use crate::lexicon::source::{SOURCE_RUN, SourceIndex};
    use crate::scheme::Rubric;
    use crate::text::read::{Format, Limits, read_path};
    use crate::text::tokens::Document;

    /// The points `text` covers.
    fn covered(rubric: &Rubric, text: &str) -> Vec<String> {
        let doc = Document::new(text.to_string(), Format::Text, &rubric.language);
        let m = Matcher::new(rubric, &doc);
        let points = rubric.questions.iter().flat_map(|q| &q.points);
        points
            .filter(|p| m.point_with(p, Detail::Status).status == Status::Covered)
            .map(|p| p.id.clone())
            .collect()
    }

    #[test]
    fn the_source_run_is_measured_on_the_fixture() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/source");
        let mut rubric = Rubric::load(&dir.join("bees.toml")).expect("bees.toml");
        let passage = read_path(&dir.join("article.txt"), &Limits::default()).expect("article.txt");
        let passage = Document::new(passage.text, passage.format, &rubric.language);
        let text = std::fs::read_to_string(dir.join("sentences.txt")).expect("sentences.txt");
        let sentences: Vec<(bool, &str)> = text
            .lines()
            .filter_map(|l| match l.split_once(' ')? {
                ("copied", s) => Some((true, s)),
                ("own", s) => Some((false, s)),
                _ => None,
            })
            .collect();
        let copied = sentences.iter().filter(|s| s.0).count();
        let own = sentences.len() - copied;
        assert!(copied >= 20 && own >= 30, "{copied} copied, {own} own");
        // Points allowed to be quoted are kept by copies on purpose.
        let quoting: Vec<&str> = rubric
            .questions
            .iter()
            .flat_map(|q| &q.points)
            .filter(|p| p.quote)
            .map(|p| p.id.as_str())
            .collect();
        rubric.source = None;
        let free: Vec<Vec<String>> = sentences.iter().map(|(_, s)| covered(&rubric, s)).collect();
        println!("run  own touched (of {own})  copied missed (of {copied})  own points lost  copied points kept");
        let mut table = Vec::new();
        for run in 3..=8 {
            let index = SourceIndex::with_run([&passage], run);
            rubric.source = Some(SourceIndex::with_run([&passage], run));
            let mut row = [0usize; 4];
            let mut why = Vec::new();
            for ((is_copied, s), before) in sentences.iter().zip(&free) {
                let touched = index
                    .mask(&Document::new(s.to_string(), Format::Text, &rubric.language))
                    .contains(&true);
                match (is_copied, touched) {
                    (false, true) => row[0] += 1,
                    (true, false) => row[1] += 1,
                    _ => {}
                }
                let after = covered(&rubric, s);
                for p in before.iter().filter(|p| !quoting.contains(&p.as_str())) {
                    match (is_copied, after.contains(p)) {
                        (false, false) => {
                            row[2] += 1;
                            why.push(format!("     own loses `{p}`: {s}"));
                        }
                        (true, true) => {
                            row[3] += 1;
                            why.push(format!("     copied keeps `{p}`: {s}"));
                        }
                        _ => {}
                    }
                }
            }
            println!(
                "{run:>3}  {:>18}  {:>22}  {:>15}  {:>18}",
                row[0], row[1], row[2], row[3]
            );
            why.iter().for_each(|w| println!("{w}"));
            table.push(row);
        }
        let at = |run: usize| table[run - 3];
        // The run chosen finds every copied sentence and costs an own sentence at most one point
        // (that sentence copies a six-word phrase: "bees food for the whole season").
        let [touched, missed, lost, _] = at(SOURCE_RUN);
        assert!(missed == 0 && touched <= 2 && lost <= 1, "{table:?}");
        // One stem shorter, own sentences that reuse a key phrase ("the bees' sense of
        // direction") lose their points; one longer, copied sentences are missed.
        assert!(
            at(SOURCE_RUN - 1)[2] > lost && at(SOURCE_RUN - 1)[0] >= touched + 5,
            "{table:?}"
        );
        assert!(at(SOURCE_RUN + 1)[1] > 0, "{table:?}");
    }
}

/// A point is found "only through a doubtful misspelling" (the `misspelling-only` review flag)
/// when every match of the kind that gives its status holds a word two edits from a cue word,
/// or one edit in a short word; the same whether the evidence or the status alone is asked.
#[test]
fn a_point_found_only_through_a_doubtful_misspelling() {
    let cases = [
        // One edit in a short word: doubtful.
        ("cues = [\"picked\"]", "Stalin pickd his own men.", true),
        // The word as written: sure.
        ("cues = [\"picked\"]", "Stalin picked his own men.", false),
        // A doubtful match and a sure one of the same kind: sure.
        (
            "cues = [\"picked\"]",
            "Stalin pickd his men. Then he picked more.",
            false,
        ),
        // One edit in a long word is the word meant.
        ("cues = [\"secretariat\"]", "He ran the Secratariat.", false),
        // Two edits: doubtful.
        ("cues = [\"secretariat\"]", "He ran the Sekretariet.", true),
        // A phrase with one doubtful word.
        ("cues = [\"loyal supporters\"]", "He had loyel supporters.", true),
        // Not found at all: nothing doubtful.
        ("cues = [\"picked\"]", "Stalin chose his own men.", false),
    ];
    for (cues, text, want) in cases {
        let rubric = crate::testing::one_point("title = \"Stalin\"", "What did Stalin do?", cues);
        let doc = Document::new(text.to_string(), Format::Text, &rubric.language);
        for detail in [super::Detail::Status, super::Detail::Evidence, super::Detail::Explain] {
            let a = crate::score::assess_with(&rubric, &doc, detail);
            let p = a.points().next().expect("one point");
            if want {
                assert_ne!(p.finding.status, Status::Missing, "{cues} / {text}");
            }
            assert_eq!(p.finding.doubtful, want, "{cues} / {text} ({detail:?})");
            assert_eq!(a.misspelt_only(), want, "{cues} / {text} ({detail:?})");
        }
        assert_eq!(
            crate::score::statuses(&rubric, &doc).misspelt_only,
            want,
            "{cues} / {text}"
        );
    }
}
