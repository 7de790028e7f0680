//! The class report of `rubric mark --html`: one self-contained page for the teacher.
//!
//! The page has no external script, style sheet, font or image and makes no network request:
//! the style is inline CSS, the charts are inline SVG, and one small inline script sorts and
//! filters the grid (the page is complete without it, and printed shows every row). It opens with the class overview (score
//! distribution as SVG bars, coverage of each point as stacked bars, most-missed first, and a
//! students × points grid whose cells carry a symbol and a hidden word as well as a colour, with
//! each question's marks after its points),
//! then has one section per student (linked from the grid) with the answer text, the evidence
//! highlighted in place (`<mark>` at the evidence's byte offsets), and the feedback list. It
//! prints one student per page.
//!
//! Answer texts are not kept in memory while marking: the caller reads each file again when its
//! section is written ([`crate::batch::reread`], one at a time) and says whether it changed
//! since it was marked. If it did (or can no longer be read), the section says so and shows the
//! text without highlights (the offsets would no longer fit). The page itself reads no file.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::escape::html as esc;
use super::marks;
use super::summary::{self, Summary};
use crate::batch::reread::Reread;
use crate::batch::{Batch, Entry, Marked};
use crate::matcher::Status;
use crate::score::Assessment;

/// Near-duplicate pairs listed on the page (all are in the JSON summary).
const DUPLICATES_SHOWN: usize = 500;
/// Near-duplicates named in a student's section.
const PARTNERS_SHOWN: usize = 10;

/// The BCP 47 code of a rubric language, for the `lang` attribute.
fn lang_code(name: &str) -> &'static str {
    match name {
        "arabic" => "ar",
        "danish" => "da",
        "dutch" => "nl",
        "finnish" => "fi",
        "french" => "fr",
        "german" => "de",
        "greek" => "el",
        "hungarian" => "hu",
        "italian" => "it",
        "norwegian" => "no",
        "portuguese" => "pt",
        "romanian" => "ro",
        "russian" => "ru",
        "spanish" => "es",
        "swedish" => "sv",
        "tamil" => "ta",
        "turkish" => "tr",
        _ => "en",
    }
}

fn symbol(s: Status) -> &'static str {
    match s {
        Status::Covered => "✓",
        Status::Partial => "~",
        Status::Negated => "!",
        Status::Missing => "✗",
    }
}

const STATUSES: [Status; 4] = [Status::Covered, Status::Partial, Status::Negated, Status::Missing];

/// The anchor of a student's section: position and a slug of the id (ids may hold anything).
fn anchor(index: usize, id: &str) -> String {
    let mut slug = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        format!("s{}", index + 1)
    } else {
        format!("s{}-{slug}", index + 1)
    }
}

