//! What `rubric serve` answers, independent of the HTTP server: [`handle`] turns a request
//! (method, path, a few headers, the whole body) into a response. Everything is answered here,
//! errors included, so that every error is JSON (`{"error": "..."}`) and can be tested without a
//! socket.
//!
//! Nothing of an answer is logged or written anywhere: it is read from the request, checked and
//! dropped.

use std::borrow::Cow;
use std::net::IpAddr;

use serde::Deserialize;

use super::catalog::{self, Catalog, Listing};
use crate::matcher::Detail;
use crate::report::{self, Options};
use crate::scheme::Rubric;
use crate::text::formats;
use crate::text::read::{self, Format, Limits, ReadError};

/// The page and its assets, built into the binary.
const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");
const FAVICON_SVG: &str = include_str!("assets/favicon.svg");

/// The `file` of a report on text sent as JSON without a `name`.
pub const EDITOR_NAME: &str = "<editor>";

/// The server's state, shared by every request.
pub struct App {
    pub catalog: Catalog,
    /// The largest request body accepted, in bytes; also the largest answer.
    pub max_body: u64,
    /// Answer only requests whose `Host` is a loopback name (`localhost`, `127.0.0.1`, `[::1]`):
    /// set when listening on a loopback address, it stops other web sites from reaching the
    /// server through DNS rebinding.
    pub loopback_only: bool,
}

/// A request, as much of it as the API looks at.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    pub method: &'a str,
    /// The path, without the query.
    pub path: &'a str,
    /// The query string, without the `?`.
    pub query: Option<&'a str>,
    pub host: Option<&'a str>,
    pub origin: Option<&'a str>,
    /// The `Sec-Fetch-Site` header browsers send.
    pub fetch_site: Option<&'a str>,
    pub body: &'a [u8],
}

/// A response: status, media type and body; [`super::http`] adds the security headers.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Cow<'static, [u8]>,
    /// For 405: the methods the path accepts.
    pub allow: Option<&'static str>,
}

impl Response {
    fn asset(content_type: &'static str, text: &'static str) -> Response {
        Response {
            status: 200,
            content_type,
            body: Cow::Borrowed(text.as_bytes()),
            allow: None,
        }
    }

    fn json(status: u16, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type: JSON,
            body: Cow::Owned(body),
            allow: None,
        }
    }

    /// The body as text (for tests).
    #[cfg(test)]
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

const JSON: &str = "application/json";

/// `{"error": message}` with the given status.
pub fn error(status: u16, message: impl Into<String>) -> Response {
    let body = serde_json::json!({ "error": message.into() });
    Response::json(status, body.to_string().into_bytes())
}

