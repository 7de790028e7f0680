//! Tests of `rubric serve`: each starts the binary on a free port (`--port 0`), reads the address
//! it prints, and talks to it with a small HTTP/1.1 client over `TcpStream` (below).
//!
//! `browser_end_to_end` drives the page in headless Chromium with playwright-core
//! (`tests/e2e/serve.spec.mjs`). It runs when `RUBRIC_BROWSER_TESTS=1` (as CI sets it), and then
//! fails if node, playwright-core (`npm ci --prefix tests/e2e`) or Chromium is missing; without
//! the variable it is skipped with a note.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "support/safe.rs"]
mod safe;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A running `rubric serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    url: String,
    /// The rest of standard output, kept open so that the server can still write to it.
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    /// Starts `rubric serve --port 0 ARGS` from the package root; waits for its address.
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
            .current_dir(root())
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starts rubric serve");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("reads the first line");
        let Some(url) = line.trim().strip_prefix("Listening on ") else {
            let _ = child.kill();
            panic!("expected `Listening on URL`, got {line:?}");
        };
        let url = url.to_owned();
        let addr: SocketAddr = url
            .strip_prefix("http://")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("not an address: {url}"));
        Server {
            child,
            addr,
            url,
            _stdout: stdout,
        }
    }

    fn get(&self, path: &str) -> Reply {
        request(self.addr, "GET", path, &[], b"")
    }

    fn post(&self, path: &str, body: &[u8]) -> Reply {
        request(self.addr, "POST", path, &[], body)
    }

    fn post_json(&self, body: &Value) -> Reply {
        request(
            self.addr,
            "POST",
            "/api/check",
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Sends one request (`Connection: close`) and reads the whole response.
fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-length")) {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    raw(addr, head.as_bytes(), body)
}

/// Sends these bytes as they are and parses the response.
fn raw(addr: SocketAddr, head: &[u8], body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    stream.write_all(head).expect("sends the head");
    // The server may answer (413) and close before reading a body it refuses.
    let _ = stream.write_all(body);
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse(&bytes)
}

fn parse(bytes: &[u8]) -> Reply {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(bytes)));
    let head = std::str::from_utf8(&bytes[..end]).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let body = bytes[end + 4..].to_vec();
    let reply = Reply { status, headers, body };
    assert!(
        reply.header("transfer-encoding").is_none(),
        "this client reads only Content-Length bodies"
    );
    if let Some(len) = reply.header("content-length") {
        assert_eq!(
            len.parse::<usize>().unwrap(),
            reply.body.len(),
            "the whole body arrived"
        );
    }
    reply
}

/// The point `id` of a check report.
fn point<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|q| q["points"].as_array().into_iter().flatten())
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no point {id} in {report}"))
}

/// `rubric check --format json` of a file, without the rubric's path and with the
/// misconceptions it does not make left out (as the page receives it).
fn cli_check(rubric: &str, file: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .current_dir(root())
        .args(["check", "--format", "json", "--rubric", rubric])
        .arg(file)
        .output()
        .expect("runs rubric check");
    let mut v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("check printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    // The page receives no path of the server's, and only the misconceptions an answer makes.
    v["rubric"].as_object_mut().expect("rubric").remove("path");
    for q in v["questions"].as_array_mut().expect("questions") {
        let q = q.as_object_mut().expect("a question");
        if let Some(Value::Array(list)) = q.get_mut("misconceptions") {
            list.retain(|m| m["found"] == true);
            if list.is_empty() {
                q.remove("misconceptions");
            }
        }
    }
    student_safe(&mut v, &topics(&root().join(rubric)));
    v
}

/// The `topic` of each point of the rubric at `path` that has one, by point id.
fn topics(path: &Path) -> std::collections::HashMap<String, String> {
    let rubric: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let points = rubric["question"].as_array().into_iter().flatten();
    let points = points.flat_map(|q| q["point"].as_array().into_iter().flatten());
    points
        .filter_map(|p| Some((p["id"].as_str()?.to_owned(), p.get("topic")?.as_str()?.to_owned())))
        .collect()
}

/// What the page receives of a complete report (docs/serve.md): points by number; no cue
/// syntax (`lacking`); a point not yet made without its label or its evidence's cues, and with
/// its `topic` when the rubric gives one.
fn student_safe(v: &mut Value, topics: &std::collections::HashMap<String, String>) {
    for (qi, q) in v["questions"].as_array_mut().expect("questions").iter_mut().enumerate() {
        for (pi, p) in q["points"].as_array_mut().expect("points").iter_mut().enumerate() {
            let p = p.as_object_mut().expect("a point");
            let id = p["id"].as_str().expect("an id").to_owned();
            p.insert("id".into(), format!("{}.{}", qi + 1, pi + 1).into());
            p.remove("lacking");
            // The later steps of a hint are asked for one at a time (GET /api/hint).
            p.remove("hints");
            if !safe::made(p["status"].as_str().unwrap()) {
                p.remove("label");
                if let Some(topic) = topics.get(&id) {
                    p.insert("topic".into(), topic.as_str().into());
                }
                for ev in p["evidence"].as_array_mut().expect("evidence") {
                    let ev = ev.as_object_mut().expect("evidence");
                    ev.remove("cue");
                    ev.remove("words");
                }
            }
        }
    }
}

const PARAGRAPH: &str = "Stalin built up a patronage system: he gave jobs to his supporters, who then voted for him.";

#[test]
fn serves_the_page_with_a_strict_csp_and_nothing_from_other_hosts() {
    let s = Server::start(&["--rubrics", "rubrics"]);
    assert!(s.url.starts_with("http://127.0.0.1:"), "{}", s.url);
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    let csp = page.header("content-security-policy").expect("a CSP header");
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let html = page.text();
    assert!(html.contains("<meter"), "a score meter");
    assert!(html.contains("aria-live"), "live regions");
    assert!(
        !html.contains("<script>") && !html.contains("style="),
        "no inline script or style"
    );
    for asset in ["/app.js", "/app.css", "/favicon.svg"] {
        assert!(html.contains(&format!("\"{asset}\"")), "{asset} linked");
        let reply = s.get(asset);
        assert_eq!(reply.status, 200, "{asset}");
        assert!(reply.header("content-security-policy").is_some());
    }
    for (name, text) in [
        ("/", html),
        ("/app.js", s.get("/app.js").text()),
        ("/app.css", s.get("/app.css").text()),
    ] {
        for needle in ["http://", "https://", "//fonts.", "@import", "url("] {
            assert!(
                !text.contains(needle),
                "{name} refers to another host or file: {needle}"
            );
        }
    }
}

#[test]
fn lists_the_rubrics_with_questions_and_points() {
    let s = Server::start(&["--rubrics", "rubrics"]);
    let reply = s.get("/api/rubrics");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.header("content-type").unwrap().starts_with("application/json"));
    let v = reply.json();
    let stalin = v["rubrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "stalin-rise")
        .expect("stalin-rise listed");
    assert_eq!(
        stalin["title"],
        "How had Stalin been able to rise up the Bolshevik ranks?"
    );
    assert_eq!(stalin["max"], 10.0);
    assert_eq!(stalin["questions"].as_array().unwrap().len(), 3);
    // Student-safe: points by number and hint, no label, id or model answer.
    let patronage = stalin["questions"][1]["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "2.5")
        .expect("the patronage point");
    assert!(patronage.get("label").is_none(), "{patronage}");
    assert!(!patronage["hint"].as_str().unwrap().is_empty());
    assert_eq!(patronage["can_reveal"], true, "stalin-rise allows reveal");
    let rubric = root().join("rubrics/stalin-rise.toml");
    let none_made = safe::points(&rubric)
        .0
        .into_iter()
        .map(|p| (p.id, "missing".to_string()))
        .collect();
    safe::assert_student_safe("GET /api/rubrics", &stalin.to_string(), "", &rubric, &none_made);
    // One model answer, on request.
    let reveal = s.get("/api/reveal?rubric=stalin-rise&point=2.5");
    assert_eq!(reveal.status, 200, "{}", reveal.text());
    assert!(
        reveal.json()["reveal"].as_str().unwrap().contains("patronage"),
        "{}",
        reveal.text()
    );
    assert_eq!(s.get("/api/reveal?rubric=stalin-rise&point=9.9").status, 404);
    assert!(
        v["rubrics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "asap-sas/set1")
    );
    assert!(v["max_answer_bytes"].as_u64().unwrap() >= 6_000_000);
}

#[test]
fn reveal_texts_stay_hidden_when_the_rubric_disallows_them() {
    let dir = tempfile::tempdir().unwrap();
    let rubric = std::fs::read_to_string(root().join("rubrics/stalin-rise.toml")).unwrap();
    let closed = rubric.replacen("language = ", "allow_reveal = false\nlanguage = ", 1);
    assert_ne!(closed, rubric);
    std::fs::write(dir.path().join("rubric.toml"), closed).unwrap();
    let file = dir.path().join("rubric.toml");
    let s = Server::start(&["--rubrics", file.to_str().unwrap()]);
    let v = s.get("/api/rubrics").json();
    assert_eq!(v["rubrics"][0]["id"], "rubric");
    assert_eq!(v["rubrics"][0]["allow_reveal"], false);
    assert!(!v.to_string().contains("\"reveal\""), "{v}");
    // A check does not reveal either, nor does the reveal request.
    let r = s.post_json(&serde_json::json!({"rubric": "rubric", "text": "nothing"}));
    assert_eq!(r.status, 200);
    assert!(!r.text().contains("\"reveal\""));
    let r = s.get("/api/reveal?rubric=rubric&point=1.1");
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("keeps its model answers"), "{}", r.text());
}

/// A weak draft: the check response names each point by its number, and sends no label, id,
/// model answer or cue of a point not yet made; a point made comes with its label.
#[test]
fn a_check_response_sends_nothing_of_a_point_not_yet_made() {
    let s = Server::start(&["--rubrics", "rubrics"]);
    let draft = "Stalin was the government secretariat boss. He was not in charge of nationalities.\n\
                 He built up a patronage system: he gave jobs to his supporters.";
    let reply = s.post_json(&serde_json::json!({"rubric": "stalin-rise", "text": draft, "format": "text"}));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draft.txt");
    std::fs::write(&file, draft).unwrap();
    let full = cli_check("rubrics/stalin-rise.toml", &file);
    let rubric = root().join("rubrics/stalin-rise.toml");
    let statuses = safe::statuses(&full);
    let made = safe::assert_student_safe("POST /api/check", &reply.text(), draft, &rubric, &statuses);
    assert!(made >= 2, "{}", reply.text());
    let report = reply.json();
    assert_eq!(point(&report, "1.1")["status"], "covered");
    assert_eq!(point(&report, "2.1")["status"], "negated");
    assert!(point(&report, "2.1")["evidence"][0].get("cue").is_none());
    assert!(!reply.text().contains("lacking"), "{}", reply.text());
}

#[test]
fn a_paragraph_covers_patronage_with_the_same_report_as_check() {
    let s = Server::start(&["--rubrics", "rubrics"]);
    let reply = s.post_json(&serde_json::json!({
        "rubric": "stalin-rise",
        "text": PARAGRAPH,
        "format": "markdown",
    }));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let report = reply.json();
    assert_eq!(report["schema"], "rubric-check/1");
    let p = point(&report, "2.5");
    assert_eq!(p["status"], "covered");
    let ev = &p["evidence"][0];
    let (start, end) = (
        ev["start"].as_u64().unwrap() as usize,
        ev["end"].as_u64().unwrap() as usize,
    );
    assert!(
        PARAGRAPH[start..end].contains("patronage"),
        "{}",
        &PARAGRAPH[start..end]
    );

    // Byte for byte what `rubric check --format json` says of the same text in a file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answer.md");
    std::fs::write(&file, PARAGRAPH).unwrap();
    let mut cli = cli_check("rubrics/stalin-rise.toml", &file);
    cli["file"] = "<editor>".into();
    assert_eq!(report, cli);
}

#[test]
fn an_uploaded_docx_is_checked_like_the_file() {
    let s = Server::start(&["--rubrics", "rubrics"]);
    let docx = std::fs::read(root().join("tests/fixtures/office/answer.docx")).unwrap();
    let reply = s.post("/api/check?rubric=stalin-rise&filename=answer.docx", &docx);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let report = reply.json();
    assert_eq!(report["file"], "answer.docx");
    let mut cli = cli_check(
        "rubrics/stalin-rise.toml",
        &root().join("tests/fixtures/office/answer.docx"),
    );
    cli["file"] = "answer.docx".into();
    assert_eq!(report, cli);

    let reply = s.post("/api/extract?filename=answer.docx", &docx);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let v = reply.json();
    assert_eq!(v["format"], "text");
    assert!(v["text"].as_str().unwrap().contains("patronage"));
}

#[test]
fn an_uploaded_pdf_is_checked_like_the_file() {
    let s = Server::start(&["--rubrics", "rubrics"]);
    let path = root().join("tests/fixtures/pdf/chromium.pdf");
    let pdf = std::fs::read(&path).unwrap();
    let reply = s.post("/api/check?rubric=stalin-rise&filename=chromium.pdf", &pdf);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let report = reply.json();
    let mut cli = cli_check("rubrics/stalin-rise.toml", &path);
    cli["file"] = "chromium.pdf".into();
    assert_eq!(report, cli);
    assert_eq!(report["score"], 9.0);

    let reply = s.post("/api/extract?filename=chromium.pdf", &pdf);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        reply.json()["text"]
            .as_str()
            .unwrap()
            .contains("a classic patronage system")
    );

    // A scan is refused with the reason, not scored 0.
    let scanned = std::fs::read(root().join("tests/fixtures/pdf/scanned.pdf")).unwrap();
    let reply = s.post("/api/check?rubric=stalin-rise&filename=scanned.pdf", &scanned);
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("scanned: no text to read"),
        "{}",
        reply.text()
    );
}

#[test]
fn a_five_megabyte_paste_is_checked_and_a_bigger_one_refused() {
    let s = Server::start(&["--rubrics", "rubrics"]);
    let mut text = String::new();
    while text.len() < 5_000_000 {
        text.push_str(PARAGRAPH);
        text.push_str("\n\n");
    }
    let started = Instant::now();
    let reply = s.post_json(&serde_json::json!({"rubric": "stalin-rise", "text": text}));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(point(&reply.json(), "2.5")["status"], "covered");
    eprintln!("5 MB checked in {:?}", started.elapsed());

    // Over the limit: refused with a JSON message, from the declared length alone...
    let too_big = vec![b'a'; 9 * 1024 * 1024];
    let reply = s.post("/api/check?rubric=stalin-rise&filename=big.txt", &too_big);
    assert_eq!(reply.status, 413);
    assert!(reply.json()["error"].as_str().unwrap().contains("limit"));
    // ... even an absurd one, with no body at all.
    let reply = raw(
        s.addr,
        format!(
            "POST /api/check HTTP/1.1\r\nHost: {}\r\nContent-Length: 1099511627776\r\nConnection: close\r\n\r\n",
            s.addr
        )
        .as_bytes(),
        b"",
    );
    assert_eq!(reply.status, 413);
    assert!(reply.json()["error"].is_string());
    // A body sent in chunks is counted as it comes.
    let mut chunked = Vec::new();
    for _ in 0..10 {
        chunked.extend_from_slice(format!("{:x}\r\n", 1024 * 1024).as_bytes());
        chunked.extend(std::iter::repeat_n(b'a', 1024 * 1024));
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let reply = raw(
        s.addr,
        format!(
            "POST /api/extract?filename=a.txt HTTP/1.1\r\nHost: {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            s.addr
        )
        .as_bytes(),
        &chunked,
    );
    assert_eq!(reply.status, 413);
    // The server is still there.
    assert_eq!(s.get("/api/rubrics").status, 200);

    // A smaller limit, as set on the command line.
    let small = Server::start(&["--rubrics", "rubrics", "--max-answer-bytes", "1000"]);
    let reply = small.post_json(&serde_json::json!({"rubric": "stalin-rise", "text": "x".repeat(2000)}));
    assert_eq!(reply.status, 413);
    assert_eq!(small.get("/api/rubrics").json()["max_answer_bytes"], 1000);
}

#[test]
fn malformed_requests_get_a_json_error_and_the_server_lives_on() {
    let s = Server::start(&["--rubrics", "rubrics"]);
    let corrupt_docx = {
        let mut d = std::fs::read(root().join("tests/fixtures/office/answer.docx")).unwrap();
        d.truncate(d.len() / 2);
        d
    };
    // (method, path, headers, body, expected status)
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, Vec<u8>, u16);
    let cases: Vec<Case> = vec![
        ("POST", "/api/check", vec![], b"{\"rubric\": ".to_vec(), 400),
        ("POST", "/api/check", vec![], b"".to_vec(), 400),
        ("POST", "/api/check", vec![], b"[1, 2]".to_vec(), 400),
        (
            "POST",
            "/api/check",
            vec![],
            b"{\"rubric\":\"stalin-rise\",\"text\":\"\xff\xfe\"}".to_vec(),
            400,
        ),
        (
            "POST",
            "/api/check",
            vec![],
            br#"{"rubric":"stalin-rise"}"#.to_vec(),
            400,
        ),
        (
            "POST",
            "/api/check",
            vec![],
            br#"{"rubric":"stalin-rise","text":"x","format":"pdf"}"#.to_vec(),
            400,
        ),
        (
            "POST",
            "/api/check",
            vec![],
            br#"{"rubric":"no-such","text":"x"}"#.to_vec(),
            404,
        ),
        (
            "POST",
            "/api/check",
            vec![],
            br#"{"rubric":"../Cargo","text":"x"}"#.to_vec(),
            404,
        ),
        (
            "POST",
            "/api/check?rubric=no-such&filename=a.txt",
            vec![],
            b"text".to_vec(),
            404,
        ),
        ("POST", "/api/check?rubric=stalin-rise", vec![], b"text".to_vec(), 400),
        (
            "POST",
            "/api/check?rubric=stalin-rise&filename=a.docx",
            vec![],
            corrupt_docx,
            422,
        ),
        (
            "POST",
            "/api/check?rubric=stalin-rise&filename=a.docx",
            vec![],
            b"not a zip".to_vec(),
            422,
        ),
        (
            "POST",
            "/api/check?rubric=stalin-rise&filename=a.txt",
            vec![],
            b"\0\0\0\0binary".to_vec(),
            422,
        ),
        ("POST", "/api/extract?filename=empty.md", vec![], b"  \n ".to_vec(), 422),
        ("GET", "/api/check", vec![], vec![], 405),
        ("PUT", "/api/rubrics", vec![], vec![], 405),
        ("DELETE", "/", vec![], vec![], 405),
        ("GET", "/etc/passwd", vec![], vec![], 404),
        ("GET", "/../Cargo.toml", vec![], vec![], 404),
        ("GET", "/api/rubrics/stalin-rise", vec![], vec![], 404),
        ("GET", "/api/rubrics", vec![("Host", "attacker.example")], vec![], 403),
        (
            "POST",
            "/api/check",
            vec![("Origin", "http://attacker.example")],
            br#"{"rubric":"stalin-rise","text":"x"}"#.to_vec(),
            403,
        ),
    ];
    for (method, path, headers, body, status) in cases {
        let reply = if headers.iter().any(|(n, _)| *n == "Host") {
            let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
            for (n, v) in &headers {
                head.push_str(&format!("{n}: {v}\r\n"));
            }
            head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            raw(s.addr, head.as_bytes(), &body)
        } else {
            request(s.addr, method, path, &headers, &body)
        };
        assert_eq!(reply.status, status, "{method} {path}: {}", reply.text());
        let v = reply.json();
        assert!(
            v["error"].as_str().is_some_and(|m| !m.is_empty()),
            "{method} {path}: {v}"
        );
        if status == 405 {
            assert!(reply.header("allow").is_some(), "{method} {path}: an Allow header");
        }
    }
    // Not HTTP at all: the connection is answered or closed, and the server carries on.
    let mut stream = TcpStream::connect(s.addr).unwrap();
    stream.write_all(b"\x16\x03\x01 hello? \r\n\r\n").unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = stream.read_to_end(&mut Vec::new());
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn listens_on_loopback_only_by_default() {
    let s = Server::start(&["--rubrics", "rubrics"]);
    assert_eq!(s.addr.ip().to_string(), "127.0.0.1");
    assert_eq!(s.get("/api/rubrics").status, 200);
    // Bound to 127.0.0.1 itself, not to every address: another address of this machine, even
    // another loopback one, is not answered.
    let other: SocketAddr = format!("127.0.0.2:{}", s.addr.port()).parse().unwrap();
    assert!(
        TcpStream::connect_timeout(&other, Duration::from_secs(2)).is_err(),
        "connected through {other}"
    );
}

/// `--bind 0.0.0.0` for a classroom network: the page is served on every address, the address
/// printed is one a browser on this computer can open, and a warning says the page is shared.
#[test]
fn bind_to_a_classroom_network_warns_that_the_page_is_shared() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .current_dir(root())
        .args(["serve", "--rubrics", "rubrics", "--port", "0", "--bind", "0.0.0.0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut warning = String::new();
    stderr.read_line(&mut warning).unwrap();
    let addr: Option<SocketAddr> = line
        .trim()
        .strip_prefix("Listening on http://")
        .and_then(|a| a.parse().ok());
    let served = addr.map(|a| {
        // Another loopback address is answered too: the server listens on every address.
        let other = SocketAddr::from(([127, 0, 0, 2], a.port()));
        (
            request(a, "GET", "/", &[], b"").status,
            request(other, "GET", "/api/rubrics", &[], b"").status,
        )
    });
    let _ = child.kill();
    let _ = child.wait();
    let addr = addr.unwrap_or_else(|| panic!("expected `Listening on URL`, got {line:?}"));
    assert_eq!(addr.ip().to_string(), "127.0.0.1", "a browser here can open it: {line}");
    assert!(warning.starts_with("warning:"), "{warning}");
    assert!(
        warning.contains("listening on 0.0.0.0, not on 127.0.0.1")
            && warning.contains("anyone who can reach this computer"),
        "{warning}"
    );
    assert_eq!(served, Some((200, 200)));
    // Where the students go, when this computer has a route to the network.
    if let Some((_, url)) = warning.split_once("(students open http://") {
        let url = url.trim_end().trim_end_matches(')');
        let theirs: SocketAddr = url.parse().unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(theirs.port(), addr.port(), "{warning}");
        assert!(!theirs.ip().is_loopback() && !theirs.ip().is_unspecified(), "{warning}");
    }

    // An address that is not one is a usage error.
    let out = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .current_dir(root())
        .args(["serve", "--rubrics", "rubrics", "--port", "0", "--bind", "classroom"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bind"));
}

#[test]
fn a_busy_port_or_no_rubrics_is_an_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .current_dir(root())
        .args(["serve", "--rubrics", "rubrics", "--port", &port])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--port"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .current_dir(dir.path())
        .args(["serve", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--rubrics"));

    let out = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .current_dir(root())
        .args(["serve", "--port", "0", "--rubrics", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_browser_to_open_is_only_a_warning() {
    let empty = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .current_dir(root())
        .args(["serve", "--port", "0", "--rubrics", "rubrics", "--open"])
        .env("PATH", empty.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr: SocketAddr = line
        .trim()
        .strip_prefix("Listening on http://")
        .unwrap()
        .parse()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut warning = String::new();
    stderr.read_line(&mut warning).unwrap();
    assert!(warning.contains("could not open a browser"), "{warning}");
    assert_eq!(request(addr, "GET", "/", &[], b"").status, 200, "still serving");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn finds_the_folder_of_the_nearest_rubric_toml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("rubrics/stalin-rise.toml"), dir.path().join("rubric.toml")).unwrap();
    std::fs::create_dir(dir.path().join("answers")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .current_dir(dir.path().join("answers"))
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    let mut second = String::new();
    stdout.read_line(&mut first).unwrap();
    stdout.read_line(&mut second).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.starts_with("Listening on http://127.0.0.1:"), "{first}");
    assert!(second.contains("1 (rubric)"), "{second}");
}

/// The page in headless Chromium: see `tests/e2e/serve.spec.mjs` for the steps.
#[test]
fn browser_end_to_end() {
    let required = std::env::var("RUBRIC_BROWSER_TESTS").as_deref() == Ok("1");
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let playwright = root().join("tests/e2e/node_modules/playwright-core/package.json");
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing: Vec<String> = [
        (!node).then(|| "node (apt-get install nodejs)".to_owned()),
        (!playwright.is_file()).then(|| "playwright-core (npm ci --prefix tests/e2e)".to_owned()),
        (!chromium.is_file()).then(|| format!("{} (apt-get install chromium)", chromium.display())),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !required {
        eprintln!("RUBRIC_BROWSER_TESTS is not 1: the page is not tested in a browser");
        return;
    }
    assert!(
        missing.is_empty(),
        "RUBRIC_BROWSER_TESTS=1 but missing: {}",
        missing.join(", ")
    );

    let s = Server::start(&["--rubrics", "rubrics"]);
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve-e2e");
    let mut child = Command::new("node")
        .current_dir(root())
        .arg("tests/e2e/serve.spec.mjs")
        .arg(&s.url)
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs node");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    // Bounded: a hung browser fails the test instead of CI.
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = stdout.join().unwrap();
    let stderr = stderr.join().unwrap();
    eprintln!("{stdout}{stderr}");
    let status = status.expect("the browser test finished within 5 minutes");
    assert!(status.success(), "browser checks failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all browser checks passed"));
    for shot in [
        "typed.png",
        "weak.png",
        "docx.png",
        "phone.png",
        "serve-390.png",
        "dark.png",
        "zoom200.png",
    ] {
        let bytes = std::fs::read(shots.join(shot)).unwrap_or_else(|e| panic!("{shot}: {e}"));
        assert!(bytes.starts_with(b"\x89PNG"), "{shot} is a PNG");
    }
}

/// The page is read by a student: a check sends the misconceptions the answer makes, with
/// their hint, and nothing of those it does not; the listing names none.
#[test]
fn only_the_misconceptions_an_answer_makes_reach_the_page() {
    let s = Server::start(&["--rubrics", "tests/fixtures/misconceptions/doghouse.toml"]);
    let listing = s.get("/api/rubrics").text();
    assert!(!listing.contains("doghouse.toml"), "no path of the server's: {listing}");
    for hidden in ["OKAPI", "TAPIR", "QUAGGA", "misconception"] {
        assert!(!listing.contains(hidden), "{listing}");
    }
    let text = "A white lid reflects the light. A black lid keeps it cooler.";
    let r = s.post_json(&serde_json::json!({"rubric": "doghouse", "text": text}));
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let wrong = v["questions"][0]["misconceptions"].as_array().expect("found ones");
    assert_eq!(wrong.len(), 1, "{v}");
    assert_eq!(
        (wrong[0]["id"].as_str(), wrong[0]["found"].as_bool()),
        (Some("black-cooler"), Some(true))
    );
    assert!(wrong[0]["hint"].as_str().unwrap().contains("OKAPI-HINT"));
    let body = r.text();
    assert!(!body.contains("TAPIR") && !body.contains("QUAGGA"), "{body}");
    assert!(!body.contains("doghouse.toml"), "no path of the server's: {body}");
    // Without the wrong claim, none is sent.
    let r = s.post_json(&serde_json::json!({"rubric": "doghouse", "text": "A white lid reflects the light."}));
    assert!(r.json()["questions"][0].get("misconceptions").is_none(), "{}", r.text());
}

/// Hints in steps: the listing and the check responses send the first step only; each later step
/// is sent when asked for (`GET /api/hint`), one at a time. A partial point's "why not?"
/// sentence comes with the check response.
#[test]
fn later_hint_steps_are_sent_only_when_asked_for() {
    let s = Server::start(&["--rubrics", "rubrics"]);
    let v: toml::Value =
        toml::from_str(&std::fs::read_to_string(root().join("rubrics/stalin-rise.toml")).unwrap()).unwrap();
    let gensec: Vec<String> = v["question"][1]["point"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"].as_str() == Some("gensec"))
        .unwrap()["hint"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    assert_eq!(gensec.len(), 3);
    let listing = s.get("/api/rubrics").text();
    assert!(listing.contains(&gensec[0]), "{listing}");
    assert!(
        !listing.contains(&gensec[1]) && !listing.contains(&gensec[2]),
        "{listing}"
    );
    let draft = "Stalin was General Secretary. Nothing else.";
    let reply = s.post_json(&serde_json::json!({"rubric": "stalin-rise", "text": draft, "format": "text"}));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        !reply.text().contains(&gensec[1]) && !reply.text().contains("\"hints\""),
        "{}",
        reply.text()
    );
    let report = reply.json();
    assert_eq!(point(&report, "2.4")["status"], "partial");
    assert_eq!(
        point(&report, "2.4")["why_not"],
        "You mention “General Secretary”, but not yet what the post let him know or control."
    );
    // Step 2, on request, and nothing beyond it.
    let step = s.get("/api/hint?rubric=stalin-rise&point=2.4&step=2");
    assert_eq!(step.status, 200, "{}", step.text());
    assert_eq!(step.json()["hint"], gensec[1].as_str());
    assert_eq!(step.json()["steps"], 3);
    assert!(!step.text().contains(&gensec[2]), "{}", step.text());
    for (query, status) in [
        ("rubric=stalin-rise&point=2.4&step=4", 404),
        ("rubric=stalin-rise&point=2.4&step=0", 404),
        ("rubric=stalin-rise&point=2.4&step=two", 400),
        ("rubric=stalin-rise&point=9.9&step=2", 404),
        ("rubric=stalin-rise&point=2.4", 400),
        ("rubric=nope&point=2.4&step=2", 404),
    ] {
        let r = s.get(&format!("/api/hint?{query}"));
        assert_eq!(r.status, status, "{query}: {}", r.text());
        assert!(r.json()["error"].is_string(), "{query}: {}", r.text());
    }
}
