//! The feedback model and its three renderings, on the test rubric and an answer with one point
//! of each status.

use super::*;
use crate::batch::own::{self, Kind as Own};
use crate::scheme::Rubric;
use crate::score::assess;
use crate::testing::{ANSWER, RUBRIC};
use crate::text::limits::Limits;
use crate::text::office::{Kind, read_document_bytes};
use crate::text::read::Format as TextFormat;
use crate::text::tokens::Document;

/// The label of the point the answer misses: never in a feedback file.
const MISSING_LABEL: &str = "Caesar, dictator for life";

/// The test answer's feedback, as `f` makes it from its [`Feedback`].
fn with_feedback<R>(name: Option<&str>, comments: &[(String, String)], f: impl FnOnce(&Feedback) -> R) -> R {
    let rubric = Rubric::from_str(RUBRIC, "roman.toml").unwrap();
    let doc = Document::new(ANSWER.to_string(), TextFormat::Text, &rubric.language);
    let a = assess(&rubric, &doc, false);
    f(&Feedback {
        id: "grace_kim",
        name,
        rubric: &rubric,
        assessment: &a,
        comments,
    })
}

fn model(name: Option<&str>, comments: &[(String, String)]) -> Model {
    with_feedback(name, comments, Model::of)
}

fn rendered(format: FeedbackFormat, name: Option<&str>, comments: &[(String, String)]) -> Vec<u8> {
    with_feedback(name, comments, |f| render(format, f)).expect("renders")
}

fn text(format: FeedbackFormat, name: Option<&str>, comments: &[(String, String)]) -> String {
    String::from_utf8(rendered(format, name, comments)).expect("UTF-8")
}

/// The text of a .docx as rubric's own reader sees it.
fn docx_text(bytes: &[u8]) -> String {
    read_document_bytes(bytes, "feedback.docx", Kind::Docx, &Limits::default())
        .expect("reads the .docx back")
        .text
}

fn comments(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
}

#[test]
fn the_model_has_each_status_in_its_section() {
    let m = model(None, &[]);
    assert_eq!(m.heading, "Feedback for grace_kim");
    assert_eq!(m.rubric_title, "Why did the Roman Republic fall?");
    assert_eq!(m.questions.len(), 1);
    let q = &m.questions[0];
    assert_eq!(q.title(), "1. What weakened the Republic?");
    let titles: Vec<&str> = q.sections.iter().map(|s| s.title).collect();
    assert_eq!(titles, [COVERED, PARTLY, CHECK, TO_ADD]);
    // Covered: the label and the student's own sentence.
    assert_eq!(
        q.sections[0].items[0].line,
        [
            Span::Strong("Private armies".into()),
            Span::Text(": ".into()),
            Span::Quote("Generals had private armies.".into())
        ]
    );
    // Partly made: the student's "why not?", then the hint.
    let why_not = with_feedback(None, &[], |f| {
        let p = f.assessment.points().find(|p| p.finding.status == Status::Partial);
        crate::report::why_not::sentence(p.expect("a partial point"))
    })
    .expect("a why-not sentence");
    assert!(why_not.starts_with("You mention"), "{why_not}");
    assert_eq!(
        q.sections[1].items[0].notes,
        [
            [Span::Text(why_not)],
            [Span::Text(
                "To go further: What happened to the brothers who tried reform?".into()
            )]
        ]
    );
    assert!(matches!(&q.sections[2].items[0].notes[0][0], Span::Text(t) if t.starts_with("This says the opposite")));
    // Missing: the hint alone, on one line.
    assert_eq!(
        q.sections[3].items,
        [Item::text("Who crossed the Rubicon, and what did he become?".into())]
    );
    with_feedback(None, &[], |f| {
        assert_eq!(m.closing, crate::report::human::closing(f.assessment))
    });
}

#[test]
fn marks_per_question_are_the_assessments() {
    with_feedback(None, &[], |f| {
        let m = Model::of(f);
        for (part, q) in m.questions.iter().zip(&f.assessment.questions) {
            assert_eq!(part.score, q.score);
            assert_eq!(part.max, q.question.max);
        }
        assert_eq!(m.score, f.assessment.score);
        let marks = m.questions[0].marks_text();
        assert!(marks.ends_with(" / 4"), "{marks}");
        // Each format shows the question's marks and the total.
        let md = String::from_utf8(render(FeedbackFormat::Markdown, f).unwrap()).unwrap();
        assert!(
            md.contains(&format!("| 1. What weakened the Republic? | {marks} |")),
            "{md}"
        );
        assert!(
            md.contains(&format!("## 1. What weakened the Republic? ({marks})")),
            "{md}"
        );
        let html = String::from_utf8(render(FeedbackFormat::Html, f).unwrap()).unwrap();
        assert!(
            html.contains(&format!(
                "<td>1. What weakened the Republic?</td><td class=\"marks\">{marks}</td>"
            )),
            "{html}"
        );
        let docx = docx_text(&render(FeedbackFormat::Docx, f).unwrap());
        assert!(
            docx.contains(&format!("1. What weakened the Republic?\t{marks}")),
            "{docx}"
        );
    });
}

#[test]
fn the_name_is_the_heading_when_known() {
    assert_eq!(model(Some("Grace  Kim\n"), &[]).heading, "Feedback for Grace Kim");
    assert_eq!(model(Some(" "), &[]).heading, "Feedback for grace_kim");
    // Issue 20: a plain viewer showed `# Feedback for grace\_kim`.
    let md = text(FeedbackFormat::Markdown, None, &[]);
    assert!(md.starts_with("# Feedback for grace_kim\n"), "{md}");
}

