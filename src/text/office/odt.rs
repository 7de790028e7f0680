//! OpenDocument `.odt`: the body, notes, headers and footers, and the styles and fields that
//! hide text.

use quick_xml::events::BytesStart;

use super::blocks::*;
use super::package::*;
use super::xml::*;
use crate::text::limits::{Limits, ReadError};

/// Most spaces one ODF `text:s` element may stand for.
pub(super) const MAX_SPACES: usize = 1024;

/// Which ODF part is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OdtPart {
    /// content.xml: the body.
    Content,
    /// styles.xml: only the headers and footers of its master pages.
    Styles,
}

/// Which styles hide text (`text:display="none"` in their `style:text-properties`), by family
/// (`paragraph`, `text`) and name, through `style:parent-style-name` chains.
#[derive(Debug, Default)]
pub(super) struct OdtStyles {
    /// Common styles (`office:styles`), the only ones a style may name as its parent.
    pub(super) common: std::collections::HashMap<(String, String), OdtStyle>,
    /// Automatic styles of the part being read (`office:automatic-styles`).
    pub(super) automatic: std::collections::HashMap<(String, String), OdtStyle>,
    /// What `style:default-style` says, by family.
    pub(super) defaults: std::collections::HashMap<String, bool>,
}

/// One ODF style as read.
#[derive(Debug, Default, Clone)]
pub(super) struct OdtStyle {
    pub(super) parent: Option<String>,
    /// `Some(true)`: its text properties hide text; `Some(false)`: they show it; `None`: they do
    /// not say, and its parent decides.
    pub(super) hidden: Option<bool>,
}

impl OdtStyles {
    pub(super) fn len(&self) -> usize {
        self.common.len() + self.automatic.len()
    }

    /// Whether text in the style `name` of `family` is hidden, if that style or one it is based on
    /// says, else the family's default style. Automatic styles are looked up first.
    pub(super) fn hidden(&self, family: &str, name: &str) -> Option<bool> {
        let key = (family.to_owned(), name.to_owned());
        let mut style = self.automatic.get(&key).or_else(|| self.common.get(&key));
        // A chain can be no longer than the styles there are; a longer walk is a cycle.
        for _ in 0..=self.common.len() + 1 {
            let Some(s) = style else { break };
            if s.hidden.is_some() {
                return s.hidden;
            }
            style = s
                .parent
                .as_ref()
                .and_then(|p| self.common.get(&(family.to_owned(), p.clone())));
        }
        self.defaults.get(family).copied()
    }
}

/// `text:display` in text properties: `none` hides text, and so (not knowing the condition)
/// does `condition`; `true` shows it.
pub(super) fn display_hides(e: &BytesStart<'_>) -> Option<bool> {
    attr(e, "display").map(|v| v != "true")
}

/// A paragraph, heading, span or link open in the body.
#[derive(Debug, Clone, Copy)]
pub(super) struct OdtLevel {
    pub(super) hidden: bool,
    /// For a paragraph: where it started, and whether a `text:hidden-paragraph` field hides it.
    pub(super) paragraph: Option<(Checkpoint, bool)>,
}

/// Extracts the text of content.xml, or the headers and footers of styles.xml, and collects the
/// styles of either (see [`OdtStyles`]).
pub(super) struct OdtHandler {
    pub(super) b: Builder,
    pub(super) part: OdtPart,
    /// Inside a `style:header`/`style:footer` (styles.xml), and how deep.
    pub(super) in_header: usize,
    /// The last character added to the paragraph was collapsible white space (or the paragraph
    /// has just started), so further white space is dropped, as ODF requires.
    pub(super) after_space: bool,
    pub(super) styles: OdtStyles,
    /// Inside `office:styles` (true) or `office:automatic-styles` (false).
    pub(super) in_styles: Option<bool>,
    /// The style being read: its family and name, and whether it is a default style.
    pub(super) style: Option<(String, String, bool, OdtStyle)>,
    pub(super) too_many_styles: bool,
    /// The paragraphs, headings, spans and links open, outermost first.
    pub(super) levels: Vec<OdtLevel>,
}

impl OdtHandler {
    pub(super) fn new(part: OdtPart, limit: u64, styles: OdtStyles) -> OdtHandler {
        OdtHandler {
            b: Builder::new(limit),
            part,
            in_header: 0,
            after_space: true,
            styles,
            in_styles: None,
            style: None,
            too_many_styles: false,
            levels: Vec::new(),
        }
    }

    pub(super) fn hidden(&self) -> bool {
        self.levels.last().is_some_and(|l| l.hidden)
    }

