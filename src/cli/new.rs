//! `rubric new --from`: a rubric drafted from a worksheet or mark scheme
//! ([`crate::eval::draft`]), checked to load, then printed or written atomically.

use super::Out;
use super::args::{ColorArg, NewArgs};
use crate::app::{Failure, SUCCESS};
use crate::eval::draft::draft;
use crate::report::atomic;
use crate::report::printable::printable_line;
use crate::scheme::Rubric;
use crate::text::read::{Limits, ReadError, path_text, read_path};

pub(super) fn run(args: NewArgs) -> Result<i32, Failure> {
    let empty = |name: &str| Failure::new(format!("{name}: the document has no text to draft a rubric from"));
    let source = read_path(&args.from, &Limits::default()).map_err(|e| match e {
        ReadError::Empty { path } => empty(&path),
        e => Failure::new(e),
    })?;
    if source.text.trim().is_empty() {
        return Err(empty(&source.name));
    }
    let name = args
        .from
        .file_name()
        .map_or_else(|| source.name.clone(), |n| n.to_string_lossy().into_owned());
    let d = draft(&source.text, &name);
    // A draft that does not load is this command's fault, not the document's: say so plainly.
    if let Err(e) = Rubric::from_str(&d.toml, "the draft") {
        return Err(Failure::new(format!(
            "internal error: the rubric drafted from {} does not load: {e}",
            source.name
        )));
    }
    let mut d = d;
    if let Some(marks) = &args.answers {
        d.toml.push_str(&candidates(&d.toml, marks)?);
    }
    let summary = format!(
        "{} question{}, {} key point{}{}{}",
        d.questions,
        plural(d.questions),
        d.points,
        plural(d.points),
        match d.skeletons {
            0 => String::new(),
            n => format!(", {n} skeleton point{} to write", plural(n)),
        },
        if d.marked {
            ""
        } else {
            " (no marks found: 1 mark a point)"
        },
    );
    match &args.output {
        None => {
            let mut out = Out::new(ColorArg::Never);
            out.write(&d.toml).map_err(Failure::from)?;
            eprintln!("drafted {summary}");
        }
        Some(path) => {
            if path.exists() && !args.force {
                return Err(Failure::new(format!(
                    "{}: already exists; choose another name, or --force to replace it",
                    path_text(path)
                )));
            }
            atomic::write(path, |w| w.write_all(d.toml.as_bytes()))
                .map_err(|e| Failure::new(format!("{}: {e}", path_text(path))))?;
            let shown = printable_line(&path_text(path)).into_owned();
            eprintln!("wrote {shown}: {summary}");
            eprintln!("next: write the hints (TODO), then `rubric lint {shown}` and `rubric test {shown}`");
        }
    }
    Ok(SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The words common in the high-scored answers of `marks` that no cue of the draft matches
/// ([`suggest`](crate::eval::suggest)), as a comment block to append to the draft.
fn candidates(draft: &str, marks: &std::path::Path) -> Result<String, Failure> {
    use crate::eval::marks::{MarksSpec, read_marks};
    use crate::eval::suggest::{SuggestOptions, suggest};
    let rubric = Rubric::from_str(draft, "the draft").map_err(Failure::new)?;
    let marks = read_marks(marks, &MarksSpec::default()).map_err(Failure::new)?;
    let options = SuggestOptions {
        top: 30,
        ..SuggestOptions::default()
    };
    let Some(report) = suggest(&rubric, &marks, options) else {
        return Err(Failure::new(format!("{}: no usable marked answer", marks.path)));
    };
    let mut out = format!(
        "\n# ---------------------------------------------------------------------------------------\n\
         # Candidate cues: words common in the high-scored answers of {} ({} high, {} low)\n\
         # that no cue above matches; add those that make a point to its cues.\n",
        printable_line(&marks.path),
        report.split.high,
        report.split.low
    );
    if report.words.is_empty() {
        out.push_str("# (none found)\n");
    }
    for w in &report.words {
        out.push_str(&format!(
            "#   {:<30} in {} high and {} low answers\n",
            format!("\"{}\"", w.text),
            w.high,
            w.low
        ));
    }
    Ok(out)
}