/// 413, for a body over the limit.
pub fn too_large(limit: u64) -> Response {
    error(
        413,
        format!(
            "the request is too large: the limit is {limit} bytes ({}); start the server with a larger --max-answer-bytes",
            human_size(limit)
        ),
    )
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

/// Answers one request.
pub fn handle(app: &App, req: &Request) -> Response {
    if app.loopback_only
        && let Some(host) = req.host
        && !is_loopback_host(host)
    {
        return error(
            403,
            format!("this server answers only at localhost or 127.0.0.1, not at {host:?}"),
        );
    }
    let get = matches!(req.method, "GET" | "HEAD");
    let post = req.method == "POST";
    match req.path {
        "/" | "/index.html" if get => Response::asset("text/html; charset=utf-8", INDEX_HTML),
        "/app.js" if get => Response::asset("text/javascript; charset=utf-8", APP_JS),
        "/app.css" if get => Response::asset("text/css; charset=utf-8", APP_CSS),
        "/favicon.svg" | "/favicon.ico" if get => Response::asset("image/svg+xml", FAVICON_SVG),
        "/api/rubrics" if get => rubrics(app),
        "/api/reveal" if get => reveal(app, req),
        "/api/hint" if get => hint_step(app, req),
        "/api/check" | "/api/extract" if post => {
            if let Some(refusal) = cross_site(req) {
                return refusal;
            }
            if req.path == "/api/check" {
                check(app, req)
            } else {
                extract(app, req)
            }
        }
        "/" | "/index.html" | "/app.js" | "/app.css" | "/favicon.svg" | "/favicon.ico" | "/api/rubrics"
        | "/api/reveal" | "/api/hint" => method_not_allowed(req, "GET, HEAD"),
        "/api/check" | "/api/extract" => method_not_allowed(req, "POST"),
        _ => error(
            404,
            format!(
                "no such page: {}; the API is GET /api/rubrics, GET /api/reveal, GET /api/hint, POST /api/check and POST /api/extract",
                req.path
            ),
        ),
    }
}

fn method_not_allowed(req: &Request, allow: &'static str) -> Response {
    Response {
        allow: Some(allow),
        ..error(405, format!("{} does not accept {}; use {allow}", req.path, req.method))
    }
}

/// `localhost`, `127.0.0.1`, `[::1]`..., with or without a port.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Refuses a POST sent by a page of another site (the browser says so in `Origin` and
/// `Sec-Fetch-Site`); tools that send neither header are served.
fn cross_site(req: &Request) -> Option<Response> {
    let refuse = || Some(error(403, "requests from other web sites are refused"));
    if req.fetch_site.is_some_and(|s| s.eq_ignore_ascii_case("cross-site")) {
        return refuse();
    }
    if let Some(origin) = req.origin {
        let authority = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .unwrap_or(origin);
        if req.host.is_none_or(|h| !h.eq_ignore_ascii_case(authority)) {
            return refuse();
        }
    }
    None
}

/// `GET /api/rubrics`.
fn rubrics(app: &App) -> Response {
    let all = app.catalog.all();
    let listing = Listing {
        schema: catalog::LISTING_SCHEMA,
        max_answer_bytes: app.max_body,
        answer_types: formats::extensions().map(|e| format!(".{e}")).collect(),
        rubrics: all.iter().map(|(id, r)| catalog::info(id, r)).collect(),
    };
    match serde_json::to_vec(&listing) {
        Ok(body) => Response::json(200, body),
        Err(e) => error(500, format!("cannot list the rubrics: {e}")),
    }
}

/// The body of a `POST /api/check` with text.
#[derive(Debug, Deserialize)]
struct CheckBody {
    rubric: String,
    text: String,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    name: Option<String>,
    /// The page's earlier result, to say what changed since (`crate::report::progress`).
    #[serde(default)]
    since: Option<report::progress::Sent>,
}

fn query_param<'a>(req: &'a Request, key: &str) -> Option<Cow<'a, str>> {
    let query = req.query?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

fn find_rubric(app: &App, id: &str) -> Result<std::sync::Arc<Rubric>, Response> {
    app.catalog.get(id).ok_or_else(|| {
        let known: Vec<String> = app.catalog.all().into_iter().map(|(id, _)| id).collect();
        error(404, format!("no rubric {id:?}; the rubrics are: {}", known.join(", ")))
    })
}

