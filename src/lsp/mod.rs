//! `rubric lsp`: a language server over standard input and output, so that an editor shows
//! what an answer still lacks while it is being written.
//!
//! - On `didOpen` and `didChange` (full text sync) of a Markdown or plain-text document, the
//!   document is checked against its rubric and one diagnostic is published per point not
//!   covered: a missing point (severity warning) at the top of the document, a partial point
//!   (information) on the words found, a negated point (warning) on the words negated. The
//!   message is the point's label and hint; the code is the point's id.
//! - On hover over evidence, the points it supports, with their status and marks.
//! - The rubric of a document is `--rubric` if given, else its project config mapping
//!   (`.rubric/config.toml` in the document's folder or above), else the nearest `rubric.toml`.
//!   Rubrics are reloaded when their file changes; saving a `.toml` file re-checks every open
//!   document.
//!
//! Positions are in UTF-16 code units, the protocol's default.

mod position;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::SystemTime;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    Diagnostic, DiagnosticSeverity, DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    Hover, HoverContents, HoverParams, LogMessageParams, MarkupContent, MarkupKind, MessageType, NumberOrString,
    PublishDiagnosticsParams, Range, Uri,
};
use serde_json::json;

use crate::cli::args::LspArgs;
use crate::cli::config::discover_rubric;
use crate::matcher::Status;
use crate::report::ci::one_line;
use crate::report::marks;
use crate::scheme::Rubric;
use crate::score::assess;
use crate::text::read::Format;
use crate::text::tokens::Document;

pub use position::{offset_at, position_at, uri_to_path};

/// Runs the server until the client says `exit`; returns the exit code (0 after a `shutdown`).
pub fn run(args: LspArgs) -> io::Result<i32> {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = json!({
        "positionEncoding": "utf-16",
        "textDocumentSync": { "openClose": true, "change": 1, "save": { "includeText": false } },
        "hoverProvider": true,
    });
    if let Err(e) = connection.initialize(capabilities) {
        crate::cli::error(format!("language server: {e}"));
        return Ok(crate::cli::ERROR);
    }
    let mut server = Server {
        connection: &connection,
        rubric: args.rubric.map(|r| std::path::absolute(&r).unwrap_or(r)),
        docs: HashMap::new(),
        rubrics: HashMap::new(),
    };
    let mut clean = false;
    for message in &connection.receiver {
        match message {
            Message::Request(req) => {
                if connection.handle_shutdown(&req).map_err(io::Error::other)? {
                    clean = true;
                    break;
                }
                server.request(req);
            }
            Message::Notification(n) if n.method == "exit" => break,
            Message::Notification(n) => server.notification(n),
            Message::Response(_) => {}
        }
    }
    drop(server);
    drop(connection);
    io_threads.join()?;
    Ok(if clean {
        crate::cli::SUCCESS
    } else {
        crate::cli::FELL_SHORT
    })
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
    text: String,
    spans: Vec<Span>,
}

/// A rubric, or why it cannot be used.
type Loaded = Result<Rc<Rubric>, String>;

struct Server<'c> {
    connection: &'c Connection,
    rubric: Option<PathBuf>,
    docs: HashMap<String, OpenDoc>,
    /// Loaded rubrics, by path, with the modification time they were loaded at.
    rubrics: HashMap<PathBuf, (Option<SystemTime>, Loaded)>,
}

/// Whether a document is an answer to check (rather than a rubric or anything else).
fn is_answer(language: &str, path: Option<&Path>) -> bool {
    matches!(language, "markdown" | "plaintext" | "text")
        || path.is_some_and(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["md", "markdown", "txt"].iter().any(|x| x.eq_ignore_ascii_case(e)))
        })
}

impl Server<'_> {
    fn send(&self, message: Message) {
        // The client went away: the loop ends when the receiver closes.
        let _ = self.connection.sender.send(message);
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
                    self.docs.insert(
                        key.clone(),
                        OpenDoc {
                            uri: d.uri,
                            language: d.language_id,
                            version: d.version,
                            text: d.text,
                            spans: Vec::new(),
                        },
                    );
                    self.check(&key);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                    let key = p.text_document.uri.as_str().to_string();
                    // Full sync: the last change holds the whole text.
                    if let (Some(doc), Some(change)) = (self.docs.get_mut(&key), p.content_changes.into_iter().last()) {
                        doc.text = change.text;
                        doc.version = p.text_document.version;
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
        let document = Document::new(text, format, &rubric.language);
        let assessment = assess(&rubric, &document, false);
        let top = position::first_line(&document.text);
        let mut diagnostics = Vec::new();
        let mut spans = Vec::new();
        for p in assessment.points() {
            let label = one_line(&p.point.label);
            let hint = one_line(&p.point.hint);
            let status = p.finding.status;
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
                spans.push(Span {
                    start: ev.start,
                    end: ev.end,
                    text: format!(
                        "**{label}** `{}`: {what} ({worth} marks)\n\ncue `{}`",
                        p.point.id,
                        ev.cue.replace('`', "'")
                    ),
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
                code: Some(NumberOrString::String(p.point.id.clone())),
                source: Some("rubric".into()),
                message,
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

fn evidence_range(doc: &Document, ev: Option<&crate::matcher::Evidence>) -> Option<Range> {
    let ev = ev?;
    Some(Range::new(
        position_at(&doc.text, ev.start),
        position_at(&doc.text, ev.end),
    ))
}
