//! Claims, not words: pairs of answers that share their words and differ in the claim (which
//! sentence or list item a word is in, who did it, whether it happened). In each pair the first
//! makes the point and the second does not; both are checked through the library's one check
//! function, at every level of detail (the batch's status-only search must agree).
//!
//! The rubric is the shipped Stalin rubric (`rubrics/stalin-rise.toml`), with its `[people]`;
//! the pairs are in `tests/fixtures/claims/stalin-pairs.tsv` (one per line: mechanism, point, the
//! answer that makes it, the answer that does not, and why, where the tool still gets it wrong).

use std::path::Path;

use rubric::{Detail, Limits, Rubric, Status, check, read_bytes};

/// The pairs: `tests/fixtures/claims/stalin-pairs.tsv`.
const PAIRS_FILE: &str = "tests/fixtures/claims/stalin-pairs.tsv";

/// One pair of [`PAIRS_FILE`].
struct Pair {
    line: usize,
    mechanism: String,
    point: String,
    makes: String,
    does_not: String,
    /// Why the tool still gets this pair wrong (a rubric choice or a known limit), if it does.
    known: Option<String>,
}

fn pairs() -> Vec<Pair> {
    let text = std::fs::read_to_string(PAIRS_FILE).expect("the pairs file reads");
    let unescape = |s: &str| s.replace("\\n", "\n").replace("\\\\", "\\");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(
                (4..=5).contains(&cols.len()),
                "{PAIRS_FILE}:{}: 4 or 5 columns, not {}",
                i + 1,
                cols.len()
            );
            Pair {
                line: i + 1,
                mechanism: cols[0].to_string(),
                point: cols[1].to_string(),
                makes: unescape(cols[2]),
                does_not: unescape(cols[3]),
                known: cols.get(4).map(|k| k.to_string()),
            }
        })
        .collect()
}

/// Question echo: (rubric, point, answer that makes it in the student's own words beside the
/// question's wording, answer with the same words where the claim is only copied from the
/// question). Echo sets aside only the copied words: a group with a part in the student's own
/// words counts.
const ECHO_PAIRS: &[(&str, &str, &str, &str)] = &[
    (
        "rubrics/asap-sas/set10.toml",
        "effect",
        "white :: It would keep the inside of the doghouse cooler.",
        "white :: It would affect the inside of the doghouse.",
    ),
    (
        "rubrics/asap-sas/set10.toml",
        "effect",
        "black :: Describe how that color might affect the inside of the doghouse: it warms it.",
        "black :: Describe how that color might affect the inside of the doghouse.",
    ),
    (
        "rubrics/asap-sas/set10.toml",
        "data",
        "black :: Using the results from the experiment, the black jar got the highest.",
        "black :: Use results from the experiment to support your description.",
    ),
    (
        "rubrics/stalin-rise.toml",
        "patronage",
        "Stalin's series of jobs help to concentrate power in his hands, as he gave them to his friends.",
        "How did Stalin's series of jobs help to concentrate power in his hands? He had friends.",
    ),
];

fn status(rubric: &Rubric, point: &str, text: &str, detail: Detail) -> Status {
    let source = read_bytes(text.as_bytes(), "answer.txt", &Limits::default()).expect("answer reads");
    let checked = check(rubric, source, detail);
    // A misconception is "made" (covered) when it is found.
    let found = checked
        .assessment
        .points()
        .chain(checked.assessment.misconceptions())
        .find(|p| p.point.id == point);
    found.unwrap_or_else(|| panic!("no point {point}")).finding.status
}

/// A rubric in `language` of one point, `p`, found by the phrase `cue`; `head` goes before its
/// question (a `[people]` table).
fn one_point_in(language: &str, head: &str, cue: &str) -> Rubric {
    Rubric::from_str(
        &format!(
            "title = \"?\"\nlanguage = \"{language}\"\n{head}[[question]]\nid = \"q\"\nprompt = \"?\"\n\
             [[question.point]]\nid = \"p\"\nlabel = \"P\"\nhint = \"H\"\ncues = [\"{cue}\"]\n"
        ),
        "rubric.toml",
    )
    .expect("the rubric loads")
}