const CSS: &str = r#"
:root { --covered: #1a7f37; --covered-bg: #d3f5dc; --partial: #8a5a00; --partial-bg: #fff1b8;
  --negated: #7d3fc2; --negated-bg: #f1e3ff; --missing: #b3261e; --missing-bg: #ffe1de;
  --ink: #1f2328; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; margin: 0 auto; max-width: 1100px; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1rem 0 .25rem; }
a { color: #0550ae; }
.meta, .note { color: var(--muted); }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
dl.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: .5rem; margin: 0; }
dl.stats div { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .7rem; }
dl.stats dt { color: var(--muted); font-size: .85rem; }
dl.stats dd { margin: 0; font-size: 1.25rem; font-weight: 600; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg .bar { fill: #4c72b0; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.coverage svg rect.covered, .legend .covered { fill: var(--covered); }
.coverage svg rect.partial { fill: #d4a72c; }
.coverage svg rect.negated { fill: var(--negated); }
.coverage svg rect.missing { fill: var(--missing); }
.grid-wrap { overflow-x: auto; }
table.grid th.pt { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
  font-weight: 500; font-size: .85rem; padding: .4rem .2rem; }
table.grid td.st { text-align: center; font-weight: 700; min-width: 1.8rem; }
table.grid td.teacher { outline: 2px solid var(--ink); outline-offset: -4px; }
table.grid th.qm, table.grid td.qm { border-right: 2px solid var(--muted); font-weight: 600; }
table.grid button.sort { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-align: inherit; }
table.grid th[aria-sort="ascending"] button.sort::after { content: " \25B2"; }
table.grid th[aria-sort="descending"] button.sort::after { content: " \25BC"; }
.grid-tools { margin: .5rem 0; }
.st.covered, mark.covered, .fb li.covered .sym, .key.covered { background: var(--covered-bg); color: var(--covered); }
.st.partial, mark.partial, .fb li.partial .sym, .key.partial { background: var(--partial-bg); color: var(--partial); }
.st.negated, mark.negated, .fb li.negated .sym, .key.negated { background: var(--negated-bg); color: var(--negated); }
.st.missing, .fb li.missing .sym, .key.missing { background: var(--missing-bg); color: var(--missing); }
tr.failed td { color: var(--missing); font-style: italic; }
.legend { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; padding: 0; list-style: none; }
.key.teacher { outline: 2px solid var(--ink); outline-offset: -4px; }
.key { display: inline-block; min-width: 1.6rem; text-align: center; font-weight: 700; border: 1px solid var(--line); border-radius: 4px; }
.sr { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
section.student { border-top: 3px solid var(--ink); margin-top: 2.5rem; }
section.student h2 { border: 0; }
.score { font-weight: 400; color: var(--muted); margin-left: .5rem; }
.answer { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid var(--line); border-radius: 6px;
  padding: .75rem 1rem; background: #fbfbfc; font-family: Georgia, "Times New Roman", serif; line-height: 1.6; }
mark { padding: 0 .1em; border-radius: 3px; color: inherit; }
mark.covered { border-bottom: 2px solid var(--covered); }
mark.partial { border-bottom: 2px dashed var(--partial); }
mark.negated { border-bottom: 2px dotted var(--negated); }
sup.tag { font: 600 .7rem system-ui, sans-serif; color: var(--muted); margin-left: .1em; }
.fb { list-style: none; padding: 0; }
.fb li { margin: .35rem 0; padding-left: 2rem; text-indent: -2rem; }
.fb .sym { display: inline-block; width: 1.5rem; text-indent: 0; text-align: center; font-weight: 700; border-radius: 4px; margin-right: .5rem; }
.fb q { font-style: italic; }
.pm { color: var(--muted); font-size: .85rem; }
.warn { border-left: 4px solid var(--missing); padding: .3rem .75rem; background: var(--missing-bg); }
.review { display: block; font-size: .8em; font-weight: normal; color: var(--missing); }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav, .back { display: none; }
  a { color: inherit; text-decoration: none; }
  .grid-wrap { overflow: visible; }
  .grid-tools { display: none; }
  table.grid tr[hidden] { display: table-row; }
  thead { display: table-header-group; }
  tr, figure, .fb li { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  section.student { break-before: page; border-top: 0; margin-top: 0; }
}
"#;

/// The score distribution as SVG bars, with counts and band labels as text.
fn histogram(out: &mut String, s: &Summary) {
    let (w, h, left, top, bottom) = (640.0, 250.0, 30.0, 24.0, 36.0);
    let plot_h = h - top - bottom;
    let n = s.distribution.len().max(1) as f64;
    let slot = (w - left - 10.0) / n;
    let max = s.distribution.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let described: Vec<String> = s
        .distribution
        .iter()
        .map(|b| format!("{}: {}", b.band, b.count))
        .collect();
    let _ = writeln!(
        out,
        r#"<figure><svg class="histogram" role="img" aria-labelledby="hist-title hist-desc" viewBox="0 0 {w} {h}" width="{w}" height="{h}">
<title id="hist-title">Number of answers per score band</title>
<desc id="hist-desc">{}</desc>"#,
        esc(&described.join("; "))
    );
    let base = top + plot_h;
    let _ = writeln!(
        out,
        r#"<line class="axis" x1="{left}" y1="{base}" x2="{}" y2="{base}"/>"#,
        w - 10.0
    );
    for (i, b) in s.distribution.iter().enumerate() {
        let bh = (b.count as f64 / max * plot_h).round();
        let x = left + slot * i as f64 + 4.0;
        let bw = slot - 8.0;
        let _ = writeln!(
            out,
            r#"<rect class="bar" data-band="{}" data-count="{}" x="{x:.1}" y="{:.1}" width="{bw:.1}" height="{bh:.1}"><title>{}: {} answer{}</title></rect>"#,
            esc(&b.band),
            b.count,
            base - bh,
            esc(&b.band),
            b.count,
            if b.count == 1 { "" } else { "s" }
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x + bw / 2.0,
            base - bh - 5.0,
            b.count
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x + bw / 2.0,
            base + 16.0,
            esc(&b.band)
        );
    }
    let _ = writeln!(
        out,
        "</svg><figcaption>Number of answers in each tenth of the maximum ({} marks).</figcaption></figure>",
        marks(s.max)
    );
}

/// Per point, a stacked bar of the statuses, most missed first.
fn coverage(out: &mut String, s: &Summary) {
    let total = s.counts.marked.max(1) as f64;
    let _ = writeln!(
        out,
        r#"<table class="coverage"><caption class="sr">Coverage of each point, most missed first</caption>
<thead><tr><th scope="col">Point</th><th scope="col">Question</th><th scope="col">Coverage</th><th scope="col">Covered</th><th scope="col">Partial</th><th scope="col">Negated</th><th scope="col">Missing</th></tr></thead><tbody>"#
    );
    for p in &s.points {
        let counts = [p.counts.covered, p.counts.partial, p.counts.negated, p.counts.missing];
        let words: Vec<String> = STATUSES
            .iter()
            .zip(counts)
            .map(|(st, c)| format!("{c} {}", st.as_str()))
            .collect();
        let _ = write!(
            out,
            r#"<tr><th scope="row">{} <code>{}</code></th><td>{}</td><td><svg role="img" aria-label="{}" viewBox="0 0 240 14" width="240" height="14">"#,
            esc(p.label),
            esc(p.id),
            esc(p.question),
            esc(&words.join(", "))
        );
        let mut x = 0.0;
        for (st, c) in STATUSES.iter().zip(counts) {
            let wdt = c as f64 / total * 240.0;
            if c > 0 {
                let _ = write!(
                    out,
                    r#"<rect class="{}" x="{x:.1}" y="0" width="{wdt:.1}" height="14"><title>{c} {}</title></rect>"#,
                    st.as_str(),
                    st.as_str()
                );
            }
            x += wdt;
        }
        let _ = writeln!(
            out,
            r#"</svg></td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            p.counts.covered, p.counts.partial, p.counts.negated, p.counts.missing
        );
    }
    let _ = writeln!(out, "</tbody></table>");
}

fn legend(out: &mut String) {
    let _ = write!(out, r#"<ul class="legend" aria-label="Legend">"#);
    for (st, text) in STATUSES.iter().zip([
        "covered",
        "partly made",
        "negated (the answer says the opposite)",
        "missing",
    ]) {
        let _ = write!(
            out,
            r#"<li><span class="key {}" aria-hidden="true">{}</span> {text}</li>"#,
            st.as_str(),
            symbol(*st)
        );
    }
    let _ = writeln!(
        out,
        r#"<li><span class="key teacher" aria-hidden="true">&nbsp;</span> ringed: the teacher's decision</li></ul>"#
    );
}

/// The rank of a status when the grid is sorted by a point's column (best first).
fn rank(s: Status) -> u8 {
    match s {
        Status::Covered => 3,
        Status::Partial => 2,
        Status::Negated => 1,
        Status::Missing => 0,
    }
}

/// The students × points grid: per question its points' statuses, then the question's marks.
/// With script, [`GRID_SCRIPT`] sorts it by a column and filters its rows; without (or
/// printed), it is the whole table in student order.
fn grid(out: &mut String, batch: &Batch, anchors: &[String]) {
    let rubric = batch.rubric;
    let columns: usize = rubric.questions.iter().map(|q| q.points.len() + 1).sum();
    legend(out);
    let _ = writeln!(
        out,
        r#"<div class="grid-tools" hidden><label for="grid-filter">Show only students whose row contains</label> <input type="search" id="grid-filter" autocomplete="off"> <span class="note" id="grid-count" aria-live="polite"></span></div>
<div class="grid-wrap"><table class="grid"><caption class="sr">Status of each point and marks of each question for each student</caption>
<thead><tr><th scope="col" data-sort="text">Student</th><th scope="col" data-sort="num">Score</th>"#
    );
    for q in &rubric.questions {
        for p in &q.points {
            let _ = write!(
                out,
                r#"<th scope="col" class="pt" data-sort="num" title="{}">{}</th>"#,
                esc(&p.label),
                esc(&p.id)
            );
        }
        let _ = write!(
            out,
            r#"<th scope="col" class="pt qm" data-sort="num" title="Marks for question {}: {}">{} marks</th>"#,
            esc(&q.id),
            esc(&q.prompt),
            esc(&q.id)
        );
    }
    let _ = writeln!(
        out,
        r#"<th scope="col" data-sort="text">Near-duplicate of</th></tr></thead><tbody>"#
    );
    for (i, e) in batch.entries.iter().enumerate() {
        match e.marked() {
            Some(m) => {
                let _ = write!(
                    out,
                    r##"<tr><th scope="row"><a href="#{}">{}</a>{}</th><td class="num">{}</td>"##,
                    anchors[i],
                    esc(&who(batch, e)),
                    to_review(m.review),
                    marks(m.score)
                );
                let each = e
                    .marks(rubric)
                    .unwrap_or_else(|| crate::score::marks_of(rubric, &crate::score::Scoring::of(rubric), &m.statuses));
                let mut statuses = m.statuses.iter().enumerate();
                for (q, &q_marks) in rubric.questions.iter().zip(&each.questions) {
                    for (point, (i, &st)) in q.points.iter().zip(statuses.by_ref()) {
                        // The teacher's decision: marked with a ring and said in words.
                        let (class, said) = match e.decided(i) {
                            Some(d) if d.comment.is_empty() => (" teacher", ", the teacher's decision".to_string()),
                            Some(d) => (" teacher", format!(", the teacher's decision: {}", d.comment)),
                            None => ("", String::new()),
                        };
                        let _ = write!(
                            out,
                            r#"<td class="st {}{class}" data-v="{}" title="{}: {}{}"><span aria-hidden="true">{}</span><span class="sr">{}{}</span></td>"#,
                            st.as_str(),
                            rank(st),
                            esc(&point.label),
                            st.as_str(),
                            esc(&said),
                            symbol(st),
                            st.as_str(),
                            esc(&said)
                        );
                    }
                    let _ = write!(out, r#"<td class="num qm">{}</td>"#, marks(q_marks));
                }
                match e.duplicate {
                    Some((o, sim)) => {
                        let _ = writeln!(
                            out,
                            r##"<td><a href="#{}">{}</a> ({sim:.2})</td></tr>"##,
                            anchors[o],
                            esc(&batch.entries[o].id)
                        );
                    }
                    None => {
                        let _ = writeln!(out, "<td></td></tr>");
                    }
                }
            }
            None => {
                let reason = match &e.outcome {
                    crate::batch::Outcome::Failed(r) => r.as_str(),
                    crate::batch::Outcome::Marked(_) => "",
                };
                let _ = writeln!(
                    out,
                    r#"<tr class="failed"><th scope="row">{}</th><td colspan="{}">not marked: {}</td></tr>"#,
                    esc(&who(batch, e)),
                    columns + 2,
                    esc(reason)
                );
            }
        }
    }
    let _ = writeln!(out, "</tbody></table></div>\n<script>{GRID_SCRIPT}</script>");
}

/// Sorting and filtering the grid, for a teacher reading the report on screen: each column
/// head becomes a button that sorts by it (again: the other way; points by status, covered
/// first; rows not marked stay last), and a search box shows only the rows that contain its
/// text. The page works without it, and a printed page shows every row.
const GRID_SCRIPT: &str = r#"
(() => {
  const table = document.querySelector('table.grid');
  const tools = document.querySelector('.grid-tools');
  if (!table || !tools) return;
  const body = table.tBodies[0];
  const box = document.getElementById('grid-filter');
  const count = document.getElementById('grid-count');
  tools.hidden = false;
  const value = (row, i, kind) => {
    const cell = row.cells[i];
    if (!cell || row.classList.contains('failed')) return null;
    if (cell.dataset.v !== undefined) return Number(cell.dataset.v);
    const text = cell.textContent.trim();
    if (kind === 'num') return text === '' ? null : Number(text);
    return text;
  };
  const heads = Array.from(table.tHead.rows[0].cells);
  heads.forEach((th, i) => {
    const kind = th.dataset.sort;
    if (!kind) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener('click', () => {
      // First click: names A to Z, numbers and statuses best first; again: the other way.
      const first = kind === 'text' ? 'ascending' : 'descending';
      const dir = th.getAttribute('aria-sort') === first ? (first === 'ascending' ? 'descending' : 'ascending') : first;
      heads.forEach((h) => h.removeAttribute('aria-sort'));
      th.setAttribute('aria-sort', dir);
      const order = dir === 'ascending' ? 1 : -1;
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = value(a, i, kind), y = value(b, i, kind);
        if (x === null || y === null) return (x === null) - (y === null);
        const c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
        return c * order;
      });
      rows.forEach((r) => body.appendChild(r));
    });
  });
  box.addEventListener('input', () => {
    const q = box.value.trim().toLowerCase();
    let shown = 0;
    for (const row of body.rows) {
      row.hidden = q !== '' && !row.textContent.toLowerCase().includes(q);
      if (!row.hidden) shown += 1;
    }
    count.textContent = q === '' ? '' : `${shown} of ${body.rows.length} students shown`;
  });
})();
"#;

/// The answer text with the evidence of each point marked in place.
fn highlighted(text: &str, a: &Assessment) -> String {
    // (start, end, status, point id, label)
    let mut spans: Vec<(usize, usize, Status, &str, &str)> = Vec::new();
    for p in a.points() {
        for ev in &p.finding.evidence {
            if ev.start < ev.end
                && ev.end <= text.len()
                && text.is_char_boundary(ev.start)
                && text.is_char_boundary(ev.end)
            {
                spans.push((ev.start, ev.end, p.finding.status, &p.point.id, &p.point.label));
            }
        }
    }
    spans.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)));
    let mut out = String::with_capacity(text.len() + spans.len() * 80);
    let mut pos = 0;
    let mut k = 0;
    while k < spans.len() {
        // Merge overlapping spans into one mark.
        let (start, mut end) = (spans[k].0.max(pos), spans[k].1);
        let mut group = vec![spans[k]];
        k += 1;
        while k < spans.len() && spans[k].0 < end {
            end = end.max(spans[k].1);
            group.push(spans[k]);
            k += 1;
        }
        if start >= end {
            continue;
        }
        let best = group.iter().map(|g| g.2).min().unwrap_or(Status::Covered);
        let mut ids: Vec<&str> = group.iter().map(|g| g.3).collect();
        ids.dedup();
        let mut titles: Vec<String> = group.iter().map(|g| format!("{} ({})", g.4, g.2.as_str())).collect();
        titles.dedup();
        out.push_str(&esc(&text[pos..start]));
        let _ = write!(
            out,
            r#"<mark class="{}" title="{}">{}</mark><sup class="tag">{}</sup>"#,
            best.as_str(),
            esc(&titles.join("; ")),
            esc(&text[start..end]),
            esc(&ids.join(", "))
        );
        pos = end;
    }
    out.push_str(&esc(&text[pos..]));
    out
}

/// The feedback list of one answer, per question.
fn feedback(out: &mut String, a: &Assessment) {
    for (i, q) in a.questions.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<h4>{}. {} <span class="pm">{} / {}</span></h4><ul class="fb">"#,
            i + 1,
            esc(&q.question.prompt),
            marks(q.score),
            marks(q.question.max)
        );
        for p in &q.points {
            let st = p.finding.status;
            let what = match st {
                Status::Covered => "",
                Status::Partial => " (partly made)",
                Status::Negated => " (the answer says the opposite)",
                Status::Missing => " (missing)",
            };
            let _ = write!(
                out,
                r#"<li class="{}"><span class="sym" aria-hidden="true">{}</span><span class="sr">{}: </span><strong>{}</strong>{what} <span class="pm">{}/{}</span>"#,
                st.as_str(),
                symbol(st),
                st.as_str(),
                esc(&p.point.label),
                marks(p.marks),
                marks(p.point.marks)
            );
            if let Some(ev) = p.finding.evidence.first() {
                let _ = write!(out, " — <q>{}</q>", esc(&ev.quote));
            }
            if st != Status::Covered {
                let _ = write!(out, " — Hint: {}", esc(&p.point.hint));
            }
            let _ = writeln!(out, "</li>");
        }
        let _ = writeln!(out, "</ul>");
    }
}

/// Per answer, its most similar near-duplicates (at most [`PARTNERS_SHOWN`]), most similar first.
fn partners(batch: &Batch) -> Vec<Vec<(usize, f64)>> {
    let mut out = vec![Vec::new(); batch.entries.len()];
    for p in &batch.pairs {
        for (me, other) in [(p.a, p.b), (p.b, p.a)] {
            if out[me].len() < PARTNERS_SHOWN {
                out[me].push((other, p.similarity));
            }
        }
    }
    out
}

/// Everything a student's section needs besides the answer.
struct Context<'a> {
    anchors: &'a [String],
    partners: &'a [Vec<(usize, f64)>],
}