    /// Reads the style definitions inside `office:styles` and `office:automatic-styles`.
    pub(super) fn style_start(&mut self, ns: Ns, local: &str, e: &BytesStart<'_>) -> bool {
        match (ns, local) {
            (Ns::Style, "style" | "default-style") => {
                if self.styles.len() >= MAX_STYLES {
                    self.too_many_styles = true;
                    return false;
                }
                let family = attr(e, "family").unwrap_or_default();
                let name = attr(e, "name").unwrap_or_default();
                let style = OdtStyle {
                    parent: attr(e, "parent-style-name"),
                    hidden: None,
                };
                self.style = Some((family, name, local == "default-style", style));
                true
            }
            (Ns::Style, "text-properties") => {
                if let Some((_, _, _, style)) = &mut self.style {
                    style.hidden = display_hides(e).or(style.hidden);
                }
                true
            }
            _ => false,
        }
    }

    pub(super) fn style_end(&mut self) {
        let Some((family, name, default, style)) = self.style.take() else {
            return;
        };
        if default {
            if let Some(hidden) = style.hidden {
                self.styles.defaults.insert(family, hidden);
            }
        } else if self.in_styles == Some(true) {
            self.styles.common.entry((family, name)).or_insert(style);
        } else {
            self.styles.automatic.entry((family, name)).or_insert(style);
        }
    }

    /// Whether the paragraph, heading, span or link starting is hidden by its styles (the style
    /// named, then the classes): `None` if they do not say.
    pub(super) fn styled_hidden(&self, family: &str, e: &BytesStart<'_>) -> Option<bool> {
        let named = attr(e, "style-name").and_then(|n| self.styles.hidden(family, &n));
        named.or_else(|| {
            attr(e, "class-names").and_then(|names| {
                names
                    .split_ascii_whitespace()
                    .rev()
                    .find_map(|n| self.styles.hidden(family, n))
            })
        })
    }
}

pub(super) fn is_header_or_footer(local: &str) -> bool {
    matches!(
        local,
        "header" | "footer" | "header-left" | "footer-left" | "header-first" | "footer-first"
    )
}

impl Handler for OdtHandler {
    fn start(&mut self, ns: Ns, local: &str, e: &BytesStart<'_>) -> bool {
        if self.in_styles.is_some() {
            return self.style_start(ns, local, e);
        }
        // A section, field or anything else of the text namespace that is not displayed.
        if ns == Ns::Text && attr(e, "display").is_some_and(|d| d == "none" || (local == "section" && d == "condition"))
        {
            self.b.concealed = true;
            return false;
        }
        match (ns, local) {
            (Ns::Style, l) if is_header_or_footer(l) => {
                // A header or footer switched off.
                if attr(e, "display").is_some_and(|d| d == "false") {
                    return false;
                }
                self.in_header += 1;
            }
            (Ns::Office, "styles") => self.in_styles = Some(true),
            (Ns::Office, "automatic-styles") => self.in_styles = Some(false),
            // Comments, scripts, forms and settings hold no answer text.
            (Ns::Office, "annotation" | "font-face-decls" | "scripts" | "forms" | "settings" | "meta") => {
                return false;
            }
            (Ns::Svg, "title" | "desc") => return false,
            (Ns::Text, "p" | "h") => {
                if self.part == OdtPart::Styles && self.in_header == 0 {
                    return false;
                }
                // A paragraph in a frame anchored in hidden text is hidden with it.
                let styled = self
                    .styled_hidden("paragraph", e)
                    .or_else(|| self.styles.defaults.get("paragraph").copied());
                let hidden = self.hidden() || styled.unwrap_or(false);
                let at = self.b.checkpoint();
                self.levels.push(OdtLevel {
                    hidden,
                    paragraph: Some((at, false)),
                });
                self.b.start_para();
                self.after_space = true;
            }
            (Ns::Text, "span" | "a") => {
                let hidden = self.styled_hidden("text", e).unwrap_or(self.hidden());
                self.levels.push(OdtLevel {
                    hidden,
                    paragraph: None,
                });
            }
            // Hides the paragraph it is in, unless it says it does not.
            (Ns::Text, "hidden-paragraph") => {
                if attr(e, "is-hidden").is_none_or(|h| h != "false")
                    && let Some(level) = self.levels.iter_mut().rev().find(|l| l.paragraph.is_some())
                    && let Some((_, hide)) = &mut level.paragraph
                {
                    *hide = true;
                }
                return false;
            }
            // Shows one of two texts, by a condition: the one it says is current (what the
            // element holds, normally).
            (Ns::Text, "conditional-text") => {
                let current = attr(e, "current-value").is_some_and(|v| v == "true");
                let value = attr(
                    e,
                    if current {
                        "string-value-if-true"
                    } else {
                        "string-value-if-false"
                    },
                );
                if let Some(value) = value {
                    self.text(&value);
                }
                return false;
            }
            (Ns::Text, "s") if !self.hidden() => {
                let count = attr(e, "c").and_then(|c| c.trim().parse::<usize>().ok()).unwrap_or(1);
                self.b.push_str(&" ".repeat(count.clamp(1, MAX_SPACES)));
                self.after_space = true;
            }
            (Ns::Text, "tab") if !self.hidden() => {
                self.b.push('\t');
                self.after_space = true;
            }
            (Ns::Text, "line-break") if !self.hidden() => {
                self.b.push('\n');
                self.after_space = true;
            }
            // A note anchored in hidden text is hidden with it.
            (Ns::Text, "note") => {
                if self.hidden() {
                    return false;
                }
                let endnote = attr(e, "note-class").is_some_and(|c| c == "endnote");
                self.b.start_note(endnote);
            }
            // The note's number, tracked deletions, conditional hidden text and generated
            // indexes (a table of contents repeats the headings).
            (
                Ns::Text,
                "note-citation" | "tracked-changes" | "hidden-text" | "table-of-content" | "illustration-index"
                | "table-index" | "object-index" | "user-index" | "alphabetical-index" | "bibliography",
            ) => return false,
            (Ns::Table, "table-row") => self.b.start_row(),
            (Ns::Table, "table-cell" | "covered-table-cell") => self.b.start_cell(),
            _ => {}
        }
        true
    }

