//! Issue 16: hostile neighbours of `rubric serve` and `rubric lsp`: connections that never
//! finish (or never start) a request, more connections than file descriptors, a FIFO among the
//! rubrics, a language-server message that declares a terabyte, documents larger than the limit.
//!
//! The servers run as child processes, on loopback; every wait has a hang guard ([`QUICK`]), a
//! bound on a hang, never a speed test.
use super::*;

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

/// A running `rubric serve`, stopped when dropped.
struct Serve {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Serve {
    /// Starts `rubric serve --port 0 ARGS` in the package root, under a limit of `open_files`
    /// file descriptors when given; waits (within the hang guard) for its address.
    fn start(args: &[&str], open_files: Option<u32>) -> Serve {
        let bin = env!("CARGO_BIN_EXE_rubric");
        let mut cmd = match open_files {
            Some(n) => {
                let mut c = Command::new("sh");
                c.arg("-c").arg(format!("ulimit -n {n} && exec \"$0\" \"$@\"")).arg(bin);
                c
            }
            None => Command::new(bin),
        };
        let mut child = cmd
            .current_dir(root())
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts rubric serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            // Keep reading, so that the server can still write.
            for _ in lines {}
        });
        let line = match rx.recv_timeout(QUICK) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "rubric serve printed no address within {QUICK:?}; stderr:\n{}",
                    stderr.lock().unwrap()
                );
            }
        };
        let addr = line
            .strip_prefix("Listening on http://")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("expected `Listening on URL`, got {line:?}"));
        Serve { child, addr, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Standard error once it holds every one of `wanted` (it is read by another thread, so a
    /// line the server has written may not have arrived yet), or as it is after [`QUICK`].
    fn stderr_with(&self, wanted: &[&str]) -> String {
        let start = std::time::Instant::now();
        loop {
            let stderr = self.stderr();
            if wanted.iter().all(|w| stderr.contains(w)) || start.elapsed() > QUICK {
                return stderr;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Asserts that the server is still running.
    #[track_caller]
    fn alive(&mut self) {
        let status = self.child.try_wait().unwrap();
        assert!(
            status.is_none(),
            "the server stopped ({status:?}); stderr:\n{}",
            self.stderr()
        );
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(QUICK)).unwrap();
    stream
}

/// Reads one response (head and `Content-Length` body) from a kept-alive connection; returns
/// its status and body.
fn response(stream: &mut TcpStream) -> (u16, Vec<u8>) {
    let mut bytes = Vec::new();
    let mut byte = [0; 1];
    while !bytes.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => bytes.push(byte[0]),
            other => panic!(
                "the response head was cut short ({other:?}): {:?}",
                String::from_utf8_lossy(&bytes)
            ),
        }
    }
    let head = String::from_utf8_lossy(&bytes).into_owned();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).expect("the whole body");
    (status, body)
}

/// `GET path` on a new connection: status and body.
fn get(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let mut stream = connect(addr);
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    response(&mut stream)
}

/// Asserts that the server closes `stream` (within the hang guard), reading what it sends.
#[track_caller]
fn closed_by_the_server(stream: &mut TcpStream, what: &str) -> Vec<u8> {
    let mut got = Vec::new();
    match stream.read_to_end(&mut got) {
        Ok(_) => got,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => got,
        Err(e) => panic!(
            "{what}: still open after {QUICK:?} ({e}); got {:?}",
            String::from_utf8_lossy(&got)
        ),
    }
}

/// A connection that says nothing, one whose request head trickles in and never ends, one
/// kept alive after a request, one whose body stops: each is closed once the idle timeout
/// (`--idle-timeout 1`, hidden, for tests) has passed, and the server answers the next client.
#[test]
fn serve_closes_idle_and_trickling_connections() {
    let mut s = Serve::start(&["--rubrics", "rubrics", "--idle-timeout", "1"], None);
    let addr = s.addr;
    let mut silent = connect(addr);
    let trickle = std::thread::spawn(move || {
        let mut stream = connect(addr);
        let head = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ");
        stream.write_all(head.as_bytes()).unwrap();
        // A byte every 100 ms, until the server hangs up (a write fails) or the guard runs out.
        for _ in 0..QUICK.as_millis() / 100 {
            std::thread::sleep(Duration::from_millis(100));
            if stream.write_all(b"a").is_err() {
                return true;
            }
        }
        false
    });
    let mut kept = connect(addr);
    write!(kept, "GET /api/rubrics HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    assert_eq!(response(&mut kept).0, 200);
    let mut stalled = connect(addr);
    write!(
        stalled,
        "POST /api/check HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 100\r\n\r\n{{\"rubric\""
    )
    .unwrap();

    closed_by_the_server(&mut silent, "a connection that sent nothing");
    closed_by_the_server(&mut kept, "a kept-alive connection");
    let said = closed_by_the_server(&mut stalled, "a request whose body stopped");
    let said = String::from_utf8_lossy(&said);
    assert!(said.starts_with("HTTP/1.1 408 "), "{said}");
    assert!(said.contains("too slowly"), "{said}");
    assert!(trickle.join().unwrap(), "a request head trickling in was never cut off");

    s.alive();
    let (status, body) = get(addr, "/api/rubrics");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
}

/// Under `ulimit -n 64`, 100 connections: the server caps what it accepts below the limit (by
/// default), or, allowed more connections than file descriptors, runs out of them, says so once
/// and waits. Either way it keeps serving the connections it has, and answers once the others
/// have closed. (It used to panic in accept and exit.)
#[cfg(unix)]
#[test]
fn serve_survives_running_out_of_file_descriptors() {
    for extra in [&[][..], &["--max-connections", "1000"][..]] {
        let mut args = vec!["--rubrics", "rubrics"];
        args.extend_from_slice(extra);
        let mut s = Serve::start(&args, Some(64));
        let mut flood: Vec<TcpStream> = (0..100).map(|_| connect(s.addr)).collect();
        if !extra.is_empty() {
            // Out of descriptors: the warning says so (waited for within the hang guard).
            let deadline = std::time::Instant::now() + QUICK;
            while !s.stderr().contains("cannot accept a connection") {
                s.alive();
                assert!(
                    std::time::Instant::now() < deadline,
                    "no warning; stderr:\n{}",
                    s.stderr()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        // The first connection was accepted and is served.
        let addr = s.addr;
        write!(flood[0], "GET /api/rubrics HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        assert_eq!(response(&mut flood[0]).0, 200, "{:?}", s.stderr());
        s.alive();
        drop(flood);
        let (status, body) = get(addr, "/api/rubrics");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        s.alive();
        let stderr = s.stderr();
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            stderr.matches("cannot accept a connection").count() <= 1,
            "warned more than once:\n{stderr}"
        );
    }
}

/// A FIFO named like a rubric used to block start-up forever (opening it waits for a writer):
/// it is left out with a warning, and the other rubrics are served.
#[cfg(unix)]
#[test]
fn serve_skips_a_fifo_among_the_rubrics() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join(STALIN), dir.path().join("stalin-rise.toml")).unwrap();
    fs::create_dir(dir.path().join("more")).unwrap();
    for fifo in ["trap.toml", "more/trap2.toml"] {
        let path = std::ffi::CString::new(path_str(&dir.path().join(fifo))).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0, "mkfifo {fifo}");
    }
    let s = Serve::start(&["--rubrics", path_str(dir.path())], None);
    let (status, body) = get(s.addr, "/api/rubrics");
    assert_eq!(status, 200);
    let listing: Value = serde_json::from_slice(&body).unwrap();
    let ids: Vec<&str> = listing["rubrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["stalin-rise"]);
    let wanted = ["trap.toml is left out", "trap2.toml is left out", "not a regular file"];
    let stderr = s.stderr_with(&wanted);
    for fifo in wanted {
        assert!(stderr.contains(fifo), "stderr lacks {fifo:?}:\n{stderr}");
    }
}

/// The peak memory of a process so far (Linux), in bytes.
fn peak_memory(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// Four answers of the largest size sent at once used to be checked at once, in four times
/// the memory of one (four 7.7 MB answers took 2.5 GB). Answers are now checked together only
/// while their sizes add up to at most `--max-answer-bytes`: the others wait their turn, and
/// all four are answered, within little more than the memory of one. The answer is the worst
/// case: no full stop, one long "sentence".
#[cfg(target_os = "linux")]
#[test]
fn serve_bounds_the_memory_of_concurrent_checks() {
    let max = 1024 * 1024;
    let sentence = "Stalin built a patronage system he gave jobs to his allies who then backed him ";
    let answer = sentence.repeat(max / sentence.len());
    let s = Serve::start(
        &[
            "--rubrics",
            "rubrics",
            "--max-answer-bytes",
            &max.to_string(),
            "--idle-timeout",
            "60",
        ],
        None,
    );
    let addr = s.addr;
    let check = move |answer: &str| {
        let mut stream = connect(addr);
        write!(
            stream,
            "POST /api/check?rubric=stalin-rise&filename=a.txt HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
            answer.len()
        )
        .unwrap();
        let (status, body) = response(&mut stream);
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    };
    check(&answer);
    let one = peak_memory(s.child.id()).expect("VmHWM");
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| check(&answer));
        }
    });
    let four = peak_memory(s.child.id()).expect("VmHWM");
    assert!(
        four < 2 * one,
        "four answers at once peaked at {} MiB, one at {} MiB",
        four / MIB,
        one / MIB
    );
}

