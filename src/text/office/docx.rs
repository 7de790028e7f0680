//! Word `.docx` (WordprocessingML): the body, notes, headers and footers, and the styles that
//! hide text.

use quick_xml::events::BytesStart;

use super::blocks::*;
use super::package::*;
use super::xml::*;
use crate::text::limits::{Limits, ReadError};

/// What a WordprocessingML element open in a part means for the text inside it.
#[derive(Debug, Clone, Copy)]
pub(super) enum WordElement {
    /// A paragraph, and whether its paragraph style hides its text.
    Para {
        styled_hidden: bool,
    },
    /// A run: its own `w:vanish` if it has one, and whether its character style hides it;
    /// whether its own properties make it white (`w:color` `FFFFFF`), set on a coloured
    /// background (`w:shd` or `w:highlight`) or tiny (`w:sz` under 4 pt).
    Run {
        vanish: Option<bool>,
        styled_hidden: bool,
        white: bool,
        backed: bool,
        tiny: bool,
    },
    /// A table, and whether its table style hides its text.
    Table {
        styled_hidden: bool,
    },
    /// Paragraph, run or table properties.
    ParaProps,
    RunProps,
    TableProps,
    Other,
}

/// Extracts the text of WordprocessingML parts (document, footnotes, endnotes, headers, footers).
pub(super) struct DocxHandler<'s> {
    pub(super) b: Builder,
    pub(super) styles: &'s DocxStyles,
    /// The elements open, outermost first.
    pub(super) open: Vec<WordElement>,
    /// Inside `w:t`: its text so far, and whether `xml:space="preserve"`.
    pub(super) t: Option<(String, bool)>,
    /// For each `mc:AlternateContent` open: whether one of its alternatives was read.
    pub(super) alternatives: Vec<bool>,
    /// Whether Word understands the `mc:Choice` being started.
    pub(super) choice_understood: bool,
    /// Whether the `w:t` open is hidden: its text is left out (and noted, when it is not blank).
    pub(super) t_hidden: bool,
}

