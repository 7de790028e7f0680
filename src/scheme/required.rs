//! Required fields, all missing ones at once.
//!
//! Deserialising the rubric stops at the first missing field, so a point written without its
//! `label` and `hint` would be reported one field at a time, each fix revealing the next. When
//! deserialising fails for a missing field, this pass walks the parsed TOML tables instead and
//! reports, for every table of the rubric, all the required fields it lacks in one message,
//! located at the table (its `[[question.point]]` header, say). The required fields are
//! documented in `docs/rubric-format.md` (keep the two in step).

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The required keys of the rubric's tables: (what the table is, its required keys).
const RUBRIC: &[&str] = &["title", "[[question]]"];
const QUESTION: &[&str] = &["id", "prompt", "[[question.point]]"];
const POINT: &[&str] = &["id", "label", "hint", "cues"];
const PEOPLE: &[&str] = &["subject"];
const BAND: &[&str] = &["covered", "marks"];
const EXAMPLE: &[&str] = &["name"];

/// Every table of `source` that lacks required fields, as (byte offset of the table, message
/// naming the table and all its missing fields), in file order. Empty when the source does not
/// parse as TOML (its syntax error is reported instead) or lacks nothing.
pub(super) fn missing_fields(source: &str) -> Vec<(usize, String)> {
    let Ok(root) = DeTable::parse(source) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let root = root.into_inner();
    check(&root, 0, "the rubric", RUBRIC, &mut found);
    for band in tables(&root, "bands") {
        check(band.get_ref(), band.span().start, "band", BAND, &mut found);
    }
    if let Some(people) = root.get("people")
        && let DeValue::Table(t) = people.get_ref()
    {
        check(t, people.span().start, "[people]", PEOPLE, &mut found);
    }
    for (qi, q) in tables(&root, "question").enumerate() {
        let qname = named(q.get_ref(), "question", qi);
        check(q.get_ref(), q.span().start, &qname, QUESTION, &mut found);
        for band in tables(q.get_ref(), "bands") {
            let what = format!("band of {qname}");
            check(band.get_ref(), band.span().start, &what, BAND, &mut found);
        }
        for (pi, p) in tables(q.get_ref(), "point").enumerate() {
            let what = format!("{} of {qname}", named(p.get_ref(), "point", pi));
            check(p.get_ref(), p.span().start, &what, POINT, &mut found);
        }
    }
    for e in tables(&root, "example") {
        check(e.get_ref(), e.span().start, "example", EXAMPLE, &mut found);
    }
    found.sort_by_key(|(at, _)| *at);
    found
}

/// The tables of the array `key` of `table` (nothing if it is missing or not an array).
fn tables<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> impl Iterator<Item = Spanned<&'a DeTable<'i>>> {
    let items = match table.get(key).map(Spanned::get_ref) {
        Some(DeValue::Array(items)) => &items[..],
        _ => &[],
    };
    items.iter().filter_map(|v| match v.get_ref() {
        DeValue::Table(t) => Some(Spanned::new(v.span(), t)),
        _ => None,
    })
}

/// "point `armies`" when the table has a string `id`, else "point 2" (1-based).
fn named(table: &DeTable, what: &str, index: usize) -> String {
    match table.get("id").map(Spanned::get_ref) {
        Some(DeValue::String(id)) => format!("{what} `{id}`"),
        _ => format!("{what} {}", index + 1),
    }
}

/// Adds a message for `table` if it lacks some of `required`. A point's `cues` are required
/// only when it has no `partial` cues either (a point found only partly is allowed).
fn check(table: &DeTable, at: usize, what: &str, required: &[&str], found: &mut Vec<(usize, String)>) {
    let missing: Vec<String> = required
        .iter()
        .filter(|key| {
            let bare = key.trim_matches(|c| c == '[' || c == ']');
            let bare = bare.rsplit('.').next().unwrap_or(bare);
            let partial_only = bare == "cues" && table.contains_key("partial");
            !(partial_only || table.contains_key(bare))
        })
        .map(|key| {
            if key.starts_with('[') {
                key.to_string()
            } else {
                format!("`{key}`")
            }
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let fields = if missing.len() == 1 { "field" } else { "fields" };
    found.push((at, format!("{what}: missing {fields} {}", missing.join(", "))));
}

#[cfg(test)]
mod tests {
    use super::*;

    const POINTS: &str = r#"title = "T"
[[question]]
id = "q"
prompt = "P"
[[question.point]]
id = "a"
label = "A"
hint = "H"
cues = ["x"]
[[question.point]]
id = "b"
reveal = "R"
"#;

    #[test]
    fn every_missing_field_of_a_point_in_one_message() {
        let found = missing_fields(POINTS);
        assert_eq!(found.len(), 1, "{found:?}");
        let (at, message) = &found[0];
        assert_eq!(
            message,
            "point `b` of question `q`: missing fields `label`, `hint`, `cues`"
        );
        assert!(POINTS[*at..].starts_with("[[question.point]]\nid = \"b\""), "{at}");
    }

    #[test]
    fn each_table_gets_its_own_message_in_file_order() {
        let source = "[[question]]\nprompt = \"P\"\n[[question.point]]\nlabel = \"L\"\npartial = [\"y\"]\n";
        let messages: Vec<String> = missing_fields(source).into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            messages,
            [
                "the rubric: missing field `title`",
                "question 1: missing field `id`",
                "point 1 of question 1: missing fields `id`, `hint`",
            ]
        );
    }

    #[test]
    fn nothing_missing_or_not_toml_gives_nothing() {
        let complete = POINTS.replace("reveal = \"R\"", "label = \"B\"\nhint = \"H\"\ncues = [\"y\"]");
        assert_eq!(missing_fields(&complete), []);
        assert_eq!(missing_fields("title = "), []);
    }

    #[test]
    fn bands_people_and_examples_are_checked() {
        let source =
            "title = \"T\"\nbands = [{ covered = 1 }]\n[people]\nothers = [\"X\"]\n[[example]]\ntext = \"t\"\n";
        let messages: Vec<String> = missing_fields(source).into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            messages,
            [
                "the rubric: missing field [[question]]",
                "band: missing field `marks`",
                "[people]: missing field `subject`",
                "example: missing field `name`",
            ]
        );
    }
}