/// `POST /api/check`: JSON text, or with `?rubric=ID&filename=NAME` the raw bytes of a file.
fn check(app: &App, req: &Request) -> Response {
    let mut since = None;
    let (rubric, source) = if let Some(id) = query_param(req, "rubric") {
        let rubric = match find_rubric(app, &id) {
            Ok(r) => r,
            Err(e) => return e,
        };
        let source = match read_upload(app, req) {
            Ok(s) => s,
            Err(e) => return e,
        };
        (rubric, source)
    } else {
        let body: CheckBody = match serde_json::from_slice(req.body) {
            Ok(b) => b,
            Err(e) => {
                return error(
                    400,
                    format!(
                        "the body is not the JSON expected ({e}): send {{\"rubric\": ID, \"text\": \"...\", \"format\": \"text\" or \"markdown\"}}, or a file's bytes to /api/check?rubric=ID&filename=NAME"
                    ),
                );
            }
        };
        let format = match body.format.as_deref() {
            None | Some("markdown") => Format::Markdown,
            Some("text") => Format::Text,
            Some(other) => return error(400, format!("unknown format {other:?}: use \"text\" or \"markdown\"")),
        };
        let rubric = match find_rubric(app, &body.rubric) {
            Ok(r) => r,
            Err(e) => return e,
        };
        since = match body.since.as_ref().map(report::progress::Sent::before).transpose() {
            Ok(b) => b,
            Err(e) => return error(400, e),
        };
        let source = read::Source {
            name: body.name.unwrap_or_else(|| EDITOR_NAME.to_owned()),
            text: body.text,
            format,
            encoding: read::Encoding::Utf8,
        };
        (rubric, source)
    };
    let name = source.name.clone();
    let checked = crate::check::check(&rubric, source, Detail::Evidence);
    let mut report = report::json::report(&name, &rubric, &checked.assessment, Options::default());
    // Student-safe: points by number only; none in common (another rubric) says nothing.
    let progress = since.and_then(|b| report::progress::Progress::new(&b, &checked.assessment, true).ok());
    report.progress = progress.as_ref();
    // The server's files are none of the page's business.
    report.rubric.path = None;
    // A student reads this page: a misconception not found is never sent.
    for q in &mut report.questions {
        q.misconceptions.retain(|m| m.found);
    }
    let report = match serde_json::to_value(&report) {
        Ok(mut v) => {
            student_safe(&mut v, &rubric);
            v
        }
        Err(e) => return error(500, format!("cannot write the report: {e}")),
    };
    match serde_json::to_vec(&report) {
        Ok(body) => Response::json(200, body),
        Err(e) => error(500, format!("cannot write the report: {e}")),
    }
}

/// Makes a check report student-safe (`crate::report::safe`): each point is named by its
/// number (`1.1`, as in `GET /api/rubrics`); a point not yet made (missing, negated) loses its
/// label and the cues of its evidence, and gets its `topic` when it has one; no point keeps
/// `lacking` (cue syntax) or a model answer.
fn student_safe(report: &mut serde_json::Value, rubric: &Rubric) {
    use crate::report::safe;
    let Some(questions) = report.get_mut("questions").and_then(|q| q.as_array_mut()) else {
        return;
    };
    for (qi, (q, question)) in questions.iter_mut().zip(&rubric.questions).enumerate() {
        let Some(points) = q.get_mut("points").and_then(|p| p.as_array_mut()) else {
            continue;
        };
        for (pi, (p, point)) in points.iter_mut().zip(&question.points).enumerate() {
            let Some(p) = p.as_object_mut() else { continue };
            let made = matches!(p.get("status").and_then(|s| s.as_str()), Some("covered" | "partial"));
            p.insert("id".into(), safe::number(qi, pi).into());
            p.remove("lacking");
            p.remove("reveal");
            // The later steps of a hint come one at a time, on request (`GET /api/hint`).
            p.remove("hints");
            p.remove("explain");
            if made {
                continue;
            }
            p.remove("label");
            if let Some(topic) = &point.topic {
                p.insert("topic".into(), topic.as_str().into());
            }
            for ev in p
                .get_mut("evidence")
                .and_then(|e| e.as_array_mut())
                .into_iter()
                .flatten()
            {
                if let Some(ev) = ev.as_object_mut() {
                    ev.remove("cue");
                    ev.remove("words");
                }
            }
        }
    }
}

/// The point numbered `number` (`1.1`) of `rubric`.
fn numbered<'r>(rubric: &'r Rubric, number: &str) -> Option<&'r crate::scheme::Point> {
    rubric.questions.iter().enumerate().find_map(|(qi, q)| {
        q.points
            .iter()
            .enumerate()
            .find(|(pi, _)| crate::report::safe::number(qi, *pi) == number)
            .map(|(_, p)| p)
    })
}

