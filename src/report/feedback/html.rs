//! Feedback as a web page (`<id>.html`): one student per page, standalone (inline CSS, no
//! script, no image, font or request), made to be printed: on paper the page is black on white
//! with nothing cut between a question's heading and its first lines.
//!
//! The page carries `<meta name="generator" content="rubric ...">` and `<body
//! class="feedback">`, which is how rubric recognises one of its feedback pages
//! ([`crate::batch::own`]).

use std::fmt::Write;

use super::super::escape::html as esc;
use super::{Item, Model, Span};

const CSS: &str = r#"
:root { --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; padding-top: .75rem; border-top: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; color: var(--accent); }
.rubric { color: var(--muted); margin: 0 0 1rem; }
.score { font-size: 1.25rem; margin: 0 0 1.25rem; }
.comments { border-left: 4px solid var(--accent); padding: .25rem 1rem; margin: 0 0 1.5rem; background: #f3f8fd; }
.comments h2 { border: 0; margin: .5rem 0; padding: 0; font-size: 1rem; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1rem; }
caption { text-align: left; font-weight: 600; margin-bottom: .25rem; }
th, td { border: 1px solid var(--line); padding: .35rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; }
td.marks, th.marks { text-align: right; white-space: nowrap; }
tfoot th, tfoot td { font-weight: 700; }
h2 .marks { color: var(--muted); font-weight: 400; white-space: nowrap; }
ul { margin: .25rem 0 .75rem; padding-left: 1.4rem; }
li { margin: .25rem 0; }
ul.notes { margin: .15rem 0; color: var(--muted); list-style: circle; }
.quote { font-style: italic; }
.closing { margin-top: 2rem; font-weight: 600; }
@media print {
  @page { margin: 18mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  li, tr, .comments { break-inside: avoid; page-break-inside: avoid; }
  .comments, thead th { background: none; }
  ul.notes, .rubric, h2 .marks { color: #333; }
  h3 { color: var(--ink); }
}
"#;

/// Spans as HTML.
fn spans(line: &[Span]) -> String {
    let mut out = String::new();
    for span in line {
        match span {
            Span::Text(t) => out.push_str(&esc(t)),
            Span::Strong(t) => {
                let _ = write!(out, "<strong>{}</strong>", esc(t));
            }
            Span::Quote(t) => {
                let _ = write!(out, "<span class=\"quote\">“{}”</span>", esc(t));
            }
        }
    }
    out
}

fn item(out: &mut String, item: &Item) {
    let _ = write!(out, "<li>{}", spans(&item.line));
    if !item.notes.is_empty() {
        out.push_str("<ul class=\"notes\">");
        for note in &item.notes {
            let _ = write!(out, "<li>{}</li>", spans(note));
        }
        out.push_str("</ul>");
    }
    out.push_str("</li>\n");
}

pub(super) fn render(m: &Model) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"rubric {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n\
         <body class=\"feedback\">\n<main>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&m.heading)
    );
    let _ = writeln!(out, "<h1>{}</h1>", esc(&m.heading));
    let _ = writeln!(out, "<p class=\"rubric\">{}</p>", esc(&m.rubric_title));
    let _ = writeln!(
        out,
        "<p class=\"score\"><strong>Score: {}</strong></p>",
        esc(&m.score_text())
    );
    if !m.comments.is_empty() {
        let _ = writeln!(out, "<section class=\"comments\">\n<h2>{}</h2>", super::TEACHER);
        for c in &m.comments {
            let _ = writeln!(out, "<p>{}</p>", esc(c));
        }
        out.push_str("</section>\n");
    }
    out.push_str(
        "<table class=\"marks\">\n<caption>Marks per question</caption>\n\
         <thead><tr><th scope=\"col\">Question</th><th scope=\"col\" class=\"marks\">Marks</th></tr></thead>\n<tbody>\n",
    );
    for q in &m.questions {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"marks\">{}</td></tr>",
            esc(&q.title()),
            q.marks_text()
        );
    }
    let _ = writeln!(
        out,
        "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th><td class=\"marks\">{} / {}</td></tr></tfoot>\n</table>",
        super::super::marks(m.score),
        super::super::marks(m.max)
    );
    for q in &m.questions {
        let _ = writeln!(
            out,
            "<section class=\"question\">\n<h2>{} <span class=\"marks\">({})</span></h2>",
            esc(&q.title()),
            q.marks_text()
        );
        for s in &q.sections {
            let _ = writeln!(out, "<h3>{}</h3>\n<ul>", esc(s.title));
            for i in &s.items {
                item(&mut out, i);
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</section>\n");
    }
    let _ = writeln!(out, "<p class=\"closing\">{}</p>", esc(m.closing));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