    fn end(&mut self, ns: Ns, local: &str) {
        if let Some(common) = self.in_styles {
            match (ns, local) {
                (Ns::Office, "styles") if common => self.in_styles = None,
                (Ns::Office, "automatic-styles") if !common => self.in_styles = None,
                (Ns::Style, "style" | "default-style") => self.style_end(),
                _ => {}
            }
            return;
        }
        match (ns, local) {
            (Ns::Style, l) if is_header_or_footer(l) => self.in_header = self.in_header.saturating_sub(1),
            (Ns::Text, "p" | "h") => match self.levels.pop().and_then(|l| l.paragraph) {
                Some((at, true)) => {
                    self.b.concealed = true;
                    self.b.discard_para(at);
                }
                _ => self.b.end_para(),
            },
            (Ns::Text, "span" | "a") => {
                self.levels.pop();
            }
            (Ns::Text, "note") => self.b.end_note(),
            (Ns::Table, "table-row") => self.b.end_row(),
            (Ns::Table, "table-cell" | "covered-table-cell") => self.b.end_cell(),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.b.para().is_none() || self.hidden() {
            self.b.concealed |= self.hidden() && !text.trim().is_empty();
            return;
        }
        let mut collapsed = String::with_capacity(text.len());
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                if !self.after_space {
                    collapsed.push(' ');
                    self.after_space = true;
                }
            } else {
                collapsed.push(c);
                self.after_space = false;
            }
        }
        self.b.push_str(&collapsed);
    }

    fn full(&self) -> Option<u64> {
        self.b.full()
    }
}

/// Finds `manifest:encryption-data`, which marks an encrypted (password-protected) `.odt`.
#[derive(Debug, Default)]
pub(super) struct ManifestHandler {
    pub(super) encrypted: bool,
}

impl Handler for ManifestHandler {
    fn start(&mut self, ns: Ns, local: &str, _: &BytesStart<'_>) -> bool {
        if ns == Ns::Manifest && local == "encryption-data" {
            self.encrypted = true;
        }
        true
    }

    fn end(&mut self, _: Ns, _: &str) {}

    fn text(&mut self, _: &str) {}
}

/// The blocks of an `.odt`, and whether it has concealed text ([`Builder::concealed`]).
pub(super) fn odt_blocks(package: &mut Package, limits: &Limits) -> Result<(Vec<String>, bool), ReadError> {
    let mut manifest = ManifestHandler::default();
    package.parse("META-INF/manifest.xml", &mut manifest)?;
    if manifest.encrypted {
        return Err(ReadError::Protected {
            path: package.name.clone(),
            kind: package.kind,
        });
    }
    if !package.has("content.xml") {
        return Err(package.missing("content.xml"));
    }
    // styles.xml first: content.xml's styles are based on its common styles. Its headers and
    // footers come after the body all the same.
    let mut styles = OdtHandler::new(OdtPart::Styles, limits.max_bytes, OdtStyles::default());
    package.parse("styles.xml", &mut styles)?;
    let too_many =
        |package: &Package, part: &str| package.unpack_error(format!("{part} defines more than {MAX_STYLES} styles"));
    if styles.too_many_styles {
        return Err(too_many(package, "styles.xml"));
    }
    let mut seen = Vec::new();
    let mut headers = Vec::new();
    let mut concealed = styles.b.concealed;
    for block in styles.b.finish() {
        add_unique(&mut headers, &mut seen, vec![block]);
    }
    let mut common = styles.styles;
    common.automatic.clear();
    let mut content = OdtHandler::new(OdtPart::Content, remaining_text(limits, &headers), common);
    package.parse("content.xml", &mut content)?;
    if content.too_many_styles {
        return Err(too_many(package, "content.xml"));
    }
    concealed |= content.b.concealed;
    let mut blocks = content.b.finish();
    blocks.append(&mut headers);
    Ok((blocks, concealed))
}