/// `GET /api/hint?rubric=ID&point=1.1&step=2`: one step of a point's hint written in steps,
/// asked for when the student wants another hint (the first step comes with `GET
/// /api/rubrics`; no later step is sent before it is asked for). `{"point": "1.1", "step": 2,
/// "steps": 3, "hint": "..."}`.
fn hint_step(app: &App, req: &Request) -> Response {
    let usage = "ask for /api/hint?rubric=ID&point=NUMBER&step=N, e.g. point=1.1&step=2";
    let (Some(id), Some(number), Some(step)) = (
        query_param(req, "rubric"),
        query_param(req, "point"),
        query_param(req, "step"),
    ) else {
        return error(400, usage);
    };
    let Ok(step) = step.parse::<usize>() else {
        return error(400, format!("step must be a number from 1: {step:?}; {usage}"));
    };
    let rubric = match find_rubric(app, &id) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let Some(p) = numbered(&rubric, &number) else {
        return error(404, format!("rubric {id:?} has no point {number}"));
    };
    let steps = p.hints.len();
    match step.checked_sub(1).and_then(|i| p.hints.get(i)) {
        None => error(404, format!("point {number} has {steps} hint step(s), from 1")),
        Some(text) => {
            let body = serde_json::json!({ "point": number, "step": step, "steps": steps, "hint": text });
            Response::json(200, body.to_string().into_bytes())
        }
    }
}

/// `GET /api/reveal?rubric=ID&point=1.1`: the model answer of one point, when the rubric
/// allows it (`allow_reveal`, the default); `{"point": "1.1", "reveal": "..."}`.
fn reveal(app: &App, req: &Request) -> Response {
    let (Some(id), Some(number)) = (query_param(req, "rubric"), query_param(req, "point")) else {
        return error(400, "ask for /api/reveal?rubric=ID&point=NUMBER, e.g. point=1.1");
    };
    let rubric = match find_rubric(app, &id) {
        Ok(r) => r,
        Err(e) => return e,
    };
    if !rubric.allow_reveal {
        return error(403, crate::report::safe::LOCKED_NOTE);
    }
    match numbered(&rubric, &number) {
        None => error(404, format!("rubric {id:?} has no point {number}")),
        Some(p) => match &p.reveal {
            None => error(404, format!("point {number} has no model answer")),
            Some(text) => {
                let body = serde_json::json!({ "point": number, "reveal": text });
                Response::json(200, body.to_string().into_bytes())
            }
        },
    }
}

/// The file of a raw upload, read as `rubric check` reads a file of that name.
fn read_upload(app: &App, req: &Request) -> Result<read::Source, Response> {
    let Some(filename) = query_param(req, "filename") else {
        return Err(error(
            400,
            format!(
                "name the file sent, with its extension: ?filename=answer.docx ({})",
                formats::usual()
            ),
        ));
    };
    // Only the last component: the name is for messages and the extension, never a path.
    let name = filename.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    if name.is_empty() {
        return Err(error(400, "the filename is empty"));
    }
    let limits = Limits {
        max_bytes: app.max_body,
        ..Limits::default()
    };
    read::read_bytes(req.body, name, &limits).map_err(|e| {
        let status = match e {
            ReadError::TooLarge { .. } | ReadError::Unpack { .. } => 413,
            _ => 422,
        };
        error(status, e.to_string())
    })
}