/// Every pair is right at every level of detail (the batch's status-only search must agree),
/// but those the file marks as known failures, which must still fail (a fix is then noted by
/// removing the reason). Prints precision and recall over all the pairs: `cargo test --release
/// --test claims -- --nocapture`.
#[test]
fn each_pair_differs_in_the_claim() {
    let rubric = Rubric::load(Path::new("rubrics/stalin-rise.toml")).expect("the Stalin rubric loads");
    let pairs = pairs();
    assert!(pairs.len() >= 80, "{} pairs", pairs.len());
    let mut failures = Vec::new();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for p in &pairs {
        let mut right = true;
        for detail in [Detail::Status, Detail::Evidence, Detail::Explain] {
            let yes = status(&rubric, &p.point, &p.makes, detail);
            let no = status(&rubric, &p.point, &p.does_not, detail);
            let (made, refused) = (yes == Status::Covered, no != Status::Covered);
            if detail == Detail::Status {
                tp += usize::from(made);
                fn_ += usize::from(!made);
                fp += usize::from(!refused);
            }
            right &= made && refused;
            if p.known.is_none() && !made {
                failures.push(format!(
                    "line {} {} ({detail:?}): {} is {yes:?} in {:?}",
                    p.line, p.mechanism, p.point, p.makes
                ));
            }
            if p.known.is_none() && !refused {
                failures.push(format!(
                    "line {} {} ({detail:?}): {} is covered in {:?}",
                    p.line, p.mechanism, p.point, p.does_not
                ));
            }
        }
        if let Some(why) = &p.known {
            if right {
                failures.push(format!(
                    "line {} {}: now right; remove its reason ({why})",
                    p.line, p.mechanism
                ));
            } else {
                println!("known: line {} {}: {why}", p.line, p.mechanism);
            }
        }
    }
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    println!(
        "{} pairs: precision {precision:.3}, recall {recall:.3}, F1 {:.3} (tp {tp}, fp {fp}, fn {fn_})",
        pairs.len(),
        2.0 * precision * recall / (precision + recall)
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn echo_sets_aside_only_the_copied_words() {
    let mut failures = Vec::new();
    for &(path, point, makes, does_not) in ECHO_PAIRS {
        let rubric = Rubric::load(Path::new(path)).expect("the rubric loads");
        for detail in [Detail::Status, Detail::Evidence, Detail::Explain] {
            let yes = status(&rubric, point, makes, detail);
            let no = status(&rubric, point, does_not, detail);
            if yes != Status::Covered {
                failures.push(format!("echo ({detail:?}): {point} is {yes:?} in {makes:?}"));
            }
            if no == Status::Covered {
                failures.push(format!("echo ({detail:?}): {point} is covered in {does_not:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `--explain` says whom a match was about.
#[test]
fn explain_names_the_other_actor() {
    let rubric = Rubric::load(Path::new("rubrics/stalin-rise.toml")).expect("the Stalin rubric loads");
    let source = read_bytes(
        b"Trotsky was General Secretary and kept files on everyone.",
        "a.txt",
        &Limits::default(),
    )
    .expect("answer reads");
    let checked = check(&rubric, source, Detail::Explain);
    let gensec = checked
        .assessment
        .points()
        .find(|p| p.point.id == "gensec")
        .expect("gensec");
    let json = serde_json::to_string(&gensec.finding.trace).expect("trace serialises");
    assert!(json.contains("about Trotsky, not Stalin"), "{json}");
}

/// Who a match is about is found near the match: in an answer of one "sentence" of hundreds of
/// thousands of words, full of names and pronouns, each match looks at a few mentions (looking
/// through the whole sentence for each of its 20,000 matches took minutes).
#[test]
fn who_is_found_near_the_match_in_an_answer_without_full_stops() {
    let rubric = Rubric::load(Path::new("rubrics/stalin-rise.toml")).expect("the Stalin rubric loads");
    let text = "Trotsky led the army and he gave jobs to his friends who then backed him and ".repeat(20_000);
    let far = format!("{text}Stalin gave jobs to his friends who then backed him");
    // Every favour in the long run is Trotsky's; the last, Stalin's, makes the point.
    assert_ne!(status(&rubric, "patronage", &text, Detail::Status), Status::Covered);
    assert_eq!(status(&rubric, "patronage", &far, Detail::Evidence), Status::Covered);
}

/// `[people]` names molecules as well as people: in ASAP set 5 (protein synthesis) the mRNA's
/// journey is a point about the mRNA, not made by another molecule.
#[test]
fn a_step_of_the_mrna_is_not_made_by_another_molecule() {
    let rubric = Rubric::load(Path::new("rubrics/asap-sas/set5.toml")).expect("set 5 loads");
    let pairs = [
        ("The mRNA travels to the ribosome.", "The tRNA travels to the ribosome."),
        (
            "The mRNA takes the code from DNA to a ribosome.",
            "The DNA takes the code from mRNA to a ribosome.",
        ),
        ("Then it goes to a ribosome.", "Then the tRNA goes to a ribosome."),
    ];
    for (makes, does_not) in pairs {
        assert_eq!(
            status(&rubric, "to-ribosome", makes, Detail::Evidence),
            Status::Covered,
            "{makes}"
        );
        assert_ne!(
            status(&rubric, "to-ribosome", does_not, Detail::Evidence),
            Status::Covered,
            "{does_not}"
        );
    }
}

/// Negation in a rubric's own language: French, German, Spanish, Italian, Portuguese and Dutch
/// have lists of their own (before, the English lists were used, and "n'a pas" negated nothing).
#[test]
fn negation_follows_the_rubric_language() {
    let cases = [
        (
            "french",
            "clientélisme",
            "Staline a utilisé le clientélisme.",
            "Staline n'a pas utilisé le clientélisme.",
        ),
        (
            "german",
            "patronage",
            "Stalin nutzte die Patronage.",
            "Stalin nutzte keine Patronage.",
        ),
        (
            "spanish",
            "clientelismo",
            "Stalin usó el clientelismo.",
            "Stalin nunca usó el clientelismo.",
        ),
        (
            "italian",
            "clientelismo",
            "Stalin usò il clientelismo.",
            "Stalin non usò il clientelismo.",
        ),
        (
            "portuguese",
            "clientelismo",
            "Stalin usou o clientelismo.",
            "Stalin não usou o clientelismo.",
        ),
        (
            "dutch",
            "patronage",
            "Stalin gebruikte patronage.",
            "Stalin gebruikte geen patronage.",
        ),
    ];
    for (language, cue, makes, does_not) in cases {
        let rubric = one_point_in(language, "", cue);
        for detail in [Detail::Status, Detail::Evidence] {
            assert_eq!(
                status(&rubric, "p", makes, detail),
                Status::Covered,
                "{language}: {makes}"
            );
            assert_eq!(
                status(&rubric, "p", does_not, detail),
                Status::Negated,
                "{language}: {does_not}"
            );
        }
    }
}

/// `[people]` in a rubric's own language: a pronoun refers back to the person named before it,
/// so a claim about someone else's post is not the subject's.
#[test]
fn pronouns_follow_the_rubric_language() {
    let cases = [
        (
            "french",
            "Staline|Djougachvili",
            "Trotski",
            "dossiers",
            "Trotski était fier. Staline était patient. Il gardait des dossiers sur chaque membre.",
            "Staline était patient. Trotski était fier. Il gardait des dossiers sur chaque membre.",
        ),
        (
            "german",
            "Stalin",
            "Trotzki",
            "akten",
            "Trotzki war stolz. Stalin war geduldig. Er führte Akten über jedes Mitglied.",
            "Stalin war geduldig. Trotzki war stolz. Er führte Akten über jedes Mitglied.",
        ),
        (
            "spanish",
            "Stalin",
            "Trotski",
            "expedientes",
            "Trotski era orgulloso. Stalin era paciente. Él guardaba expedientes de cada miembro.",
            "Stalin era paciente. Trotski era orgulloso. Él guardaba expedientes de cada miembro.",
        ),
    ];
    for (language, subject, other, cue, makes, does_not) in cases {
        let people = format!("[people]\nsubject = \"{subject}\"\nothers = [\"{other}\"]\n");
        let rubric = one_point_in(language, &people, cue);
        assert_eq!(
            status(&rubric, "p", makes, Detail::Evidence),
            Status::Covered,
            "{language}: {makes}"
        );
        assert_ne!(
            status(&rubric, "p", does_not, Detail::Evidence),
            Status::Covered,
            "{language}: {does_not}"
        );
    }
}

/// French and Italian elisions are two words, in answers and cues alike: a cue "appareil" finds
/// "l'appareil" (and "l’appareil"), a cue "l'appareil" finds "l'appareil" too.
#[test]
fn elided_articles_are_words_of_their_own() {
    for (language, cue, answer) in [
        ("french", "appareil", "Il contrôlait l'appareil du parti."),
        ("french", "appareil", "Il contrôlait l\u{2019}appareil du parti."),
        ("french", "l'appareil", "Il contrôlait l'appareil du parti."),
        ("french", "intérieur", "Il contrôlait le ministère de l'Intérieur."),
        (
            "italian",
            "esercito",
            "Trotsky guidava dell'esercito la parte migliore.",
        ),
    ] {
        let rubric = one_point_in(language, "", cue);
        for detail in [Detail::Status, Detail::Evidence] {
            assert_eq!(
                status(&rubric, "p", answer, detail),
                Status::Covered,
                "{cue} in {answer}"
            );
        }
    }
}
