//! The JSON report (`--format json`, schema `rubric-check/1`, docs/json-schema.md).

use serde_json::Value;

use crate::common::*;

const STATUSES: [&str; 4] = ["covered", "partial", "negated", "missing"];
const MATCH_KINDS: [&str; 4] = ["exact", "stem", "prefix", "fuzzy"];

/// Checks the shape of one report against the schema and the rubric it was made with.
#[track_caller]
fn assert_report_shape(report: &Value, file: &str) {
    assert_eq!(report["schema"], "rubric-check/1");
    assert_eq!(report["file"], file);
    assert_eq!(
        report["rubric"]["title"],
        "How had Stalin been able to rise up the Bolshevik ranks?"
    );
    assert_eq!(report["rubric"]["path"], STALIN);

    // Every question and point of the rubric, in rubric order.
    let declared = declared_points(STALIN);
    let questions = report["questions"].as_array().unwrap();
    let got: Vec<(String, Vec<String>)> = questions
        .iter()
        .map(|q| {
            let ids = q["points"].as_array().unwrap();
            (
                q["id"].as_str().unwrap().to_string(),
                ids.iter().map(|p| p["id"].as_str().unwrap().to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(got, declared, "{file}: questions and points in rubric order");

    let mut counts = [0u64; 4];
    let mut question_sum = 0.0;
    for q in questions {
        let (score, max) = (q["score"].as_f64().unwrap(), q["max"].as_f64().unwrap());
        assert!(
            (0.0..=max).contains(&score),
            "{file}: question {} scores {score} of {max}",
            q["id"]
        );
        question_sum += score;
        assert!(q["prompt"].as_str().is_some_and(|p| !p.is_empty()));
        for p in q["points"].as_array().unwrap() {
            let id = &p["id"];
            let status = p["status"].as_str().unwrap();
            let i = STATUSES
                .iter()
                .position(|s| *s == status)
                .unwrap_or_else(|| panic!("{file}: point {id} has status {status}"));
            counts[i] += 1;
            let (marks, max_marks) = (p["marks"].as_f64().unwrap(), p["max_marks"].as_f64().unwrap());
            match status {
                "covered" => assert_eq!(marks, max_marks, "{file}: {id}"),
                "partial" => assert!(marks > 0.0 && marks < max_marks, "{file}: {id} partial earns {marks}"),
                _ => assert_eq!(marks, 0.0, "{file}: {id} {status} earns nothing"),
            }
            assert!(p["label"].as_str().is_some_and(|l| !l.is_empty()));
            let evidence = p["evidence"].as_array().unwrap();
            assert_eq!(
                evidence.is_empty(),
                status == "missing",
                "{file}: {id} {status} evidence"
            );
            // A hint unless covered; no reveal or explain unless asked for.
            assert_eq!(p.get("hint").is_some(), status != "covered", "{file}: {id} hint");
            assert!(p.get("reveal").is_none() && p.get("explain").is_none());
            // A negated point has only negated evidence; a covered one some that is not negated.
            let negated = evidence.iter().filter(|ev| ev.get("negated_by").is_some()).count();
            match status {
                "negated" => assert_eq!(negated, evidence.len(), "{file}: {id} negated_by"),
                "covered" => assert!(negated < evidence.len(), "{file}: {id} negated_by"),
                _ => {}
            }
            for ev in evidence {
                assert!(ev["quote"].as_str().is_some_and(|q| !q.is_empty()));
                assert!(ev["cue"].as_str().is_some_and(|c| !c.is_empty()));
                if let Some(by) = ev.get("negated_by") {
                    assert!(
                        by.as_str().is_some_and(|b| !b.is_empty()),
                        "{file}: {id} negated_by {by}"
                    );
                }
                for w in ev["words"].as_array().unwrap() {
                    let how = w["match"].as_str().unwrap();
                    assert!(MATCH_KINDS.contains(&how), "{file}: {id}: match {how}");
                    let d = w["distance"].as_u64().unwrap();
                    assert_eq!(d > 0, how == "fuzzy", "{file}: {id}: {w}");
                }
            }
        }
    }
    let c = &report["counts"];
    assert_eq!(
        [&c["covered"], &c["partial"], &c["negated"], &c["missing"]].map(|v| v.as_u64().unwrap()),
        counts,
        "{file}: counts agree with the statuses"
    );
    let (score, max) = (report["score"].as_f64().unwrap(), report["max"].as_f64().unwrap());
    assert_eq!(max, 10.0);
    assert!(score <= question_sum + 1e-9 && score <= max);
    let percent = report["percent"].as_f64().unwrap();
    assert_eq!(percent, (score / max * 1000.0).round() / 10.0, "{file}: percent");
}

#[test]
fn json_report_has_the_schema_and_every_point_with_a_valid_status() {
    for name in sample_answers() {
        let file = format!("samples/stalin/{name}");
        let report = check_json(STALIN, &file, &[]);
        assert_report_shape(&report, &file);
    }
}

#[test]
fn json_evidence_offsets_slice_the_original_file() {
    let mut evidence_seen = 0;
    for name in sample_answers() {
        let file = format!("samples/stalin/{name}");
        let bytes = std::fs::read(path(&file)).unwrap();
        let text = std::str::from_utf8(&bytes).expect("samples are UTF-8");
        let report = check_json(STALIN, &file, &[]);
        for p in points(&report) {
            for ev in p["evidence"].as_array().unwrap() {
                evidence_seen += 1;
                let where_ = format!("{file}: point {} evidence {ev}", p["id"]);
                let (start, end) = span(ev);
                assert!(start < end && end <= bytes.len(), "{where_}: range");
                let slice = text
                    .get(start..end)
                    .unwrap_or_else(|| panic!("{where_}: not char boundaries"));
                // Each matched word, as the student wrote it, is inside the range, in order.
                let mut from = 0;
                let words = ev["words"].as_array().unwrap();
                assert!(!words.is_empty(), "{where_}: no words");
                for w in words {
                    let t = w["text"].as_str().unwrap();
                    let at = slice[from..]
                        .find(t)
                        .unwrap_or_else(|| panic!("{where_}: {t:?} not in {slice:?} after byte {from}"));
                    from += at + t.len();
                }
                assert!(slice.starts_with(words[0]["text"].as_str().unwrap()), "{where_}");
                // line and column (in characters, 1-based) are those of `start`.
                let before = &text[..start];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
                assert_eq!(
                    (ev["line"].as_u64(), ev["column"].as_u64()),
                    (Some(line as u64), Some(column as u64)),
                    "{where_}"
                );
                // The quote is the sentence holding the match, white space collapsed.
                let quote = ev["quote"].as_str().unwrap();
                let first = words[0]["text"].as_str().unwrap();
                assert!(quote.contains(first), "{where_}: quote lacks {first:?}");
                assert!(
                    !quote.contains("  ") && !quote.contains('\n'),
                    "{where_}: quote not collapsed"
                );
            }
        }
    }
    assert!(
        evidence_seen > 50,
        "only {evidence_seen} pieces of evidence in all the samples"
    );
}

#[test]
fn json_offsets_in_a_crlf_file_are_byte_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crlf.txt");
    let text = "First line.\r\nIn 1922 he was made General Secretary, so he kept files on every member.\r\nThen he used patronage.\r\n";
    std::fs::write(&file, text).unwrap();
    let report = check_json(STALIN, file.to_str().unwrap(), &[]);
    let ev = &point(&report, "patronage")["evidence"][0];
    let (start, end) = span(ev);
    assert_eq!(&text[start..end], "patronage");
    assert_eq!((ev["line"].as_u64(), ev["column"].as_u64()), (Some(3), Some(14)));
}

#[test]
fn json_for_several_answers_is_one_object_per_line_in_order() {
    let files = [
        "samples/stalin/strong.txt",
        "samples/stalin/markdown.md",
        "samples/stalin/weak.txt",
    ];
    let mut args = vec!["check", "-r", STALIN, "--format", "json"];
    args.extend(files);
    let r = run(&args);
    r.code(0);
    assert!(r.stdout.ends_with('\n'));
    let reports = r.json_lines();
    assert_eq!(reports.len(), 3, "{}", r.stdout);
    for (report, file) in reports.iter().zip(files) {
        assert_report_shape(report, file);
    }
    // The same reports as when each answer is checked alone.
    for (report, file) in reports.iter().zip(files) {
        assert_eq!(report, &check_json(STALIN, file, &[]));
    }
}

#[test]
fn json_report_has_no_colour_even_when_forced() {
    let r = run(&[
        "check",
        "-r",
        STALIN,
        "--format",
        "json",
        "--color",
        "always",
        "samples/stalin/strong.txt",
    ]);
    r.code(0);
    assert!(!r.raw_stdout.contains(&0x1b), "ESC in JSON output");
    r.json();
}
