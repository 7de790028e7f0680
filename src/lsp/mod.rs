//! `rubric lsp`: a language server over standard input and output, so that an editor shows
//! what an answer still lacks while it is being written.
//!
//! - On `didOpen` and `didChange` (full text sync) of a Markdown or plain-text document, the
//!   document is checked against its rubric and one diagnostic is published per point not
//!   covered: a missing point (severity warning) at the top of the document, a partial point
//!   (information) on the words found, a negated point (warning) on the words negated. The
//!   message and code are student-safe (`crate::report::safe`): the code is the point's number
//!   (`1.1`), and the message its hint, after its label once it is partly made or its `topic`
//!   while it is missing or negated (never the label, id or cues of a point not yet made).
//! - On hover over evidence, the points it supports, with their status and marks (and the cue,
//!   for a point covered or partly made).
//! - The rubric of a document is `--rubric` if given, else its project config mapping
//!   (`.rubric/config.toml` in the document's folder or above), else the nearest `rubric.toml`.
//!   Rubrics are reloaded when their file changes; saving a `.toml` file re-checks every open
//!   document.
//!
//! - A document longer than `--max-answer-bytes` (16 MiB) is not kept nor checked: it gets one
//!   diagnostic saying that it is too large. A message longer than twice that (plus 1 MiB) is
//!   not even read into memory ([`transport`]): a request is answered with an error, an opened
//!   or changed document is said to be too large, anything else is logged.
//!
//! Positions are in UTF-16 code units, the protocol's default.

mod position;
mod scan;
mod transport;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc::Sender;
use std::time::SystemTime;

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    Diagnostic, DiagnosticSeverity, DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    Hover, HoverContents, HoverParams, LogMessageParams, MarkupContent, MarkupKind, MessageType, NumberOrString,
    PublishDiagnosticsParams, Range, Uri,
};
use serde_json::json;

use crate::app::{ERROR, FELL_SHORT, SUCCESS, error};
use crate::check::{Checked, check};
use crate::matcher::{Detail, Status};
use crate::project::discover_rubric;
use crate::report::ci::one_line;
use crate::report::marks;
use crate::scheme::Rubric;
use crate::text::read::{Encoding, Format, Source};
use crate::text::tokens::Document;
use transport::Incoming;

pub use position::{offset_at, position_at, uri_to_path};

/// What the language server is to do (the command line builds it from `rubric lsp`'s options).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The rubric for every document; `None` to find each document's own.
    pub rubric: Option<PathBuf>,
    /// Largest document checked, in bytes.
    pub max_answer_bytes: u64,
}