impl<'s> DocxHandler<'s> {
    pub(super) fn new(limit: u64, styles: &'s DocxStyles) -> DocxHandler<'s> {
        DocxHandler {
            b: Builder::new(limit),
            styles,
            open: Vec::new(),
            t: None,
            alternatives: Vec::new(),
            choice_understood: false,
            t_hidden: false,
        }
    }

    /// Whether text in the innermost run is hidden: some run it is in (a text box sits in a run
    /// of the paragraph around it) is hidden by its own `w:vanish`, or, when it has none, by
    /// the document defaults, a table, paragraph or character style (as Word reads it, a style's
    /// `w:vanish` can only hide, never show: see [`DocxStyles`]).
    pub(super) fn hidden(&self) -> bool {
        let mut table = false;
        let mut para = self.styles.default_paragraph;
        for element in &self.open {
            match *element {
                WordElement::Table { styled_hidden } => table |= styled_hidden,
                WordElement::Para { styled_hidden } => para = styled_hidden,
                WordElement::Run {
                    vanish, styled_hidden, ..
                } => {
                    let styled = self.styles.defaults || table || para || styled_hidden;
                    if vanish.unwrap_or(styled) {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// Whether the innermost run is white on no background, or tiny: shown, but not to be
    /// seen (its own properties only; a style's colour or size is not looked at).
    pub(super) fn faint(&self) -> bool {
        self.open.iter().rev().find_map(|e| match *e {
            WordElement::Run {
                white, backed, tiny, ..
            } => Some((white && !backed) || tiny),
            _ => None,
        }) == Some(true)
    }

    /// Inside a run, directly (not in its properties), and the run is shown.
    pub(super) fn in_run_content(&self) -> bool {
        matches!(self.open.last(), Some(WordElement::Run { .. })) && !self.hidden()
    }

    /// The element open around the properties element that is innermost, if the innermost is
    /// `props`.
    pub(super) fn owner_of(&mut self, props: fn(&WordElement) -> bool) -> Option<&mut WordElement> {
        let n = self.open.len();
        if n < 2 || !props(&self.open[n - 1]) {
            return None;
        }
        self.open.get_mut(n - 2)
    }
}

/// `w:val` says off.
pub(super) fn off(e: &BytesStart<'_>) -> bool {
    attr(e, "val").is_some_and(|v| matches!(v.as_str(), "0" | "false" | "off"))
}

/// Property elements that hold the properties before a tracked change: never what is shown.
pub(super) fn is_property_change(local: &str) -> bool {
    matches!(
        local,
        "rPrChange"
            | "pPrChange"
            | "tblPrChange"
            | "trPrChange"
            | "tcPrChange"
            | "sectPrChange"
            | "tblGridChange"
            | "numberingChange"
    )
}

impl Handler for DocxHandler<'_> {
    fn start(&mut self, ns: Ns, local: &str, e: &BytesStart<'_>) -> bool {
        let styles = self.styles;
        let element = match ns {
            // Word writes a text box twice: a modern form and a VML fallback. Of each
            // `mc:AlternateContent`, what Word shows is read: the first choice whose namespaces
            // it understands, else the fallback.
            Ns::Mc => match local {
                "AlternateContent" => {
                    self.alternatives.push(false);
                    WordElement::Other
                }
                "Choice" | "Fallback" => {
                    let understood = local == "Fallback" || self.choice_understood;
                    match self.alternatives.last_mut() {
                        Some(taken) if !*taken && understood => *taken = true,
                        Some(_) => return false,
                        None => {}
                    }
                    WordElement::Other
                }
                _ => WordElement::Other,
            },
            Ns::W => match local {
                "p" => {
                    self.b.start_para();
                    WordElement::Para {
                        styled_hidden: self.styles.default_paragraph,
                    }
                }
                "tr" => {
                    self.b.start_row();
                    WordElement::Other
                }
                "tc" => {
                    self.b.start_cell();
                    WordElement::Other
                }
                "tbl" => WordElement::Table {
                    styled_hidden: self.styles.default_table,
                },
                "r" => WordElement::Run {
                    vanish: None,
                    styled_hidden: self.styles.default_character,
                    white: false,
                    backed: false,
                    tiny: false,
                },
                "pPr" => WordElement::ParaProps,
                "rPr" => WordElement::RunProps,
                "tblPr" => WordElement::TableProps,
                "pStyle" => {
                    if let Some(WordElement::Para { styled_hidden }) =
                        self.owner_of(|e| matches!(e, WordElement::ParaProps))
                    {
                        *styled_hidden = styles.paragraph_hides(attr(e, "val").as_deref());
                    }
                    WordElement::Other
                }
                "rStyle" => {
                    if let Some(WordElement::Run { styled_hidden, .. }) =
                        self.owner_of(|e| matches!(e, WordElement::RunProps))
                    {
                        *styled_hidden = styles.character_hides(attr(e, "val").as_deref());
                    }
                    WordElement::Other
                }
                "tblStyle" => {
                    if let Some(WordElement::Table { styled_hidden }) =
                        self.owner_of(|e| matches!(e, WordElement::TableProps))
                    {
                        *styled_hidden = styles.table_hides(attr(e, "val").as_deref());
                    }
                    WordElement::Other
                }
                // `w:specVanish` hides a paragraph mark even when hidden text is shown; on a run
                // it may be ignored, but never shows anything.
                "vanish" | "specVanish" => {
                    if let Some(WordElement::Run { vanish, .. }) = self.owner_of(|e| matches!(e, WordElement::RunProps))
                    {
                        let on = !off(e);
                        if on || (local == "vanish" && vanish.is_none()) {
                            *vanish = Some(on);
                        }
                    }
                    WordElement::Other
                }
                "color" | "sz" | "shd" | "highlight" => {
                    if let Some(WordElement::Run {
                        white, backed, tiny, ..
                    }) = self.owner_of(|e| matches!(e, WordElement::RunProps))
                    {
                        let value = attr(e, if local == "shd" { "fill" } else { "val" });
                        let value = value.as_deref().unwrap_or("");
                        match local {
                            "color" => *white = value.eq_ignore_ascii_case("FFFFFF"),
                            // Half points: under 8 is under 4 pt.
                            "sz" => *tiny = value.trim().parse::<u32>().is_ok_and(|half| half < 8),
                            _ => {
                                *backed |= !matches!(
                                    value.to_ascii_lowercase().as_str(),
                                    "" | "auto" | "none" | "ffffff" | "white"
                                )
                            }
                        }
                    }
                    WordElement::Other
                }
                "t" => {
                    // Hidden text is read only to know whether there is any.
                    self.t_hidden = self.hidden();
                    let preserve = attr(e, "space").is_some_and(|v| v == "preserve");
                    self.t = Some((String::new(), preserve));
                    WordElement::Other
                }
                "tab" | "ptab" if self.in_run_content() => {
                    self.b.push('\t');
                    WordElement::Other
                }
                "br" | "cr" if self.in_run_content() => {
                    self.b.push('\n');
                    WordElement::Other
                }
                "noBreakHyphen" if self.in_run_content() => {
                    self.b.push('-');
                    WordElement::Other
                }
                // Deleted and moved-away text, field codes, and the separators Word keeps among
                // the footnotes.
                "del" | "moveFrom" | "delText" | "delInstrText" | "instrText" => return false,
                l if is_property_change(l) => return false,
                "footnote" | "endnote" => {
                    let special = attr(e, "type").is_some_and(|t| {
                        matches!(t.as_str(), "separator" | "continuationSeparator" | "continuationNotice")
                    });
                    if special {
                        return false;
                    }
                    WordElement::Other
                }
                _ => WordElement::Other,
            },
            _ => WordElement::Other,
        };
        self.open.push(element);
        true
    }

    fn end(&mut self, ns: Ns, local: &str) {
        self.open.pop();
        if ns == Ns::Mc && local == "AlternateContent" {
            self.alternatives.pop();
        }
        if ns != Ns::W {
            return;
        }
        match local {
            "p" => self.b.end_para(),
            "tr" => self.b.end_row(),
            "tc" => self.b.end_cell(),
            "t" if std::mem::take(&mut self.t_hidden) => self.t = None,
            "t" => {
                if let Some((text, preserve)) = self.t.take()
                    && let Some(para) = self.b.para()
                {
                    // Already counted in `text`.
                    para.push_str(if preserve {
                        &text
                    } else {
                        text.trim_matches([' ', '\t'])
                    });
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.t.is_some() && !text.trim().is_empty() && (self.t_hidden || self.faint()) {
            self.b.concealed = true;
        }
        if self.t_hidden {
            return;
        }
        if let Some((t, _)) = &mut self.t {
            // A line break in the XML of a `w:t` is white space, not a line break.
            t.extend(text.chars().map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }));
            self.b.size += text.len() as u64;
        }
    }

    fn full(&self) -> Option<u64> {
        self.b.full()
    }

    fn choice(&mut self, understood: bool) {
        self.choice_understood = understood;
    }
}

/// Which styles of word/styles.xml hide text (`w:vanish` in their run properties, or in those of
/// a style they are based on, however far up the `w:basedOn` chain), and whether the document
/// defaults do.
///
/// `w:vanish` is a toggle property: in a style, "on" is meant to switch hidden text off again
/// when an outer level of styles (document defaults, table, paragraph, character style) already
/// switched it on, and "off" changes nothing. Hiding text twice over is no honest way to show
/// it, so here a style hides text when any level does; only a run's own `w:vanish w:val="0"`
/// shows text that styles hide.
#[derive(Debug, Default)]
pub(super) struct DocxStyles {
    /// `w:docDefaults` hide every run.
    pub(super) defaults: bool,
    /// Every style id, and whether it hides text.
    pub(super) styles: std::collections::HashMap<String, bool>,
    /// The default paragraph, character and table styles hide text (they apply where no style
    /// is named, or an unknown one).
    pub(super) default_paragraph: bool,
    pub(super) default_character: bool,
    pub(super) default_table: bool,
}

impl DocxStyles {
    pub(super) fn hides(&self, id: Option<&str>, default: bool) -> bool {
        id.and_then(|id| self.styles.get(id)).copied().unwrap_or(default)
    }

    pub(super) fn paragraph_hides(&self, id: Option<&str>) -> bool {
        self.hides(id, self.default_paragraph)
    }

    pub(super) fn character_hides(&self, id: Option<&str>) -> bool {
        self.hides(id, self.default_character)
    }

    pub(super) fn table_hides(&self, id: Option<&str>) -> bool {
        self.hides(id, self.default_table)
    }
}

/// One `w:style` as read.
#[derive(Debug, Default)]
pub(super) struct StyleDef {
    pub(super) id: String,
    pub(super) kind: String,
    pub(super) default: bool,
    pub(super) based_on: Option<String>,
    /// Its own run properties (or those of a table style's conditional formatting) hide text.
    pub(super) vanish: bool,
}

/// Where in word/styles.xml the parser is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StylesElement {
    DocDefaults,
    Style,
    TableConditional,
    RunProps,
    Other,
}

/// Reads word/styles.xml: the document defaults and every style's `w:basedOn` and `w:vanish`.
#[derive(Debug, Default)]
pub(super) struct StylesHandler {
    pub(super) open: Vec<StylesElement>,
    pub(super) defaults: bool,
    pub(super) current: Option<StyleDef>,
    pub(super) defs: Vec<StyleDef>,
    pub(super) too_many: bool,
}

impl StylesHandler {
    /// The element that holds the run properties being read, if the innermost element is one.
    pub(super) fn run_props_owner(&self) -> Option<StylesElement> {
        let n = self.open.len();
        (n >= 2 && self.open[n - 1] == StylesElement::RunProps).then(|| self.open[n - 2])
    }

    pub(super) fn resolve(self) -> DocxStyles {
        let index: std::collections::HashMap<&str, usize> = self
            .defs
            .iter()
            .enumerate()
            .rev()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        // None: not yet known; Some(None): being resolved; Some(Some(hidden)).
        let mut memo: Vec<Option<Option<bool>>> = vec![None; self.defs.len()];
        let mut path = Vec::new();
        for start in 0..self.defs.len() {
            path.clear();
            let mut at = Some(start);
            let hidden = loop {
                let Some(i) = at else { break false };
                match memo[i] {
                    Some(Some(known)) => break known,
                    // A cycle: every style on it has been looked at, and none hides text.
                    Some(None) => break false,
                    None => {}
                }
                if self.defs[i].vanish {
                    break true;
                }
                memo[i] = Some(None);
                path.push(i);
                at = self.defs[i].based_on.as_deref().and_then(|b| index.get(b).copied());
            };
            memo[start] = Some(Some(hidden || self.defs[start].vanish));
            for &i in &path {
                memo[i] = Some(Some(hidden));
            }
        }
        let mut styles = DocxStyles {
            defaults: self.defaults,
            ..DocxStyles::default()
        };
        for (def, hidden) in self.defs.iter().zip(memo) {
            let hidden = hidden.flatten().unwrap_or(false);
            let entry = styles.styles.entry(def.id.clone()).or_insert(false);
            *entry |= hidden;
            if def.default {
                match def.kind.as_str() {
                    "paragraph" => styles.default_paragraph |= hidden,
                    "character" => styles.default_character |= hidden,
                    "table" => styles.default_table |= hidden,
                    _ => {}
                }
            }
        }
        styles
    }
}

impl Handler for StylesHandler {
    fn start(&mut self, ns: Ns, local: &str, e: &BytesStart<'_>) -> bool {
        let element = if ns != Ns::W {
            StylesElement::Other
        } else {
            match local {
                "docDefaults" => StylesElement::DocDefaults,
                "style" => {
                    if self.defs.len() >= MAX_STYLES {
                        self.too_many = true;
                        return false;
                    }
                    self.current = Some(StyleDef {
                        id: attr(e, "styleId").unwrap_or_default(),
                        kind: attr(e, "type").unwrap_or_default(),
                        default: attr(e, "default").is_some_and(|v| matches!(v.as_str(), "1" | "true" | "on")),
                        ..StyleDef::default()
                    });
                    StylesElement::Style
                }
                "tblStylePr" => StylesElement::TableConditional,
                "rPr" => StylesElement::RunProps,
                "basedOn" => {
                    if self.open.last() == Some(&StylesElement::Style)
                        && let Some(def) = &mut self.current
                    {
                        def.based_on = attr(e, "val");
                    }
                    StylesElement::Other
                }
                "vanish" | "specVanish" if !off(e) => {
                    match self.run_props_owner() {
                        // The run properties of `w:rPrDefault`, inside `w:docDefaults`.
                        Some(StylesElement::Other) if self.open.contains(&StylesElement::DocDefaults) => {
                            self.defaults = true;
                        }
                        Some(StylesElement::Style | StylesElement::TableConditional) => {
                            if let Some(def) = &mut self.current {
                                def.vanish = true;
                            }
                        }
                        _ => {}
                    }
                    StylesElement::Other
                }
                l if is_property_change(l) => return false,
                _ => StylesElement::Other,
            }
        };
        self.open.push(element);
        true
    }

    fn end(&mut self, ns: Ns, local: &str) {
        self.open.pop();
        if ns == Ns::W
            && local == "style"
            && let Some(def) = self.current.take()
        {
            self.defs.push(def);
        }
    }

    fn text(&mut self, _: &str) {}
}

/// One package relationship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Relationship {
    pub(super) kind: String,
    pub(super) target: String,
    pub(super) external: bool,
}

#[derive(Debug, Default)]
pub(super) struct RelsHandler {
    pub(super) rels: Vec<Relationship>,
}

impl Handler for RelsHandler {
    fn start(&mut self, ns: Ns, local: &str, e: &BytesStart<'_>) -> bool {
        if ns == Ns::Rels && local == "Relationship" && self.rels.len() < 10_000 {
            self.rels.push(Relationship {
                kind: attr(e, "Type").unwrap_or_default(),
                target: attr(e, "Target").unwrap_or_default(),
                external: attr(e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External")),
            });
        }
        true
    }

    fn end(&mut self, _: Ns, _: &str) {}

    fn text(&mut self, _: &str) {}
}

/// The part a relationship target names: relative to the source part's folder unless it starts
/// with `/`; `.` and `..` segments resolved.
pub(super) fn resolve_target(base_dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None if base_dir.is_empty() => target.to_owned(),
        None => format!("{base_dir}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

pub(super) fn split_part(part: &str) -> (&str, &str) {
    part.rsplit_once('/').unwrap_or(("", part))
}

pub(super) fn read_rels(package: &mut Package, rels_part: &str) -> Result<Option<Vec<Relationship>>, ReadError> {
    let mut handler = RelsHandler::default();
    Ok(package.parse(rels_part, &mut handler)?.then_some(handler.rels))
}

/// Sorts part names so that `header2.xml` comes before `header10.xml`.
pub(super) fn natural_order(parts: &mut [String]) {
    parts.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
}

/// The blocks of a `.docx`, and whether it has concealed text ([`Builder::concealed`]).
pub(super) fn docx_blocks(package: &mut Package, limits: &Limits) -> Result<(Vec<String>, bool), ReadError> {
    // The main part is what the package relationships say, normally word/document.xml.
    let mut main = "word/document.xml".to_owned();
    if !package.has(&main)
        && let Some(rels) = read_rels(package, "_rels/.rels")?
        && let Some(r) = rels.iter().find(|r| !r.external && r.kind.ends_with("/officeDocument"))
    {
        main = resolve_target("", &r.target);
    }
    if !package.has(&main) {
        return Err(package.missing("word/document.xml"));
    }
    let (dir, file) = split_part(&main);
    let mut notes: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    let mut headers = Vec::new();
    let mut footers = Vec::new();
    let mut styles_part = None;
    match read_rels(package, &format!("{dir}/_rels/{file}.rels"))? {
        Some(rels) => {
            for r in rels.iter().filter(|r| !r.external) {
                let part = resolve_target(dir, &r.target);
                let kind = r.kind.rsplit('/').next().unwrap_or("");
                match kind {
                    "styles" if styles_part.is_none() => styles_part = Some(part),
                    "footnotes" => notes[0].push(part),
                    "endnotes" => notes[1].push(part),
                    "header" => headers.push(part),
                    "footer" => footers.push(part),
                    _ => {}
                }
            }
        }
        None => {
            // No relationships: fall back on the names Word uses.
            notes[0].push(format!("{dir}/footnotes.xml"));
            notes[1].push(format!("{dir}/endnotes.xml"));
            for name in package.archive.file_names() {
                let Ok(name) = name else { continue };
                let Some(rest) = name.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) else {
                    continue;
                };
                if rest.contains('/') || !rest.ends_with(".xml") {
                    continue;
                }
                if rest.starts_with("header") {
                    headers.push(name.into_owned());
                } else if rest.starts_with("footer") {
                    footers.push(name.into_owned());
                }
            }
        }
    }
    natural_order(&mut headers);
    natural_order(&mut footers);
    headers.dedup();
    footers.dedup();

    let styles_part = styles_part.unwrap_or_else(|| format!("{dir}/styles.xml"));
    let mut styles = StylesHandler::default();
    package.parse(&styles_part, &mut styles)?;
    if styles.too_many {
        return Err(package.unpack_error(format!("{styles_part} defines more than {MAX_STYLES} styles")));
    }
    let styles = styles.resolve();

    let mut blocks = Vec::new();
    let mut concealed = false;
    for part in std::iter::once(&main).chain(notes.iter().flatten()) {
        let mut handler = DocxHandler::new(remaining_text(limits, &blocks), &styles);
        package.parse(part, &mut handler)?;
        concealed |= handler.b.concealed;
        blocks.extend(handler.b.finish());
    }
    let mut seen = Vec::new();
    for part in headers.iter().chain(&footers) {
        let mut handler = DocxHandler::new(remaining_text(limits, &blocks), &styles);
        package.parse(part, &mut handler)?;
        concealed |= handler.b.concealed;
        add_unique(&mut blocks, &mut seen, handler.b.finish());
    }
    Ok((blocks, concealed))
}