/// How the report names a student: the roster's name with the id, or the id.
fn who(batch: &Batch, e: &Entry) -> String {
    match batch.student(e).map(|s| s.name.as_str()).filter(|n| !n.is_empty()) {
        Some(name) => format!("{name} ({})", e.id),
        None => e.id.clone(),
    }
}

/// The teacher's comments on an answer ([`crate::batch::overrides`]), as a list.
fn comments(out: &mut String, batch: &Batch, e: &Entry) {
    let ids = batch.status_ids();
    let said: Vec<_> = e.decisions.iter().filter(|d| !d.comment.is_empty()).collect();
    if said.is_empty() {
        return;
    }
    let _ = writeln!(out, r#"<h3>The teacher's comments</h3><ul class="teacher-notes">"#);
    for d in said {
        match d.point.and_then(|i| ids.get(i)) {
            Some(id) => {
                let _ = writeln!(out, "<li><code>{}</code>: {}</li>", esc(id), esc(&d.comment));
            }
            None => {
                let _ = writeln!(out, "<li>{}</li>", esc(&d.comment));
            }
        }
    }
    let _ = writeln!(out, "</ul>");
}

/// The "to review" marker of a student in the grid: ⚑ and the reasons (nothing when none).
fn to_review(review: crate::batch::Review) -> String {
    if review.is_empty() {
        return String::new();
    }
    let meaning: Vec<&str> = review.reasons().map(crate::batch::Reason::meaning).collect();
    format!(
        r#"<span class="review" title="{}"><span aria-hidden="true">⚑ </span>to review: {}</span>"#,
        esc(&meaning.join("; ")),
        esc(&review.joined(", "))
    )
}

fn student(out: &mut String, batch: &Batch, index: usize, e: &Entry, m: &Marked, answer: Reread, cx: &Context) {
    let Context { anchors, partners } = cx;
    let Some(a) = m.full.as_deref() else { return };
    let anchor = &anchors[index];
    let _ = writeln!(
        out,
        r#"<section class="student" id="{anchor}" aria-labelledby="{anchor}-h">
<h2 id="{anchor}-h">{} <span class="score">{} / {} ({}%)</span></h2>
<p class="meta">File: <code>{}</code></p>"#,
        esc(&who(batch, e)),
        marks(a.score),
        marks(a.max),
        summary::percent(a.score, a.max),
        esc(&e.file)
    );
    let similar: Vec<String> = partners[index]
        .iter()
        .map(|&(other, sim)| {
            format!(
                r##"<a href="#{}">{}</a> ({sim:.2})"##,
                anchors[other],
                esc(&batch.entries[other].id)
            )
        })
        .collect();
    if !similar.is_empty() {
        let _ = writeln!(
            out,
            r#"<p class="warn">Near-duplicate: very similar wording to {}.</p>"#,
            similar.join(", ")
        );
    }
    if !m.review.is_empty() {
        let reasons: Vec<String> = m
            .review
            .reasons()
            .map(|r| format!("{} ({})", r.as_str(), r.meaning()))
            .collect();
        let _ = writeln!(out, r#"<p class="warn">To review: {}.</p>"#, esc(&reasons.join("; ")));
    }
    let _ = writeln!(out, "<h3>Answer</h3>");
    match answer {
        Reread::Same(source) => {
            let _ = writeln!(out, r#"<div class="answer">{}</div>"#, highlighted(&source.text, a));
        }
        Reread::Changed(source) => {
            let _ = writeln!(
                out,
                r#"<p class="warn">The file changed after it was marked: the text below is the new one, without highlights; mark again to update.</p>
<div class="answer">{}</div>"#,
                esc(&source.text)
            );
        }
        Reread::Failed(err) => {
            let _ = writeln!(
                out,
                r#"<p class="warn">The file could not be read again to show it: {}</p>"#,
                esc(&err.to_string())
            );
        }
    }
    let _ = writeln!(out, "<h3>Feedback</h3>");
    feedback(out, a);
    comments(out, batch, e);
    let _ = writeln!(
        out,
        r##"<p class="back"><a href="#grid">Back to the grid</a></p>
</section>"##
    );
}

/// Writes the page. `answer` gives each marked answer's file read again
/// ([`Entry::read_again`]), when its section is written.
pub fn write(w: &mut dyn Write, batch: &Batch, mut answer: impl FnMut(&Entry) -> Reread) -> io::Result<()> {
    let s = summary::build(batch, None);
    let rubric = batch.rubric;
    let anchors: Vec<String> = batch
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| anchor(i, &e.id))
        .collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        r##"<!DOCTYPE html>
<html lang="{}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="rubric {}">
<title>Marks: {}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{}</h1>
<p class="meta">Marked against <code>{}</code> · {} answers marked · out of {} marks</p>
</header>
<nav aria-label="Contents"><ul><li><a href="#overview">Class overview</a></li><li><a href="#distribution">Score distribution</a></li><li><a href="#points">Points</a></li><li><a href="#grid">Students and points</a></li><li><a href="#duplicates">Near-duplicates</a></li><li><a href="#not-marked">Not marked</a></li></ul></nav>
<main>
<section id="overview" aria-labelledby="overview-h">
<h2 id="overview-h">Class overview</h2>"##,
        lang_code(rubric.language.name()),
        env!("CARGO_PKG_VERSION"),
        esc(&rubric.title),
        esc(&rubric.title),
        esc(&s.rubric.path.clone().unwrap_or_else(|| "(rubric)".to_string())),
        s.counts.marked,
        marks(s.max)
    );
    let _ = write!(out, r#"<dl class="stats">"#);
    let mut stat = |label: &str, value: String| {
        let _ = write!(out, "<div><dt>{label}</dt><dd>{}</dd></div>", esc(&value));
    };
    stat("Answers marked", s.counts.marked.to_string());
    if let Some(sc) = &s.scores {
        stat("Mean", format!("{} ({}%)", marks(sc.mean), sc.mean_percent));
        stat("Median", marks(sc.median));
        stat("Lowest", marks(sc.min));
        stat("Highest", marks(sc.max));
    }
    stat("Not marked", s.counts.failed.to_string());
    stat("Skipped", s.counts.skipped.to_string());
    stat("Near-duplicate pairs", s.near_duplicates.len().to_string());
    stat("To review", s.counts.to_review.to_string());
    let _ = writeln!(out, "</dl>");

    let _ = writeln!(out, r#"<h3 id="distribution">Score distribution</h3>"#);
    histogram(&mut out, &s);
    let _ = writeln!(out, r#"<h3 id="points">Points, most missed first</h3>"#);
    coverage(&mut out, &s);
    let _ = writeln!(
        out,
        r#"<h3 id="grid">Students and points</h3><p class="note">Select a student to see the answer and the feedback.</p>"#
    );
    grid(&mut out, batch, &anchors);

    let _ = writeln!(
        out,
        r#"<h3 id="duplicates">Near-duplicate answers</h3><p class="note">Pairs whose wording overlaps by {} or more (Jaccard similarity of three-word sequences; the rubric's own questions are left out).</p>"#,
        batch.similarity
    );
    if batch.pairs.is_empty() {
        let _ = writeln!(out, "<p>None.</p>");
    } else {
        let _ = writeln!(
            out,
            r#"<table><thead><tr><th scope="col">Similarity</th><th scope="col">Student</th><th scope="col">Student</th></tr></thead><tbody>"#
        );
        for p in batch.pairs.iter().take(DUPLICATES_SHOWN) {
            let _ = writeln!(
                out,
                r##"<tr><td class="num">{:.2}</td><td><a href="#{}">{}</a></td><td><a href="#{}">{}</a></td></tr>"##,
                p.similarity,
                anchors[p.a],
                esc(&batch.entries[p.a].id),
                anchors[p.b],
                esc(&batch.entries[p.b].id)
            );
        }
        let _ = writeln!(out, "</tbody></table>");
        if batch.pairs.len() > DUPLICATES_SHOWN {
            let _ = writeln!(
                out,
                r#"<p class="note">… and {} more pairs (all are in the JSON summary).</p>"#,
                batch.pairs.len() - DUPLICATES_SHOWN
            );
        }
    }

    let _ = writeln!(out, r#"<h3 id="not-marked">Files not marked</h3>"#);
    let absent = s.no_submission.as_deref().unwrap_or_default();
    if s.failed.is_empty() && s.skipped.is_empty() && absent.is_empty() {
        let _ = writeln!(out, "<p>None.</p>");
    }
    if !absent.is_empty() {
        let _ = writeln!(out, "<h4>No submission (on the roster)</h4><ul>");
        for a in absent {
            match a.name {
                "" => {
                    let _ = writeln!(out, "<li>{}</li>", esc(a.id));
                }
                name => {
                    let _ = writeln!(out, "<li>{} ({})</li>", esc(name), esc(a.id));
                }
            }
        }
        let _ = writeln!(out, "</ul>");
    }
    if !s.failed.is_empty() {
        let _ = writeln!(out, "<h4>Failed</h4><ul>");
        for f in &s.failed {
            let _ = writeln!(out, "<li><code>{}</code>: {}</li>", esc(f.file), esc(f.reason));
        }
        let _ = writeln!(out, "</ul>");
    }
    if !s.skipped.is_empty() {
        let _ = writeln!(out, "<h4>Skipped</h4><ul>");
        for f in &s.skipped {
            let _ = writeln!(out, "<li><code>{}</code>: {}</li>", esc(f.file), esc(f.reason));
        }
        let _ = writeln!(out, "</ul>");
    }
    if !s.warnings.is_empty() {
        let _ = writeln!(out, "<h4>Warnings</h4><ul>");
        for wn in s.warnings {
            let _ = writeln!(out, "<li>{}</li>", esc(wn));
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "</section>");
    w.write_all(out.as_bytes())?;

    let partners = partners(batch);
    let cx = Context {
        anchors: &anchors,
        partners: &partners,
    };
    for (i, e, m) in batch.marked() {
        // Without the findings (a batch marked without evidence) there is nothing to show.
        if m.full.is_none() {
            continue;
        }
        out.clear();
        student(&mut out, batch, i, e, m, answer(e), &cx);
        w.write_all(out.as_bytes())?;
    }
    w.write_all(b"</main>\n</body>\n</html>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric() -> crate::scheme::Rubric {
        crate::scheme::Rubric::load(std::path::Path::new("rubrics/stalin-rise.toml")).expect("rubric")
    }

    #[test]
    fn evidence_is_marked_in_place_and_text_escaped() {
        let rubric = rubric();
        let text = "<b>Stalin</b> & co: he built a patronage system. Then he became General Secretary in 1922.";
        let doc =
            crate::text::tokens::Document::new(text.to_string(), crate::text::read::Format::Text, &rubric.language);
        let a = crate::score::assess(&rubric, &doc, false);
        let html = highlighted(text, &a);
        assert!(html.starts_with("&lt;b&gt;Stalin&lt;/b&gt; &amp; co:"), "{html}");
        assert!(
            html.contains(r#"<mark class="covered" title="Patronage: favours for protégés who then backed him (covered)">patronage</mark><sup class="tag">patronage</sup>"#),
            "{html}"
        );
        // Without the marks and tags, the text is all there, in order.
        let plain = html
            .split("<sup")
            .map(|part| part.split_once("</sup>").map_or(part, |(_, rest)| rest))
            .collect::<String>()
            .replace("</mark>", "");
        let plain: String = plain
            .split("<mark")
            .map(|p| p.split_once('>').map_or(p, |(_, r)| r))
            .collect();
        assert_eq!(plain, esc(text));
    }

    #[test]
    fn a_file_changed_after_marking_is_shown_without_highlights() {
        let rubric = rubric();
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("amy.txt");
        std::fs::write(&file, "He built a patronage system.").expect("write");
        let settings = crate::batch::Settings {
            paths: vec![dir.path().to_path_buf()],
            ..Default::default()
        };
        let batch = crate::batch::mark(&rubric, &settings);
        let render = || {
            let mut out = Vec::new();
            write(&mut out, &batch, |e| e.read_again(&Default::default())).expect("writes");
            String::from_utf8(out).expect("utf-8")
        };
        let html = render();
        assert!(html.contains("<mark class=\"covered\""), "{html}");
        std::fs::write(&file, "He built a big patronage system.").expect("write");
        let html = render();
        assert!(html.contains("The file changed after it was marked"), "{html}");
        assert!(!html.contains("<mark "), "{html}");
        std::fs::remove_file(&file).expect("remove");
        assert!(render().contains("could not be read again"));
    }

    #[test]
    fn anchors_are_unique_and_tame() {
        assert_eq!(anchor(0, "Amy Jones"), "s1-amy-jones");
        assert_eq!(anchor(4, "???"), "s5");
        assert_eq!(anchor(2, "amy#2"), "s3-amy-2");
    }
}