/// `POST /api/extract?filename=NAME`: the text of a file, for the page's editor.
fn extract(app: &App, req: &Request) -> Response {
    let source = match read_upload(app, req) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let body = serde_json::json!({
        "file": source.name,
        "format": match source.format { Format::Text => "text", Format::Markdown => "markdown" },
        "encoding": source.encoding.name(),
        "text": source.text,
    });
    Response::json(200, body.to_string().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> App {
        App {
            catalog: Catalog::new(concat!(env!("CARGO_MANIFEST_DIR"), "/rubrics").into()),
            max_body: 1024 * 1024,
            loopback_only: true,
        }
    }

    fn post<'a>(path: &'a str, query: Option<&'a str>, body: &'a [u8]) -> Request<'a> {
        Request {
            method: "POST",
            path,
            query,
            host: Some("127.0.0.1:8737"),
            body,
            ..Request::default()
        }
    }

    fn json(r: &Response) -> serde_json::Value {
        serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.text()))
    }

    /// The page offers exactly the registry's answer types, given by the server: the assets name
    /// none of their own.
    #[test]
    fn the_page_offers_exactly_the_registered_answer_types() {
        let get = Request {
            method: "GET",
            path: "/api/rubrics",
            host: Some("127.0.0.1:8737"),
            ..Request::default()
        };
        let r = handle(&app(), &get);
        assert_eq!(r.status, 200, "{}", r.text());
        let listed: Vec<String> = formats::extensions().map(|e| format!(".{e}")).collect();
        assert_eq!(json(&r)["answer_types"], serde_json::json!(listed));
        for ext in formats::extensions() {
            for (asset, text) in [("index.html", INDEX_HTML), ("app.js", APP_JS)] {
                for quoted in [format!("'.{ext}'"), format!("\".{ext}\""), format!("\".{ext},")] {
                    assert!(!text.contains(&quoted), "{asset} names {quoted} itself");
                }
            }
        }
        assert!(!INDEX_HTML.contains("accept="));
        assert!(APP_JS.contains("ui.file.accept = data.answer_types"));
    }

    #[test]
    fn checks_text_sent_as_json() {
        let body = br#"{"rubric":"stalin-rise","text":"He built a patronage system.","format":"text"}"#;
        let r = handle(&app(), &post("/api/check", None, body));
        assert_eq!(r.status, 200, "{}", r.text());
        let v = json(&r);
        assert_eq!(v["schema"], "rubric-check/1");
        assert_eq!(v["file"], EDITOR_NAME);
        let patronage = v["questions"][1]["points"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "2.5")
            .unwrap();
        assert_eq!(patronage["status"], "covered");
        assert_eq!(
            patronage["label"],
            "Patronage: favours for protégés who then backed him"
        );
        assert_eq!(patronage["evidence"][0]["start"], 11); // "He built a " is 11 bytes
    }

    /// The page sends its earlier result back (`since`, points by number) and gets the
    /// progress, student-safe: numbers and the labels of points made now only.
    #[test]
    fn an_earlier_result_sent_back_gets_the_progress() {
        let body = br#"{"rubric":"stalin-rise","text":"He built a patronage system.","since":{"score":1,"max":10,"points":{"2.1":"covered","2.5":"missing","1.1":"missing"}}}"#;
        let r = handle(&app(), &post("/api/check", None, body));
        assert_eq!(r.status, 200, "{}", r.text());
        let p = &json(&r)["progress"];
        assert_eq!(p["gained"][0]["number"], "2.5");
        assert_eq!(p["lost"][0]["number"], "2.1");
        assert_eq!(p["compared"], 3);
        assert!(p["gained"][0].get("id").is_none(), "{p}");
        let sentence = p["sentence"].as_str().unwrap();
        assert!(sentence.contains("New: 2.5 Patronage"), "{sentence}");
        assert!(!sentence.contains("Nationalities"), "{sentence}");
        // A status that is not one is a bad request.
        let bad = br#"{"rubric":"stalin-rise","text":"x","since":{"score":1,"max":10,"points":{"2.1":"done"}}}"#;
        let r = handle(&app(), &post("/api/check", None, bad));
        assert_eq!(r.status, 400, "{}", r.text());
        assert!(
            json(&r)["error"].as_str().unwrap().contains("unknown status \"done\""),
            "{}",
            r.text()
        );
    }

    #[test]
    fn empty_text_is_all_missing_not_an_error() {
        let r = handle(
            &app(),
            &post("/api/check", None, br#"{"rubric":"stalin-rise","text":""}"#),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(json(&r)["score"], 0.0);
    }

    #[test]
    fn checks_an_uploaded_file() {
        let docx = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/office/answer.docx"
        ))
        .unwrap();
        let r = handle(
            &app(),
            &post(
                "/api/check",
                Some("rubric=stalin-rise&filename=C%3A%5Cwork%5Canswer.docx"),
                &docx,
            ),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(json(&r)["file"], "answer.docx");
        let r = handle(&app(), &post("/api/extract", Some("filename=answer.docx"), &docx));
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(json(&r)["format"], "text");
        assert!(json(&r)["text"].as_str().unwrap().len() > 100);
    }

    #[test]
    fn bad_requests_get_json_errors() {
        let a = app();
        let cases: Vec<(Request, u16)> = vec![
            (post("/api/check", None, b"{not json"), 400),
            (post("/api/check", None, b"\xff\xfe{}"), 400),
            (post("/api/check", None, br#"{"rubric":"nope","text":"x"}"#), 404),
            (
                post(
                    "/api/check",
                    None,
                    br#"{"rubric":"stalin-rise","text":"x","format":"pdf"}"#,
                ),
                400,
            ),
            (post("/api/check", Some("rubric=stalin-rise"), b"text"), 400),
            (
                post(
                    "/api/check",
                    Some("rubric=stalin-rise&filename=a.docx"),
                    b"PK\x03\x04broken",
                ),
                422,
            ),
            (
                post("/api/check", Some("rubric=stalin-rise&filename=a.txt"), b"   "),
                422,
            ),
            (post("/api/extract", Some("filename=a.bin"), b"\0\0\0binary"), 422),
            (post("/api/nope", None, b""), 404),
            (
                Request {
                    method: "GET",
                    ..post("/api/check", None, b"")
                },
                405,
            ),
            (
                Request {
                    method: "DELETE",
                    ..post("/", None, b"")
                },
                405,
            ),
            (
                Request {
                    host: Some("evil.example:8737"),
                    ..post("/api/check", None, b"{}")
                },
                403,
            ),
            (
                Request {
                    origin: Some("http://evil.example"),
                    ..post("/api/check", None, b"{}")
                },
                403,
            ),
        ];
        for (req, status) in cases {
            let r = handle(&a, &req);
            assert_eq!(r.status, status, "{req:?}: {}", r.text());
            assert!(
                json(&r)["error"].as_str().is_some_and(|m| !m.is_empty()),
                "{}",
                r.text()
            );
        }
    }

    #[test]
    fn a_big_upload_is_refused_as_too_large() {
        let a = App { max_body: 10, ..app() };
        let r = handle(
            &a,
            &post(
                "/api/check",
                Some("rubric=stalin-rise&filename=a.txt"),
                b"far more than ten bytes",
            ),
        );
        assert_eq!(r.status, 413, "{}", r.text());
    }

    #[test]
    fn same_origin_posts_are_served() {
        let req = Request {
            origin: Some("http://localhost:8737"),
            host: Some("localhost:8737"),
            fetch_site: Some("same-origin"),
            ..post("/api/check", None, br#"{"rubric":"stalin-rise","text":"x"}"#)
        };
        assert_eq!(handle(&app(), &req).status, 200);
    }

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "localhost:80",
            "127.0.0.1:8737",
            "127.1.2.3",
            "[::1]:8737",
            "LOCALHOST:1",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in ["example.com", "10.0.0.1:80", "[::2]:1", "localhost.evil.com", ""] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn the_page_refers_to_no_other_host() {
        for asset in [INDEX_HTML, APP_JS, APP_CSS, FAVICON_SVG] {
            for bad in ["http://", "https://", "//cdn", "@import"] {
                let allowed = asset.matches("http://www.w3.org/2000/svg").count();
                let found = asset.matches(bad).count();
                assert!(
                    found == 0 || (bad == "http://" && found == allowed),
                    "an asset names another host ({bad})"
                );
            }
        }
    }
}
