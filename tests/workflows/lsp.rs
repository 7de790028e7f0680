//! `rubric lsp`, end to end: the test speaks the Language Server Protocol to the binary
//! (Content-Length framed JSON-RPC over its standard input and output), with a time limit on
//! every read so that a silent server fails the test instead of hanging it.

use std::collections::VecDeque;
use std::io::Write;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::common::*;

const TIMEOUT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Messages read while waiting for another.
    pending: VecDeque<Value>,
    next_id: i64,
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `file:` URI of a path (through its folder: the file may not be saved yet).
fn uri(path: &Path) -> String {
    let path = std::fs::canonicalize(path.parent().unwrap())
        .unwrap()
        .join(path.file_name().unwrap());
    format!(
        "file://{}",
        path.display().to_string().replace('%', "%25").replace(' ', "%20")
    )
}

impl Client {
    fn start(dir: &Path, args: &[&str]) -> Client {
        let mut child = Command::new(bin())
            .arg("lsp")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start rubric lsp");
        let stdout = child.stdout.take().unwrap();
        let stdin = child.stdin.take();
        let rx = crate::lsp_support::messages(stdout);
        Client {
            child,
            stdin,
            messages: rx,
            pending: VecDeque::new(),
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next message that satisfies `want`, within the time limit; others are kept.
    fn wait_for(&mut self, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&want) {
            return self.pending.remove(i).unwrap();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if want(&m) => return m,
                Ok(m) => self.pending.push_back(m),
                Err(_) => panic!("no {what} from rubric lsp within {TIMEOUT:?}; got {:?}", self.pending),
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let response = self.wait_for(method, |m| m["id"] == id && m.get("method").is_none());
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let m = self.wait_for("publishDiagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, root: &Path) -> Value {
        let result = self.request(
            "initialize",
            json!({ "processId": null, "rootUri": uri(root), "capabilities": {} }),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, path: &Path, language: &str, text: &str) -> String {
        let u = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": u, "languageId": language, "version": 1, "text": text } }),
        );
        u
    }

    /// Shuts the server down as the protocol says, and returns its exit code.
    fn shutdown(mut self) -> i32 {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.stdin.take();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "rubric lsp did not exit after `exit`");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// (line, character) of a range's start and end.
fn range(d: &Value) -> ((u64, u64), (u64, u64)) {
    let r = &d["range"];
    let p = |v: &Value| (v["line"].as_u64().unwrap(), v["character"].as_u64().unwrap());
    (p(&r["start"]), p(&r["end"]))
}

#[test]
fn diagnostics_and_hover_with_a_rubric() {
    let dir = tempfile::tempdir().unwrap();
    let answer = dir.path().join("answer.txt");
    let text = std::fs::read_to_string(fixture("answer.txt")).unwrap();
    std::fs::write(&answer, &text).unwrap();
    let rubric = fixture("roman.toml");
    let mut client = Client::start(dir.path(), &["--rubric", rubric.to_str().unwrap()]);
    let init = client.initialize(dir.path());
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 1);

    let u = client.open(&answer, "plaintext", &text);
    let diags = client.diagnostics(&u, 1);
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["1.2", "1.3", "2.1"]);
    // Student-safe: no label or id of a point not yet made (negated, missing).
    for d in &diags {
        let m = d["message"].as_str().unwrap();
        for hidden in ["Sulla's march", "Caesar, dictator", "sulla", "caesar"] {
            assert!(!m.contains(hidden), "{hidden} in {m}");
        }
    }
    // Partial: information, on the words found. "The Gracchi tried reform." is line 2 (0-based).
    assert_eq!(diags[0]["severity"], 3);
    assert_eq!(range(&diags[0]).0, (2, 4));
    assert_eq!(
        diags[0]["message"],
        "1.2 The Gracchi, reform and violence: partly made. To go further: What happened to the brothers who tried reform?"
    );
    assert_eq!(diags[0]["source"], "rubric");
    // Negated: warning, on the words negated.
    assert_eq!(diags[1]["severity"], 2);
    assert_eq!(range(&diags[1]), ((3, 14), (3, 27)));
    // Missing: warning, at the top of the document.
    assert_eq!(diags[2]["severity"], 2);
    assert_eq!(range(&diags[2]), ((0, 0), (0, 18)));
    assert_eq!(
        diags[2]["message"],
        "2.1: missing. Hint: Who crossed the Rubicon, and what did he become?"
    );

    // Hover on "armies" of "Generals had private armies." (line 1).
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": u }, "position": { "line": 1, "character": 22 } }),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.starts_with("**1.1 Private armies loyal to their generals**: covered (1/1 marks)"),
        "{value}"
    );
    assert_eq!(range(&hover), ((1, 13), (1, 27)));
    assert_eq!(hover["contents"]["kind"], "markdown");
    // Nothing to say about words that are no evidence.
    let none = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": u }, "position": { "line": 0, "character": 2 } }),
    );
    assert_eq!(none, Value::Null);

    // A change (full text) is checked again: the missing point is now made.
    let changed = format!("{text}Caesar became dictator for life.\n");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": 2 }, "contentChanges": [{ "text": changed }] }),
    );
    let diags = client.diagnostics(&u, 2);
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["1.2", "1.3"]);
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": u }, "position": { "line": 4, "character": 20 } }),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Caesar, dictator for life")
    );

    // Unknown requests get an error, not silence.
    let id = 99;
    client.send(json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/definition", "params": {} }));
    let reply = client.wait_for("an error reply", |m| m["id"] == id);
    assert_eq!(reply["error"]["code"], -32601);

    assert_eq!(client.shutdown(), 0);
}

#[test]
fn rubrics_from_the_project_config() {
    let p = project();
    let mut client = Client::start(p.path(), &[]);
    client.initialize(p.path());
    let athens = p.path().join("essays/greek/athens.txt");
    let u = client.open(&athens, "plaintext", "The plague killed Pericles.\n");
    let diags = client.diagnostics(&u, 1);
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["1.2"]);

    // A Markdown answer of the other map, not saved yet.
    let draft = p.path().join("essays/history/new.md");
    let u = client.open(&draft, "markdown", "# Draft\n\nCaesar was **dictator for life**.\n");
    let diags = client.diagnostics(&u, 1);
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["1.1", "1.2", "1.3"]);

    // A file that no map covers gets no diagnostics.
    let notes = p.path().join("notes/todo.md");
    let u = client.open(&notes, "markdown", "Private armies.\n");
    assert!(client.diagnostics(&u, 1).is_empty());

    // A broken rubric is said on the answer.
    std::fs::write(p.path().join("rubrics/greek.toml"), "title = 3\n").unwrap();
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri(&athens), "version": 2 }, "contentChanges": [{ "text": "Sicily.\n" }] }),
    );
    let diags = client.diagnostics(&uri(&athens), 2);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["severity"], 1);
    assert!(
        diags[0]["message"].as_str().unwrap().contains("greek.toml:1:9"),
        "{}",
        diags[0]
    );

    assert_eq!(client.shutdown(), 0);
}