#[test]
fn comments_go_where_they_belong() {
    let list = comments(&[
        ("", "Well organised."),
        ("gracchi", "Say what happened to them."),
        ("causes", "Good range of causes."),
        ("nowhere", "On an unknown point."),
        ("armies", "   "),
    ]);
    let m = model(None, &list);
    assert_eq!(m.comments, ["Well organised.", "On an unknown point."]);
    let q = &m.questions[0];
    let partial = &q.sections[1].items[0];
    assert_eq!(
        partial.notes.last().unwrap(),
        &[
            Span::Strong("Teacher:".into()),
            Span::Text(" Say what happened to them.".into())
        ]
    );
    assert_eq!(
        q.sections[0].items[0].notes,
        Vec::<Vec<Span>>::new(),
        "an empty comment is no comment"
    );
    let last = q.sections.last().unwrap();
    assert_eq!(last.title, TEACHER);
    assert_eq!(last.items, [Item::text("Good range of causes.".into())]);
    for format in FeedbackFormat::ALL {
        let out = match format {
            FeedbackFormat::Docx => docx_text(&rendered(format, None, &list)),
            _ => text(format, None, &list),
        };
        for c in ["Well organised.", "Say what happened to them.", "Good range of causes."] {
            assert!(out.contains(c), "{format:?}: {c}\n{out}");
        }
    }
}

#[test]
fn no_format_gives_the_missing_points_label_away() {
    for format in FeedbackFormat::ALL {
        let bytes = rendered(format, None, &[]);
        let out = match format {
            FeedbackFormat::Docx => docx_text(&bytes),
            _ => String::from_utf8(bytes).unwrap(),
        };
        assert!(!out.contains(MISSING_LABEL), "{format:?}\n{out}");
        assert!(
            out.contains("Who crossed the Rubicon, and what did he become?"),
            "{format:?}\n{out}"
        );
        assert!(out.contains("Private armies"), "{format:?}\n{out}");
        assert!(out.contains("Generals had private armies."), "{format:?}\n{out}");
    }
}

#[test]
fn html_is_a_standalone_escaped_page() {
    let list = comments(&[("", "<b>x</b> & 'y'")]);
    let html = text(FeedbackFormat::Html, Some("<script>alert(1)</script>"), &list);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains("<h1>Feedback for &lt;script&gt;alert(1)&lt;/script&gt;</h1>"),
        "{html}"
    );
    assert!(html.contains("<p>&lt;b&gt;x&lt;/b&gt; &amp; &#39;y&#39;</p>"), "{html}");
    assert!(html.contains("@media print"));
    for remote in ["src=", "href=", "url(", "@import"] {
        assert!(!html.contains(remote), "no request: {remote}");
    }
    assert_eq!(own::recognise(html.as_bytes()), Some(Own::Feedback));
}

#[test]
fn docx_is_a_package_our_reader_reads_back() {
    let list = comments(&[("", "Tom & Jerry <3 \u{1}")]);
    let bytes = rendered(FeedbackFormat::Docx, Some("Zoë Müller-García"), &list);
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip archive");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("zip");
    let mut names: Vec<String> = archive.file_names().map(|n| n.expect("a name").into_owned()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/_rels/document.xml.rels",
            "word/document.xml",
            "word/numbering.xml",
            "word/styles.xml"
        ]
    );
    let mut document = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut document).unwrap();
    assert!(document.contains("Tom &amp; Jerry &lt;3 \u{fffd}"), "{document}");
    let read = docx_text(&bytes);
    let start: Vec<&str> = read.split("\n\n").take(3).collect();
    assert_eq!(
        start,
        [
            "Feedback for Zoë Müller-García",
            "Why did the Roman Republic fall?",
            &format!("Score: {}", model(None, &[]).score_text())
        ]
    );
    assert!(read.contains("Tom & Jerry <3"), "{read}");
    assert!(read.contains("Question\tMarks"), "{read}");
    assert_eq!(own::recognise_text(&read), Some(Own::Feedback), "{read}");
    // The same feedback, the same bytes.
    assert_eq!(bytes, rendered(FeedbackFormat::Docx, Some("Zoë Müller-García"), &list));
}

#[test]
fn markdown_is_recognised_as_rubrics() {
    let md = text(
        FeedbackFormat::Markdown,
        Some("Amy"),
        &comments(&[("", "# Not a heading")]),
    );
    assert!(md.contains("\n\\# Not a heading\n"), "{md}");
    assert_eq!(own::recognise(md.as_bytes()), Some(Own::Feedback));
}

#[test]
fn formats_by_name() {
    for f in FeedbackFormat::ALL {
        assert_eq!(FeedbackFormat::from_name(f.name()), Some(f));
    }
    assert_eq!(FeedbackFormat::from_name("pdf"), None);
}

#[test]
fn names_are_safe_and_unique() {
    let names = file_names(["amy", "Amy", "a/b", "../x", "con", "", "amy#2"], "md");
    assert_eq!(
        names,
        [
            "amy.md",
            "Amy-2.md",
            "a_b.md",
            "_x.md",
            "con_.md",
            "answer.md",
            "amy#2.md"
        ]
    );
    assert_eq!(file_names(["amy", "Amy"], "docx"), ["amy.docx", "Amy-2.docx"]);
}

#[test]
fn long_ids_are_cut_to_fit_a_file_name() {
    let exact = "a".repeat(240);
    let long = "é".repeat(200);
    let names = file_names([exact.as_str(), long.as_str(), long.as_str()], "docx");
    assert_eq!(names[0], format!("{exact}.docx"));
    assert_eq!(names[1], format!("{}.docx", "é".repeat(120)));
    assert_eq!(names[2], format!("{}-2.docx", "é".repeat(120)));
    assert!(names.iter().all(|n| n.len() <= 255));
}
