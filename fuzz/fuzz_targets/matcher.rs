//! Any cues against any answer. The input is read as text (invalid UTF-8 replaced): its first
//! four lines are cue strings, put into a rubric as phrases, `all` and `any` groups, `unless`
//! exclusions, a synonym set and a partial cue; the rest is the answer. The first byte also
//! sets the phrase gap, the `within` window, whether the answer is Markdown (0x80) and whether
//! explanations are asked for (0x40; they cost more than the check).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rubric::{Document, Format, Rubric};

/// A TOML basic string holding `s`.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut lines = text.splitn(5, '\n');
    let mut cue = || quoted(lines.next().filter(|l| !l.trim().is_empty()).unwrap_or("patronage"));
    let [c0, c1, c2, c3] = [cue(), cue(), cue(), cue()];
    let answer = lines.next().unwrap_or("").to_string();
    let gap = knobs % 4;
    let within = 1 + u32::from(knobs >> 2) % 40;
    let source = format!(
        r#"title = "How had Stalin been able to rise up the Bolshevik ranks?"
gap = {gap}

[synonyms]
s = [{c0}, "patronage"]

[[question]]
id = "q"
prompt = "How did Stalin's jobs help him?"

[[question.point]]
id = "p"
label = "fuzzed"
hint = "hint"
cues = [{c0}, {{ all = [{c1}, {c2}], within = {within} }}, {{ any = [{c0}, {c1}, "@s"], need = 2 }}, {{ phrase = {c2}, unless = [{c3}] }}]
partial = [{c3}, {{ all = [{c1}, "@s"] }}]

[[question.point]]
id = "exact"
label = "exact"
hint = "hint"
marks = 2
cues = [{{ phrase = {c1}, exact = true, gap = 0 }}]
"#
    );
    let rubric = match Rubric::from_str(&source, "fuzz.toml") {
        Ok(r) => r,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    if answer.trim().is_empty() {
        return;
    }
    let format = if knobs & 0x80 != 0 {
        Format::Markdown
    } else {
        Format::Text
    };
    let doc = Document::new(answer, format, &rubric.language);
    rubric_fuzz::check(&rubric, &doc, knobs & 0x40 != 0);
    // The seed rubric on the same answer.
    let stalin = rubric_fuzz::stalin();
    let doc = Document::new(doc.text, format, &stalin.language);
    rubric_fuzz::check(stalin, &doc, data.len().is_multiple_of(16));
});