/// Runs the server until the client says `exit`; returns the exit code (0 after a `shutdown`,
/// 1 without one, 2 when the input is broken).
pub fn run(args: Settings) -> io::Result<i32> {
    let (sender, receiver, writer) = transport::stdio(transport::frame_limit(args.max_answer_bytes));
    let capabilities = json!({
        "positionEncoding": "utf-16",
        "textDocumentSync": { "openClose": true, "change": 1, "save": { "includeText": false } },
        "hoverProvider": true,
    });
    let mut server = Server {
        sender: &sender,
        rubric: args.rubric.map(|r| std::path::absolute(&r).unwrap_or(r)),
        max_document: args.max_answer_bytes,
        docs: HashMap::new(),
        rubrics: HashMap::new(),
    };
    let mut initialized = false;
    let mut shut_down = false;
    let mut broken = None;
    for incoming in &receiver {
        let message = match incoming {
            Incoming::Message(m) => m,
            Incoming::TooLarge(o) => {
                server.too_large(o, initialized && !shut_down);
                continue;
            }
            Incoming::Invalid(e) => {
                server.log(MessageType::WARNING, format!("rubric: {e}"));
                continue;
            }
            Incoming::Broken(e) => {
                broken = Some(e);
                break;
            }
        };
        match message {
            Message::Request(req) if !initialized => {
                if req.method == "initialize" {
                    initialized = true;
                    server.send(Response::new_ok(req.id, json!({ "capabilities": capabilities })).into());
                } else {
                    server.send(
                        Response::new_err(
                            req.id,
                            ErrorCode::ServerNotInitialized as i32,
                            format!("expected the initialize request, got {}", req.method),
                        )
                        .into(),
                    );
                }
            }
            Message::Request(req) if req.method == "shutdown" => {
                shut_down = true;
                server.send(Response::new_ok(req.id, ()).into());
            }
            Message::Request(req) if shut_down => server.send(
                Response::new_err(
                    req.id,
                    ErrorCode::InvalidRequest as i32,
                    "the server is shutting down".into(),
                )
                .into(),
            ),
            Message::Request(req) => server.request(req),
            Message::Notification(n) if n.method == "exit" => break,
            Message::Notification(n) if initialized && !shut_down => server.notification(n),
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
    drop(server);
    drop(sender);
    // Everything said is written before the process ends; the reader may still wait on input.
    let _ = writer.join();
    if let Some(e) = broken {
        error(format!("language server: {e}"));
        return Ok(ERROR);
    }
    if !initialized {
        error("language server: the client left before the initialize request");
        return Ok(ERROR);
    }
    Ok(if shut_down { SUCCESS } else { FELL_SHORT })
}

/// What hovering over a piece of evidence shows.
#[derive(Debug, Clone)]
struct Span {
    start: usize,
    end: usize,
    text: String,
}

struct OpenDoc {
    uri: Uri,
    language: String,
    version: i32,
    /// Empty when the document is too large.
    text: String,
    spans: Vec<Span>,
    /// The length of a document over the limit, which is neither kept nor checked.
    too_large: Option<u64>,
}

/// A rubric, or why it cannot be used.
type Loaded = Result<Rc<Rubric>, String>;

struct Server<'c> {
    sender: &'c Sender<Message>,
    rubric: Option<PathBuf>,
    /// The longest document checked, in bytes.
    max_document: u64,
    docs: HashMap<String, OpenDoc>,
    /// Loaded rubrics, by path, with the modification time they were loaded at.
    rubrics: HashMap<PathBuf, (Option<SystemTime>, Loaded)>,
}

/// Whether a document is an answer to check (rather than a rubric or anything else).
fn is_answer(language: &str, path: Option<&Path>) -> bool {
    matches!(language, "markdown" | "plaintext" | "text")
        || path.is_some_and(|p| {
            // The formats an editor holds as text (not documents or web pages).
            use crate::text::formats::{Reader, reader_of};
            matches!(reader_of(p), Some(Reader::Text | Reader::Markdown))
        })
}

impl Server<'_> {
    fn send(&self, message: Message) {
        // The writer stopped (the client went away): the loop ends when the input does.
        let _ = self.sender.send(message);
    }

    fn log(&self, kind: MessageType, message: String) {
        let params = LogMessageParams { typ: kind, message };
        self.send(Notification::new("window/logMessage".into(), params).into());
    }

    fn request(&mut self, req: Request) {
        match req.method.as_str() {
            "textDocument/hover" => {
                let result = match serde_json::from_value::<HoverParams>(req.params) {
                    Ok(p) => self.hover(&p),
                    Err(e) => {
                        self.send(Response::new_err(req.id, ErrorCode::InvalidParams as i32, e.to_string()).into());
                        return;
                    }
                };
                self.send(Response::new_ok(req.id, result).into());
            }
            _ => self.send(
                Response::new_err(
                    req.id,
                    ErrorCode::MethodNotFound as i32,
                    format!("rubric lsp does not handle {}", req.method),
                )
                .into(),
            ),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    let d = p.text_document;
                    let key = d.uri.as_str().to_string();
                    let mut doc = OpenDoc {
                        uri: d.uri,
                        language: d.language_id,
                        version: d.version,
                        text: String::new(),
                        spans: Vec::new(),
                        too_large: None,
                    };
                    self.set_text(&mut doc, d.text);
                    self.docs.insert(key.clone(), doc);
                    self.check(&key);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                    let key = p.text_document.uri.as_str().to_string();
                    // Full sync: the last change holds the whole text.
                    if let (Some(mut doc), Some(change)) =
                        (self.docs.remove(&key), p.content_changes.into_iter().last())
                    {
                        self.set_text(&mut doc, change.text);
                        doc.version = p.text_document.version;
                        self.docs.insert(key.clone(), doc);
                        self.check(&key);
                    }
                }
            }
            "textDocument/didSave" => {
                // A saved rubric or config changes the findings of every open answer.
                let keys: Vec<String> = self.docs.keys().cloned().collect();
                for key in keys {
                    self.check(&key);
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params)
                    && let Some(doc) = self.docs.remove(p.text_document.uri.as_str())
                {
                    self.publish(doc.uri, Vec::new(), None);
                }
            }
            _ => {}
        }
    }

    /// Keeps `text` as the document's text, or only its length when it is too large.
    fn set_text(&self, doc: &mut OpenDoc, text: String) {
        doc.spans.clear();
        if text.len() as u64 > self.max_document {
            doc.too_large = Some(text.len() as u64);
            doc.text = String::new();
        } else {
            doc.too_large = None;
            doc.text = text;
        }
    }

    /// A message over the frame limit (see [`transport`]): an error for a request, the
    /// "too large" diagnostic for a document opened or changed, a log message otherwise.
    fn too_large(&mut self, o: transport::Oversized, running: bool) {
        let what = format!(
            "a message of {} ({} bytes) is over the limit of {} for `rubric lsp --max-answer-bytes {}`",
            human_size(o.bytes),
            o.bytes,
            human_size(transport::frame_limit(self.max_document)),
            self.max_document
        );
        if let Some(id) = o.start.id {
            self.send(
                Response::new_err(id, ErrorCode::InvalidRequest as i32, format!("{what}: it was ignored")).into(),
            );
            return;
        }
        let uri = o.start.uri.as_deref().and_then(|u| u.parse::<Uri>().ok());
        match (o.start.method.as_deref(), uri) {
            (Some("textDocument/didOpen"), Some(uri)) if running => {
                let key = uri.as_str().to_string();
                let doc = OpenDoc {
                    uri,
                    language: o.start.language.unwrap_or_default(),
                    version: o.start.version.unwrap_or(0),
                    text: String::new(),
                    spans: Vec::new(),
                    too_large: Some(o.bytes),
                };
                self.docs.insert(key.clone(), doc);
                self.check(&key);
            }
            (Some("textDocument/didChange"), Some(uri)) if running && self.docs.contains_key(uri.as_str()) => {
                let key = uri.as_str().to_string();
                if let Some(doc) = self.docs.get_mut(&key) {
                    doc.text = String::new();
                    doc.spans.clear();
                    doc.too_large = Some(o.bytes);
                    if let Some(v) = o.start.version {
                        doc.version = v;
                    }
                }
                self.check(&key);
            }
            _ => self.log(MessageType::WARNING, format!("rubric: {what}: it was ignored")),
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new("textDocument/publishDiagnostics".into(), params).into());
    }

    /// The rubric for a document, loaded (or the reason it cannot be).
    fn rubric_for(&mut self, path: Option<&Path>) -> Option<(PathBuf, Loaded)> {
        let rubric_path = match (&self.rubric, path) {
            (Some(r), _) => r.clone(),
            (None, None) => return None,
            (None, Some(path)) => {
                let folder = path.parent().unwrap_or(Path::new("/"));
                let mapped = match crate::project::find(folder) {
                    Ok(Some(project)) => project.mapping_for(path).map(|m| m.rubric.clone()),
                    Ok(None) => None,
                    Err(e) => return Some((folder.to_path_buf(), Err(format!("the project config is invalid: {e}")))),
                };
                mapped.or_else(|| discover_rubric(folder))?
            }
        };
        let modified = std::fs::metadata(&rubric_path).and_then(|m| m.modified()).ok();
        let fresh = self
            .rubrics
            .get(&rubric_path)
            .is_some_and(|(at, _)| at.is_some() && *at == modified);
        if !fresh {
            let loaded = Rubric::load(&rubric_path).map(Rc::new).map_err(|e| e.to_string());
            self.rubrics.insert(rubric_path.clone(), (modified, loaded));
        }
        let (_, loaded) = &self.rubrics[&rubric_path];
        Some((rubric_path, loaded.clone()))
    }

    /// Checks one open document and publishes its diagnostics.
    fn check(&mut self, key: &str) {
        let Some(doc) = self.docs.get(key) else { return };
        let path = uri_to_path(doc.uri.as_str());
        if !is_answer(&doc.language, path.as_deref()) {
            return;
        }
        if let Some(bytes) = doc.too_large {
            let d = Diagnostic {
                range: Range::default(),
                severity: Some(DiagnosticSeverity::WARNING),
                source: Some("rubric".into()),
                message: format!(
                    "This document is too large to check: {} ({bytes} bytes), over the limit of {} (`rubric lsp --max-answer-bytes`).",
                    human_size(bytes),
                    human_size(self.max_document)
                ),
                ..Diagnostic::default()
            };
            self.publish(doc.uri.clone(), vec![d], Some(doc.version));
            return;
        }
        let (uri, version, text, language) = (doc.uri.clone(), doc.version, doc.text.clone(), doc.language.clone());
        let Some((rubric_path, rubric)) = self.rubric_for(path.as_deref()) else {
            self.log(
                MessageType::INFO,
                format!(
                    "rubric: no rubric for {} (no .rubric/config.toml mapping, no rubric.toml above it, no --rubric)",
                    uri.as_str()
                ),
            );
            self.publish(uri, Vec::new(), Some(version));
            return;
        };
        let rubric = match rubric {
            Ok(r) => r,
            Err(e) => {
                let d = Diagnostic {
                    range: Range::default(),
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some("rubric".into()),
                    message: format!("cannot use the rubric {}: {e}", rubric_path.display()),
                    ..Diagnostic::default()
                };
                self.publish(uri, vec![d], Some(version));
                return;
            }
        };
        let markdown = language == "markdown" || path.as_deref().map(Format::from_path) == Some(Format::Markdown);
        let format = if markdown { Format::Markdown } else { Format::Text };
        let source = Source {
            name: String::new(),
            text,
            format,
            encoding: Encoding::Utf8,
        };
        let Checked {
            doc: document,
            assessment,
        } = check(&rubric, source, Detail::Evidence);
        let top = position::first_line(&document.text);
        let mut diagnostics = Vec::new();
        let mut spans = Vec::new();
        // Student-safe (`crate::report::safe`): a point not yet made is named by its number,
        // topic and hint, never by its label, id or cues.
        for (number, p) in crate::report::safe::numbered(&assessment) {
            let hint = one_line(&p.point.hint);
            let status = p.finding.status;
            let made = crate::report::safe::made(status);
            let label = match crate::report::safe::heading(p.point, status) {
                Some(h) => format!("{number} {h}"),
                None => number.clone(),
            };
            let worth = format!("{}/{}", marks(p.marks), marks(p.point.marks));
            for ev in &p.finding.evidence {
                let what = match status {
                    Status::Covered => "covered".to_string(),
                    Status::Partial => "partly made".to_string(),
                    Status::Negated => match &ev.negated_by {
                        Some(n) => format!("negated by \"{n}\""),
                        None => "negated".to_string(),
                    },
                    Status::Missing => "missing".to_string(),
                };
                let cue = if made {
                    format!("\n\ncue `{}`", ev.cue.replace('`', "'"))
                } else {
                    String::new()
                };
                spans.push(Span {
                    start: ev.start,
                    end: ev.end,
                    text: format!("**{label}**: {what} ({worth} marks){cue}"),
                });
            }
            let (range, severity, message) = match status {
                Status::Covered => continue,
                Status::Missing => (
                    top,
                    DiagnosticSeverity::WARNING,
                    format!("{label}: missing. Hint: {hint}"),
                ),
                Status::Partial => (
                    evidence_range(&document, p.finding.evidence.first()).unwrap_or(top),
                    DiagnosticSeverity::INFORMATION,
                    format!("{label}: partly made. To go further: {hint}"),
                ),
                Status::Negated => (
                    evidence_range(&document, p.finding.evidence.first()).unwrap_or(top),
                    DiagnosticSeverity::WARNING,
                    format!(
                        "{label}: your answer says the opposite here, so it earns nothing as written. Hint: {hint}"
                    ),
                ),
            };
            diagnostics.push(Diagnostic {
                range,
                severity: Some(severity),
                code: Some(NumberOrString::String(number)),
                source: Some("rubric".into()),
                message,
                ..Diagnostic::default()
            });
        }
        // A misconception the answer makes: a warning on its words (one it does not make is
        // never shown).
        for m in assessment.found_misconceptions() {
            diagnostics.push(Diagnostic {
                range: evidence_range(&document, m.finding.evidence.first()).unwrap_or(top),
                severity: Some(DiagnosticSeverity::WARNING),
                code: Some(NumberOrString::String(m.point.id.clone())),
                source: Some("rubric".into()),
                message: crate::report::ci::check_advice(m),
                ..Diagnostic::default()
            });
        }
        if let Some(doc) = self.docs.get_mut(key) {
            doc.spans = spans;
        }
        self.publish(uri, diagnostics, Some(version));
    }

    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let pos = &p.text_document_position_params;
        let doc = self.docs.get(pos.text_document.uri.as_str())?;
        let offset = offset_at(&doc.text, pos.position)?;
        let hits: Vec<&Span> = doc
            .spans
            .iter()
            .filter(|s| s.start <= offset && offset <= s.end)
            .collect();
        let first = hits.first()?;
        let (start, end) = (
            hits.iter().map(|s| s.start).min().unwrap_or(first.start),
            hits.iter().map(|s| s.end).max().unwrap_or(first.end),
        );
        let mut value: Vec<String> = Vec::new();
        for h in &hits {
            if !value.contains(&h.text) {
                value.push(h.text.clone());
            }
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: value.join("\n\n---\n\n"),
            }),
            range: Some(Range::new(position_at(&doc.text, start), position_at(&doc.text, end))),
        })
    }
}

/// `bytes` in MiB, with one decimal when it is not a whole number of them.
fn human_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

fn evidence_range(doc: &Document, ev: Option<&crate::matcher::Evidence>) -> Option<Range> {
    let ev = ev?;
    Some(Range::new(
        position_at(&doc.text, ev.start),
        position_at(&doc.text, ev.end),
    ))
}
