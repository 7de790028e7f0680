//! Claims, not words: pairs of answers that share their words and differ in the claim (which
//! sentence or list item a word is in, who did it, whether it happened). In each pair the first
//! makes the point and the second does not; both are checked through the library's one check
//! function, at every level of detail (the batch's status-only search must agree).
//!
//! The rubric is the shipped Stalin rubric (`rubrics/stalin-rise.toml`), with its `[people]`.

use std::path::Path;

use rubric::{Detail, Limits, Rubric, Status, check, read_bytes};

/// (mechanism, point, answer that makes it, answer with the same words that does not).
const PAIRS: &[(&str, &str, &str, &str)] = &[
    (
        "scope: a group does not reach back into the sentence before",
        "enrolment",
        "There was the Lenin enrolment in 1923. The new members were picked by the Secretariat and backed Stalin.",
        "He gave jobs to his supporters who then voted for him. There was the Lenin enrolment in 1923.",
    ),
    (
        "scope: a group stays in its sentence",
        "patronage",
        "Stalin handed out jobs and in return people backed him.",
        "Stalin handed out jobs. In the civil war the army backed the Reds.",
    ),
    (
        "scope: a group stays in its list item numbered inline",
        "patronage",
        "1) Stalin handed out jobs and people backed him 2) the Lenin enrolment",
        "1) Stalin handed out jobs 2) the army backed the Reds",
    ),
    (
        "who: the subject of the clause",
        "gensec",
        "Stalin was General Secretary and kept files on everyone.",
        "Trotsky was General Secretary and kept files on everyone.",
    ),
    (
        "who: another actor does the favours",
        "patronage",
        "Stalin gave jobs to his friends, who then backed him.",
        "Zinoviev gave jobs to his friends, who then backed him.",
    ),
    (
        "who: a pronoun stands for the sentence's first name",
        "gensec",
        "Trotsky watched Stalin closely. Stalin was clever, and he became General Secretary, keeping files on every member.",
        "Stalin watched Trotsky closely. Trotsky was clever, and he became General Secretary, keeping files on every member.",
    ),
    (
        "who: a pronoun in the next sentence",
        "gensec",
        "Stalin was very patient. He was General Secretary and kept files on every member.",
        "Trotsky was very patient. He was General Secretary and kept files on every member.",
    ),
    (
        "who: a relative clause is about the name before it",
        "gensec",
        "Trotsky underestimated Stalin, who was General Secretary and kept files on every member.",
        "Stalin underestimated Trotsky, who was General Secretary and kept files on every member.",
    ),
    (
        "who: a name inside the sentence after the match",
        "gensec",
        "As General Secretary, Stalin kept files on every member.",
        "As General Secretary, Trotsky kept files on every member.",
    ),
    (
        "who: a name after a preposition is not the clause's actor",
        "patronage",
        "Stalin learned from Trotsky to give jobs to his friends, who then backed him.",
        "Trotsky learned from Stalin to give jobs to his friends, who then backed him.",
    ),
    (
        "did it happen: negation",
        "patronage",
        "Stalin gave jobs to his friends, who then backed him.",
        "Stalin never gave jobs to his friends, who then backed him.",
    ),
    (
        "did it happen: a refusal",
        "gensec",
        "Stalin chose to keep files on every member as General Secretary.",
        "Stalin refused to keep files on every member as General Secretary.",
    ),
    (
        "did it happen: a counterfactual",
        "patronage",
        "Stalin gave jobs to his friends, and they backed him.",
        "If Stalin had given jobs to his friends, they would have backed him.",
    ),
    (
        "did it happen: instead of",
        "patronage",
        "Stalin relied on giving jobs to his friends, who backed him.",
        "Stalin relied on terror instead of giving jobs to his friends, who backed him.",
    ),
    (
        "did it happen: a contraction is a word and a negation",
        "patronage",
        "Stalin would give jobs to his friends, who then backed him.",
        "Stalin wouldn't give jobs to his friends, who then backed him.",
    ),
    (
        "did it happen: a negation among the words of a match",
        "patronage",
        "Stalin gave his friends jobs, and they backed him.",
        "Stalin gave his friends no jobs, and they backed him.",
    ),
    (
        "a word split by a stray space, about the subject",
        "gensec",
        "Stalin was General Secretary and kept fi les on every member.",
        "Trotsky was General Secretary and kept fi les on every member.",
    ),
    (
        "a word glued to a common word, about the subject",
        "gensec",
        "Stalin was General Secretary and kept fileson every member.",
        "Trotsky was General Secretary and kept fileson every member.",
    ),
    (
        "did it happen: failed to",
        "patronage",
        "Stalin gave jobs to his friends, who then backed him.",
        "Stalin failed to give jobs to his friends, who then backed Trotsky.",
    ),
    (
        "did it happen: unable to",
        "gensec",
        "As General Secretary Stalin kept files on every party member.",
        "As General Secretary Stalin was unable to keep files on every party member.",
    ),
    (
        "did it happen: a counterfactual condition reaches its consequence",
        "gensec",
        "As General Secretary Stalin kept files on every member.",
        "If Stalin had been General Secretary he could have kept files on every member.",
    ),
    (
        "did it happen: a counterfactual condition across a comma",
        "patronage",
        "Stalin gave jobs to his friends, and they backed him.",
        "If Stalin had given jobs to his friends, they would have backed him.",
    ),
    (
        "did it happen: it is not true that",
        "gensec",
        "It is true that Stalin kept files on every party member as General Secretary.",
        "It is not true that Stalin kept files on every party member as General Secretary.",
    ),
    (
        "did it happen: a closing \"but he didn't\"",
        "patronage",
        "Some say Stalin gave jobs to his friends who backed him, and he did.",
        "Some say Stalin gave jobs to his friends who backed him, but he didn't.",
    ),
    (
        "did it happen: a closing \"that never happened\"",
        "patronage",
        "Stalin gave jobs to his friends who backed him, and this really happened.",
        "Stalin gave jobs to his friends who backed him, but that never happened.",
    ),
    (
        "did it happen: tried but failed",
        "factionalism",
        "Stalin used the ban on factions against his opponents.",
        "Stalin tried to use the ban on factions against his opponents but failed.",
    ),
    (
        "did it happen: prevented from",
        "enrolment",
        "The Lenin enrolment brought in new members who were loyal to Stalin.",
        "Trotsky prevented the Lenin enrolment from bringing in new members who were loyal to Stalin.",
    ),
    (
        "did it happen: a myth",
        "mantle",
        "Stalin presented himself as Lenin's heir.",
        "The idea that Stalin presented himself as Lenin's heir is a myth.",
    ),
    (
        "did it happen: wasn't allowed",
        "gensec",
        "As General Secretary Stalin was allowed to keep files on every member.",
        "As General Secretary Stalin wasn't allowed to keep files on every member.",
    ),
    (
        "did it happen: no longer",
        "gensec",
        "Stalin kept files on every party member as General Secretary.",
        "Stalin no longer kept files on every party member as General Secretary.",
    ),
    (
        "did it happen: lacked",
        "patronage",
        "Stalin had protégés who backed him.",
        "Stalin lacked protégés who backed him.",
    ),
    (
        "did it happen: denied",
        "mantle",
        "Stalin claimed to be Lenin's heir.",
        "Stalin denied being Lenin's heir.",
    ),
    (
        "did it happen: didn't need",
        "patronage",
        "Stalin used patronage to win support.",
        "Stalin didn't need patronage to win support.",
    ),
    (
        "who: unlike X, Y",
        "gensec",
        "Unlike Trotsky, Stalin was General Secretary and kept files on every member.",
        "Unlike Stalin, Trotsky was General Secretary and kept files on every member.",
    ),
    (
        "who: X, not Y,",
        "gensec",
        "Stalin, not Trotsky, was General Secretary and kept files on every member.",
        "Trotsky, not Stalin, was General Secretary and kept files on every member.",
    ),
    (
        "who: the rival named in the clause",
        "patronage",
        "His rival Trotsky was proud, but Stalin gave jobs to his friends, who then backed him.",
        "Stalin was quiet, but his rival Trotsky gave jobs to his friends, who then backed him.",
    ),
    (
        "who: a while clause names someone else",
        "patronage",
        "While Trotsky led the army, Stalin gave jobs to his friends who backed him.",
        "While Stalin sat in meetings, Trotsky gave jobs to his friends who backed him.",
    ),
    (
        "who: a possessive is the actor",
        "factionalism",
        "Stalin's use of the ban on factions silenced his opponents.",
        "Trotsky's use of the ban on factions silenced his opponents.",
    ),
    (
        "who: the other name is the object of a later clause",
        "mantle",
        "Stalin claimed to be Lenin's heir, and Trotsky could not stop him.",
        "Trotsky claimed to be Lenin's heir, and Stalin could not stop him.",
    ),
    (
        "who: each numbered line has its own actor",
        "patronage",
        "1. Stalin gave jobs to friends who backed him\n2. Trotsky led the army",
        "1. Stalin led the party\n2. Trotsky gave jobs to friends who backed him",
    ),
    (
        "did it happen: never able to",
        "gensec",
        "As General Secretary Stalin was able to keep files on every member.",
        "As General Secretary Stalin was never able to keep files on every member.",
    ),
    (
        "did it happen: could not have",
        "gensec",
        "Stalin kept files on every member as General Secretary.",
        "Stalin could not have kept files on every member as General Secretary.",
    ),
    (
        "did it happen: not the one who",
        "gensec",
        "Stalin was the one who kept files on every member as General Secretary.",
        "Stalin was not the one who kept files on every member as General Secretary.",
    ),
    (
        "did it happen: it is wrong to say that",
        "patronage",
        "It is right to say that Stalin gave jobs to his friends who backed him.",
        "It is wrong to say that Stalin gave jobs to his friends who backed him.",
    ),
    (
        "did it happen: there is no evidence that",
        "patronage",
        "There is evidence that Stalin gave jobs to his friends who backed him.",
        "There is no evidence that Stalin gave jobs to his friends who backed him.",
    ),
    (
        "did it happen: historians doubt that",
        "mantle",
        "Historians agree that Stalin presented himself as Lenin's heir.",
        "Historians doubt that Stalin presented himself as Lenin's heir.",
    ),
];

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
    let found = checked.assessment.points().find(|p| p.point.id == point);
    found.unwrap_or_else(|| panic!("no point {point}")).finding.status
}

#[test]
fn each_pair_differs_in_the_claim() {
    let rubric = Rubric::load(Path::new("rubrics/stalin-rise.toml")).expect("the Stalin rubric loads");
    let mut failures = Vec::new();
    for &(mechanism, point, makes, does_not) in PAIRS {
        for detail in [Detail::Status, Detail::Evidence, Detail::Explain] {
            let yes = status(&rubric, point, makes, detail);
            let no = status(&rubric, point, does_not, detail);
            if yes != Status::Covered {
                failures.push(format!("{mechanism} ({detail:?}): {point} is {yes:?} in {makes:?}"));
            }
            if no == Status::Covered {
                failures.push(format!("{mechanism} ({detail:?}): {point} is covered in {does_not:?}"));
            }
        }
    }
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