/// A `rubric lsp` speaking over pipes; every wait has the hang guard.
struct Lsp {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// All of standard error, once the process has closed it.
    stderr: Receiver<String>,
    next_id: i64,
}

impl Drop for Lsp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Lsp {
    fn start(dir: &Path) -> Lsp {
        let rubric = root().join(STALIN);
        let mut child = command_as(None)
            .args(["lsp", "--rubric", path_str(&rubric)])
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts rubric lsp");
        let stdout = child.stdout.take().unwrap();
        let rx = crate::lsp_support::messages(stdout);
        let (err_tx, stderr) = mpsc::channel();
        let mut err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut all = String::new();
            let _ = err.read_to_string(&mut all);
            let _ = err_tx.send(all);
        });
        let mut lsp = Lsp {
            child,
            stdin: None,
            messages: rx,
            stderr,
            next_id: 1,
        };
        lsp.stdin = lsp.child.stdin.take();
        let init = lsp.request("initialize", json!({ "processId": null, "capabilities": {} }));
        assert_eq!(init["result"]["capabilities"]["hoverProvider"], true, "{init}");
        lsp.notify("initialized", json!({}));
        lsp
    }

    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        self.write(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        self.write(body.as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request; returns the whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait_for(method, |m| m["id"] == id && m.get("method").is_none())
    }

    /// The next message that satisfies `want` (others are dropped).
    fn wait_for(&mut self, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = std::time::Instant::now() + QUICK;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if want(&m) => return m,
                Ok(_) => {}
                Err(_) => panic!(
                    "no {what} from rubric lsp within {QUICK:?}; stderr:\n{}",
                    self.stderr.try_recv().unwrap_or_default()
                ),
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let m = self.wait_for("publishDiagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
    }

    /// The peak memory of the server so far (Linux), in bytes.
    fn peak_memory(&self) -> Option<u64> {
        peak_memory(self.child.id())
    }

    /// Closes standard input and waits (within the hang guard) for the server to exit.
    fn exit_code(mut self) -> (Option<i32>, String) {
        self.stdin.take();
        let deadline = std::time::Instant::now() + QUICK;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let stderr = self.stderr.recv_timeout(QUICK).expect("standard error closed");
                return (status.code(), stderr);
            }
            assert!(std::time::Instant::now() < deadline, "rubric lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

const MIB: u64 = 1024 * 1024;

/// A message that declares a terabyte used to abort the server (lsp-server allocates what
/// `Content-Length` says; 3 GB allocated 2.9 GB). The declared length is over the limit: the
/// request is answered with an error as soon as its start has been read, nothing is allocated
/// for it, and when the input ends inside it the server exits with a message, not a crash.
#[test]
fn lsp_refuses_a_terabyte_message_without_allocating_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut lsp = Lsp::start(dir.path());
    lsp.write(b"Content-Length: 1099511627776\r\n\r\n");
    lsp.write(br#"{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"#);
    // JSON allows white space: enough of it to pass the start the server scans.
    lsp.write(&vec![b' '; 100_000]);
    let reply = lsp.wait_for("the error for request 7", |m| m["id"] == 7);
    let message = reply["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("1099511627776 bytes") && message.contains("over the limit"),
        "{reply}"
    );
    if let Some(peak) = lsp.peak_memory() {
        assert!(peak < 256 * MIB, "peak memory {} MiB", peak / MIB);
    }
    let (code, stderr) = lsp.exit_code();
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("ended inside a message"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A 20 MB document (over the 16 MiB default) used to take 1.6 GB: it gets one diagnostic
/// saying it is too large, and so does a 40 MB one (a message over the limit, never read into
/// memory). The server goes on checking other documents, and the big one once it is small.
#[test]
fn lsp_says_a_document_is_too_large_and_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let mut lsp = Lsp::start(dir.path());
    let sentence = "Stalin built a patronage system. ";
    for (name, bytes) in [("big.md", 20_000_000), ("huge.md", 40_000_000)] {
        let uri = format!("file:///tmp/{name}");
        lsp.open(&uri, &sentence.repeat(bytes / sentence.len()));
        let diags = lsp.diagnostics(&uri, 1);
        assert_eq!(diags.len(), 1, "{name}: {diags:?}");
        let message = diags[0]["message"].as_str().unwrap();
        assert!(
            message.contains("too large") && message.contains("16 MiB"),
            "{name}: {message}"
        );
    }
    let small = "file:///tmp/small.md";
    lsp.open(
        small,
        "Stalin built a patronage system: he gave jobs to his allies, who then backed him.",
    );
    let diags = lsp.diagnostics(small, 1);
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(!codes.is_empty() && !codes.contains(&"patronage"), "{diags:?}");
    // The big document, made small, is checked.
    lsp.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "file:///tmp/big.md", "version": 2 },
                "contentChanges": [{ "text": "He built a patronage system." }] }),
    );
    let diags = lsp.diagnostics("file:///tmp/big.md", 2);
    assert!(
        diags
            .iter()
            .all(|d| !d["message"].as_str().unwrap().contains("too large")),
        "{diags:?}"
    );
    if let Some(peak) = lsp.peak_memory() {
        assert!(peak < 512 * MIB, "peak memory {} MiB", peak / MIB);
    }
    let reply = lsp.request("shutdown", Value::Null);
    assert_eq!(reply["result"], Value::Null, "{reply}");
    lsp.notify("exit", Value::Null);
    let (code, stderr) = lsp.exit_code();
    assert_eq!(code, Some(0), "{stderr}");
}
