//! Reading `.html` answers: the text a browser would show, as plain text.
//!
//! A small tokenizer rather than a full HTML5 parser: students' HTML comes from word processors
//! ("Save as web page"), online editors and learning platforms, and what matters is which text
//! is visible and where paragraphs break, not the exact tree.
//!
//! - The content of `script`, `style`, `title`, `noscript`, `template`, `head` (and the other
//!   raw-text and metadata elements), the fallback content of `video`, `audio`, `canvas`,
//!   `progress` and `meter`, comments, the doctype and processing instructions are
//!   dropped, as is any element a browser does not show: one with the `hidden` attribute, an
//!   inline style `display: none`, `visibility: hidden` or `collapse`, or
//!   `content-visibility: hidden`, or a `dialog` that is not `open` (see `hides_content`). Such
//!   an element hides everything up to its own end tag (a `/>` does not end it, as in browsers),
//!   or to the end if it is never closed, as a browser shows it. (A `head` or `template` never
//!   closed hides nothing rather than the rest of the answer.) The same goes for an element that
//!   a rule of the document's own style sheets (`<style>`, not for print only) hides, by its
//!   type, class or id (`StyleSheet`). Text made transparent, coloured like the page, set in a
//!   tiny size or placed off the page is a matter for the teacher's review, not the reader.
//! - Character references are decoded: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, numeric
//!   (`&#39;`, `&#x2019;`; `&#128;`..`&#159;` as Windows-1252, as browsers do) and the common
//!   named ones (the Latin-1 set, typographic quotes and dashes, `&hellip;`, `&euro;`...). A
//!   no-break space (`&nbsp;`) becomes an ordinary space. Unknown references are kept as written.
//! - White space collapses to one space, except inside `pre` and `textarea`.
//! - Block elements (`p`, `div`, `h1`..`h6`, `li`, `blockquote`, `table`, `tr`...) start a new
//!   paragraph (a blank line in the result); `br` is a line break; table cells in a row are
//!   separated by a tab, so a row reads as one sentence, as in `.docx` and `.odt` answers.
//!
//! The result is plain text, and evidence offsets refer to it, not to the HTML file.

use std::collections::HashSet;

use crate::text::decode::CP1252_HIGH;

/// The visible text of an HTML document, laid out as described in the module documentation.
pub fn visible_text(html: &str) -> String {
    let sheet = StyleSheet::of_document(html);
    // A `head` or `template` that is never closed would hide everything after it; read the
    // document again without hiding those in that case.
    Extractor::new(html, true, &sheet)
        .run()
        .or_else(|| Extractor::new(html, false, &sheet).run())
        .unwrap_or_default()
}

/// Whether an element named `name` (lower case) with the start tag `tag` hides its content: a
/// raw-text or metadata element (`script`, `style`, `head`, `template`...), an element with the
/// `hidden` attribute or an inline style that hides it, a `dialog` that is not open, or one a
/// rule of `sheet` hides. Markdown answers use the same rule for their inline HTML.
pub(crate) fn hides_content(name: &str, tag: &Tag<'_>, sheet: &StyleSheet) -> bool {
    tag.hidden
        || RAW_HIDDEN.contains(&name)
        || HIDDEN.contains(&name)
        || (name == "dialog" && !tag.open)
        || sheet.hides(name, tag)
}

/// Whether CSS declarations hide the element they apply to: `display: none`, `visibility:
/// hidden` or `collapse`, `content-visibility: hidden`.
fn declarations_hide(declarations: &str) -> bool {
    let style: String = declarations
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    // `visibility:hidden` is also the end of `content-visibility:hidden`.
    ["display:none", "visibility:hidden", "visibility:collapse"]
        .iter()
        .any(|hiding| style.contains(hiding))
}

/// Most selectors kept from a document's style sheets.
const MAX_SELECTORS: usize = 10_000;
/// Deepest nesting of at-rules (`@media`, `@supports`) read.
const MAX_AT_RULE_DEPTH: usize = 8;

/// The rules of a document's `<style>` elements that hide elements, reduced to what can be told
/// without a CSS engine, and at the cost of a few lookups per element: each selector is taken to
/// select every element with the id, else the first class, else the type named in its last
/// compound selector. The rest of a selector (ancestors, further classes, attributes,
/// pseudo-classes) is taken as matching, so that an element that may be hidden is taken for
/// hidden; a selector of a pseudo-element (`::before`) hides no text of the document, and rules
/// for print only (`@media print`) are left out.
#[derive(Debug, Default)]
pub(crate) struct StyleSheet {
    elements: HashSet<String>,
    ids: HashSet<String>,
    classes: HashSet<String>,
    /// A rule for `*`: every element is hidden.
    everything: bool,
    /// Selectors kept.
    count: usize,
}

/// What a selector is taken to select (see [`StyleSheet`]).
#[derive(Debug, Default)]
struct Selector {
    /// Lower case; `None` for any.
    element: Option<String>,
    id: Option<String>,
    classes: Vec<String>,
}

impl StyleSheet {
    /// The hiding rules of the `<style>` elements of `text` (an HTML document, or the inline
    /// HTML of Markdown).
    pub(crate) fn of_document(text: &str) -> StyleSheet {
        let mut sheet = StyleSheet::default();
        if !text.contains('<') {
            return sheet;
        }
        let b = text.as_bytes();
        let mut from = 0;
        while let Some(found) = find_ignore_case(b, from, b"<style") {
            let after_name = found + "<style".len();
            if !b
                .get(after_name)
                .is_some_and(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'))
            {
                from = after_name;
                continue;
            }
            let (len, _) = start_tag(&text[after_name..]);
            let content_start = after_name + len;
            let end = skip_raw(text, content_start, "style");
            let content_end = find_ignore_case(b, content_start, b"</style").map_or(end, |e| e.min(end));
            sheet.add_rules(&text[content_start..content_end], 0);
            from = end.max(after_name);
        }
        sheet
    }

    /// Whether a rule hides an element named `name` (lower case) with the start tag `tag`.
    fn hides(&self, name: &str, tag: &Tag<'_>) -> bool {
        if self.count == 0 {
            return false;
        }
        self.everything
            || self.elements.contains(name)
            || tag.id.is_some_and(|id| self.ids.contains(id))
            || tag
                .class
                .is_some_and(|list| list.split_ascii_whitespace().any(|c| self.classes.contains(c)))
    }

    fn add(&mut self, selector: Selector) {
        self.count += 1;
        if let Some(id) = selector.id {
            self.ids.insert(id);
        } else if let Some(class) = selector.classes.into_iter().next() {
            self.classes.insert(class);
        } else if let Some(element) = selector.element {
            self.elements.insert(element);
        } else {
            self.everything = true;
        }
    }

    /// Reads the rules of `css`, at-rules nested `depth` deep.
    fn add_rules(&mut self, css: &str, depth: usize) {
        let css = strip_css_comments(css);
        let b = css.as_bytes();
        let mut i = 0;
        while i < b.len() && self.count < MAX_SELECTORS {
            // The prelude: a selector list or an at-rule, up to its block or its `;`.
            let start = i;
            while i < b.len() && !matches!(b[i], b'{' | b';' | b'}') {
                i += 1;
            }
            let prelude = css[start..i].trim();
            if i >= b.len() {
                break;
            }
            if b[i] != b'{' {
                i += 1;
                continue;
            }
            let block_start = i + 1;
            let block_end = block_end(b, block_start);
            let block = &css[block_start..block_end];
            i = block_end + 1;
            if let Some(at_rule) = prelude.strip_prefix('@') {
                let at_rule = at_rule.to_ascii_lowercase();
                let conditional = ["media", "supports", "layer", "container", "document", "scope"]
                    .iter()
                    .any(|r| at_rule.starts_with(r));
                let print_only = at_rule.starts_with("media")
                    && at_rule.contains("print")
                    && !at_rule.contains("screen")
                    && !at_rule.contains("all");
                if conditional && !print_only && depth < MAX_AT_RULE_DEPTH {
                    self.add_rules(block, depth + 1);
                }
                continue;
            }
            if !declarations_hide(block) {
                continue;
            }
            for selector in prelude.split(',') {
                if let Some(s) = last_compound(selector.trim()) {
                    self.add(s);
                }
            }
        }
    }
}

/// The first occurrence of `pattern` (ASCII, lower case) in `b` from `from`, in any case.
fn find_ignore_case(b: &[u8], from: usize, pattern: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(pattern.len())
        .position(|w| w.eq_ignore_ascii_case(pattern))
        .map(|k| from + k)
}

fn strip_css_comments(css: &str) -> std::borrow::Cow<'_, str> {
    if !css.contains("/*") {
        return css.into();
    }
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(open) = rest.find("/*") {
        out.push_str(&rest[..open]);
        out.push(' ');
        rest = rest[open + 2..]
            .find("*/")
            .map_or("", |close| &rest[open + 2 + close + 2..]);
    }
    out.push_str(rest);
    out.into()
}

/// The end of the block that starts at `from` (just after its `{`): the offset of its `}`, or the
/// end of the text. Nested blocks and quoted strings are skipped.
fn block_end(b: &[u8], from: usize) -> usize {
    let mut depth = 0usize;
    let mut quote = None;
    let mut i = from;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) if c == b'\\' => i += 1,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'{' => depth += 1,
                b'}' if depth == 0 => return i,
                b'}' => depth -= 1,
                _ => {}
            },
        }
        i += 1;
    }
    b.len()
}

/// What the last compound selector of `selector` requires: `None` when it selects a
/// pseudo-element, or when nothing but attributes and pseudo-classes are left of it (too
/// uncertain to hide every element for).
fn last_compound(selector: &str) -> Option<Selector> {
    let b = selector.as_bytes();
    // After the last combinator outside brackets and parentheses.
    let mut nesting = 0usize;
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'[' | b'(' => nesting += 1,
            b']' | b')' => nesting = nesting.saturating_sub(1),
            b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'+' | b'~' if nesting == 0 => start = i + 1,
            _ => {}
        }
    }
    let compound = &selector[start..];
    let mut result = Selector::default();
    let ident = |from: usize| -> (usize, String) {
        let len = compound[from..]
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_') || *c >= 0x80)
            .count();
        (from + len, compound[from..from + len].to_owned())
    };
    let cb = compound.as_bytes();
    let mut i = 0;
    let mut anything = false;
    if cb.first() == Some(&b'*') {
        i = 1;
        anything = true;
    } else {
        let (next, name) = ident(0);
        if !name.is_empty() {
            result.element = Some(name.to_ascii_lowercase());
            i = next;
        }
    }
    while i < cb.len() {
        match cb[i] {
            b'.' => {
                let (next, class) = ident(i + 1);
                result.classes.push(class);
                i = next;
            }
            b'#' => {
                let (next, id) = ident(i + 1);
                result.id = Some(id);
                i = next;
            }
            b'[' => {
                i = compound[i..].find(']').map_or(cb.len(), |e| i + e + 1);
            }
            b':' => {
                let double = cb.get(i + 1) == Some(&b':');
                let (next, name) = ident(i + 1 + usize::from(double));
                let pseudo_element = double
                    || [
                        "before",
                        "after",
                        "first-line",
                        "first-letter",
                        "marker",
                        "placeholder",
                        "selection",
                    ]
                    .contains(&name.to_ascii_lowercase().as_str());
                if pseudo_element {
                    return None;
                }
                i = next;
                if cb.get(i) == Some(&b'(') {
                    i = block_end_paren(cb, i + 1);
                }
            }
            _ => i += 1,
        }
    }
    (anything || result.element.is_some() || result.id.is_some() || !result.classes.is_empty()).then_some(result)
}

/// After the `)` closing the parenthesis opened just before `from`.
fn block_end_paren(b: &[u8], from: usize) -> usize {
    let mut depth = 0usize;
    for (k, &c) in b.iter().enumerate().skip(from) {
        match c {
            b'(' => depth += 1,
            b')' if depth == 0 => return k + 1,
            b')' => depth -= 1,
            _ => {}
        }
    }
    b.len()
}

/// Whether `name` (lower case) is an element with no content and no end tag.
pub(crate) fn is_void(name: &str) -> bool {
    VOID.contains(&name)
}

/// Elements whose content is raw text a browser does not show: skipped up to their end tag.
const RAW_HIDDEN: &[&str] = &[
    "script", "style", "title", "noscript", "xmp", "iframe", "noembed", "noframes",
];
/// Elements whose content (parsed as markup) is not shown: metadata, and the fallback content of
/// media and gauges, which browsers show only when they cannot show the element itself.
const HIDDEN: &[&str] = &[
    "head", "template", "xml", "datalist", "audio", "video", "canvas", "meter", "progress",
];
/// Elements that may appear in `head`; any other start tag ends a `head` left open.
const HEAD_CONTENT: &[&str] = &[
    "title", "meta", "link", "style", "script", "noscript", "base", "template", "object", "xml",
];
/// Elements with no content and no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
];
/// Elements that start and end a paragraph.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "textarea",
    "tfoot",
    "thead",
    "tr",
    "ul",
];
/// Elements whose white space is kept.
const PRE: &[&str] = &["pre", "textarea", "listing"];

/// What separates the next text from the text before it; the strongest requested wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    Space,
    Tab,
    Line,
    Para,
}

/// Where we are in an open table, so that a row stays one block.
#[derive(Debug, Default, Clone, Copy)]
struct Table {
    /// The current row has had a cell.
    row_has_cell: bool,
    /// Inside a cell.
    in_cell: bool,
    /// Inside a cell that has no text yet.
    cell_fresh: bool,
}

/// An element whose content is being skipped.
#[derive(Debug)]
struct Skip {
    name: String,
    /// Open elements of the same name, this one included.
    depth: usize,
    /// One of [`HIDDEN`] (structural), rather than hidden by its attributes.
    structural: bool,
}

struct Extractor<'a> {
    html: &'a str,
    /// The document's hiding style rules.
    sheet: &'a StyleSheet,
    pos: usize,
    out: String,
    gap: Gap,
    /// Inside this many `pre`-like elements.
    pre: usize,
    /// Whether `head`, `template` and the other [`HIDDEN`] elements are skipped (see
    /// [`visible_text`]).
    hide: bool,
    skip: Option<Skip>,
    /// Open tables, innermost last.
    tables: Vec<Table>,
}

impl<'a> Extractor<'a> {
    fn new(html: &'a str, hide: bool, sheet: &'a StyleSheet) -> Extractor<'a> {
        Extractor {
            html,
            sheet,
            pos: 0,
            out: String::with_capacity(html.len() / 2),
            gap: Gap::None,
            pre: 0,
            hide,
            skip: None,
            tables: Vec::new(),
        }
    }

    /// The text, or `None` when a hidden element was still open at the end.
    fn run(mut self) -> Option<String> {
        let bytes = self.html.as_bytes();
        let mut text_start = 0;
        while self.pos < bytes.len() {
            match bytes[self.pos] {
                b'<' => {
                    self.text(&self.html[text_start..self.pos]);
                    self.markup();
                    text_start = self.pos;
                }
                b'&' => {
                    self.text(&self.html[text_start..self.pos]);
                    let (decoded, next) = entity(self.html, self.pos);
                    self.pos = next;
                    let mut buf = [0; 4];
                    self.text(decoded.encode_utf8(&mut buf));
                    text_start = self.pos;
                }
                _ => self.pos += 1,
            }
        }
        self.text(&self.html[text_start..]);
        if self.skip.as_ref().is_some_and(|s| s.structural) {
            return None;
        }
        Some(self.out)
    }

    fn request(&mut self, gap: Gap) {
        if self.skip.is_none() {
            self.gap = self.gap.max(gap);
        }
    }

    /// Writes the pending gap before visible text (none at the very start).
    fn flush(&mut self) {
        if !self.out.is_empty() {
            self.out.push_str(match self.gap {
                Gap::None => "",
                Gap::Space => " ",
                Gap::Tab => "\t",
                Gap::Line => "\n",
                Gap::Para => "\n\n",
            });
        }
        self.gap = Gap::None;
    }

    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some(skip) = &self.skip {
            // Text in a `head` left open means the body has begun.
            if skip.name == "head" && !text.trim_ascii().is_empty() {
                self.skip = None;
            } else {
                return;
            }
        }
        for c in text.chars() {
            let c = if c == '\u{a0}' { ' ' } else { c };
            if self.pre > 0 {
                match c {
                    '\r' => {}
                    c => {
                        self.flush();
                        self.out.push(c);
                    }
                }
            } else if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
                self.gap = self.gap.max(Gap::Space);
            } else {
                if self.gap != Gap::None {
                    self.flush();
                }
                self.out.push(c);
                if let Some(table) = self.tables.last_mut() {
                    table.cell_fresh = false;
                }
            }
        }
    }

    /// A paragraph break, or only a line break inside a table cell (the row is the paragraph);
    /// nothing at the start of a cell, so the cell stays after its tab.
    fn block_gap(&mut self) {
        if self.tables.last().is_some_and(|t| t.in_cell && t.cell_fresh) {
            return;
        }
        let gap = if self.tables.iter().any(|t| t.in_cell) {
            Gap::Line
        } else {
            Gap::Para
        };
        self.request(gap);
    }

    fn start_cell(&mut self) {
        match self.tables.last_mut() {
            Some(table) => {
                let first = !table.row_has_cell;
                *table = Table {
                    row_has_cell: true,
                    in_cell: true,
                    cell_fresh: true,
                };
                if first {
                    self.block_gap();
                } else if !self.out.is_empty() {
                    // Whatever ended the previous cell's last paragraph, the next cell follows a tab.
                    self.gap = Gap::Tab;
                }
            }
            None => self.request(Gap::Tab),
        }
    }

    /// Handles the markup at `self.pos` (a `<`), leaving `self.pos` after it; a `<` that starts no
    /// markup is text.
    fn markup(&mut self) {
        let rest = &self.html[self.pos..];
        let b = rest.as_bytes();
        if let Some(comment) = rest.strip_prefix("<!--") {
            // `<!-->` and `<!--->` are (empty) comments too.
            let end = if comment.starts_with('>') {
                Some(5)
            } else if comment.starts_with("->") {
                Some(6)
            } else {
                comment.find("-->").map(|i| 4 + i + 3)
            };
            self.pos += end.unwrap_or(rest.len());
        } else if matches!(b.get(1), Some(b'!' | b'?')) {
            // Doctype, CDATA, conditional comments, processing instructions.
            self.pos += rest.find('>').map_or(rest.len(), |i| i + 1);
        } else if b.get(1) == Some(&b'/') && b.get(2).is_some_and(u8::is_ascii_alphabetic) {
            let name = tag_name(&rest[2..]);
            self.pos += rest.find('>').map_or(rest.len(), |i| i + 1);
            self.end_tag(&name);
        } else if b.get(1).is_some_and(u8::is_ascii_alphabetic) {
            let name = tag_name(&rest[1..]);
            let (len, tag) = start_tag(&rest[1 + name.len()..]);
            self.pos += 1 + name.len() + len;
            self.start_tag(&name.to_ascii_lowercase(), tag);
        } else {
            self.text("<");
            self.pos += 1;
        }
    }

    fn start_tag(&mut self, name: &str, tag: Tag<'_>) {
        let has_content = !tag.self_closing && !VOID.contains(&name);
        if RAW_HIDDEN.contains(&name) && !tag.self_closing {
            self.pos = skip_raw(self.html, self.pos, name);
            return;
        }
        // A browser takes `<div hidden/>` for an open `div`: what follows is hidden.
        let opens = !VOID.contains(&name);
        if let Some(skip) = &mut self.skip {
            let head_ends = skip.name == "head" && !HEAD_CONTENT.contains(&name);
            if !head_ends {
                if skip.name == name && (if skip.structural { has_content } else { opens }) {
                    skip.depth += 1;
                }
                return;
            }
            self.skip = None;
        }
        let structural = HIDDEN.contains(&name);
        let hides = if structural {
            self.hide && has_content
        } else {
            opens && hides_content(name, &tag, self.sheet)
        };
        if hides {
            self.skip = Some(Skip {
                name: name.to_owned(),
                depth: 1,
                structural,
            });
            return;
        }
        match name {
            "br" => self.request(Gap::Line),
            "td" | "th" => self.start_cell(),
            "table" => {
                self.block_gap();
                if has_content {
                    self.tables.push(Table::default());
                }
            }
            "tr" => {
                if let Some(table) = self.tables.last_mut() {
                    table.row_has_cell = false;
                    table.in_cell = false;
                }
                self.block_gap();
            }
            _ if BLOCK.contains(&name) => {
                self.block_gap();
                if PRE.contains(&name) && has_content {
                    self.pre += 1;
                }
            }
            _ => {}
        }
    }

    fn end_tag(&mut self, name: &str) {
        let name = name.to_ascii_lowercase();
        if let Some(skip) = &mut self.skip {
            if skip.name == name {
                skip.depth -= 1;
                if skip.depth == 0 {
                    self.skip = None;
                }
            }
            return;
        }
        match name.as_str() {
            "br" => self.request(Gap::Line),
            "td" | "th" => {
                if let Some(table) = self.tables.last_mut() {
                    table.in_cell = false;
                }
            }
            "table" => {
                self.tables.pop();
                self.block_gap();
            }
            "tr" => {
                if let Some(table) = self.tables.last_mut() {
                    table.in_cell = false;
                }
                self.block_gap();
            }
            name if BLOCK.contains(&name) => {
                self.block_gap();
                if PRE.contains(&name) {
                    self.pre = self.pre.saturating_sub(1);
                }
            }
            _ => {}
        }
    }
}

/// What the extractor needs to know of a start tag.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Tag<'a> {
    self_closing: bool,
    /// The `hidden` attribute, or an inline style that hides the element.
    hidden: bool,
    /// The `open` attribute (of a `dialog`).
    open: bool,
    /// The `class` and `id` attributes, as written.
    class: Option<&'a str>,
    id: Option<&'a str>,
}

/// The tag name at the start of `s` (letters, digits, `-`, `:`, `_`, `.`).
fn tag_name(s: &str) -> String {
    s.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_' | b'.'))
        .map(char::from)
        .collect()
}

/// Parses the attributes of a start tag, `s` starting just after its name; returns the length up
/// to and including the closing `>` (all of `s` if there is none: the tag runs to the end).
pub(crate) fn start_tag(s: &str) -> (usize, Tag<'_>) {
    let b = s.as_bytes();
    let mut tag = Tag::default();
    let mut i = 0;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || (b[i] == b'/' && b.get(i + 1) != Some(&b'>'))) {
            i += 1;
        }
        match b.get(i) {
            None => return (b.len(), tag),
            Some(b'>') => return (i + 1, tag),
            Some(b'/') => {
                tag.self_closing = true;
                return (i + 2, tag);
            }
            Some(_) => {}
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &s[name_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = s[start..].find(char::from(q)).map_or(b.len(), |e| start + e);
                    value = &s[start..end];
                    i = (end + 1).min(b.len());
                }
                _ => {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = &s[start..i];
                }
            }
        }
        if name.eq_ignore_ascii_case("hidden") {
            tag.hidden = true;
        } else if name.eq_ignore_ascii_case("open") {
            tag.open = true;
        } else if name.eq_ignore_ascii_case("class") {
            tag.class = Some(value);
        } else if name.eq_ignore_ascii_case("id") {
            tag.id = Some(value);
        } else if name.eq_ignore_ascii_case("style") && declarations_hide(value) {
            tag.hidden = true;
        }
    }
}

/// The position after the end tag of the raw-text element `name` whose content starts at `from`
/// (the end of the text if it is never closed, as browsers do).
fn skip_raw(html: &str, from: usize, name: &str) -> usize {
    let b = html.as_bytes();
    let mut i = from;
    while let Some(found) = html[i..].find("</") {
        let start = i + found + 2;
        let end = start + name.len();
        if b.get(start..end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && b.get(end)
                .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'))
        {
            return html[end..].find('>').map_or(html.len(), |g| end + g + 1);
        }
        i = start;
    }
    html.len()
}

/// Decodes the character reference at `at` (an `&`); returns the character and the position
/// after the reference, or `&` itself when no reference is recognised there.
fn entity(html: &str, at: usize) -> (char, usize) {
    let rest = &html[at + 1..];
    let literal = ('&', at + 1);
    if let Some(num) = rest.strip_prefix('#') {
        let (hex, digits) = match num.strip_prefix(['x', 'X']) {
            Some(h) => (true, h),
            None => (false, num),
        };
        let len = digits
            .bytes()
            .take_while(|b| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() })
            .count();
        if len == 0 {
            return literal;
        }
        let value = digits[..len].bytes().fold(0u32, |acc, d| {
            let digit = char::from(d).to_digit(16).unwrap_or(0);
            acc.saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(digit)
                .min(0x11_0000)
        });
        let semicolon = usize::from(digits[len..].starts_with(';'));
        let prefix = 1 + usize::from(hex);
        let c = match value {
            0 => '\u{fffd}',
            0x80..=0x9f => CP1252_HIGH[(value - 0x80) as usize],
            v => char::from_u32(v).unwrap_or('\u{fffd}'),
        };
        return (c, at + 1 + prefix + len + semicolon);
    }
    let len = rest.bytes().take(32).take_while(u8::is_ascii_alphanumeric).count();
    let name = &rest[..len];
    if rest[len..].starts_with(';')
        && let Some(c) = named_entity(name)
    {
        return (c, at + 1 + len + 1);
    }
    // Browsers accept these few without the semicolon, even when letters follow (`&lt3`).
    for legacy in ["nbsp", "quot", "copy", "amp", "reg", "lt", "gt"] {
        if name.starts_with(legacy)
            && let Some(c) = named_entity(legacy)
        {
            return (c, at + 1 + legacy.len());
        }
    }
    literal
}

/// The Latin-1 named references, for U+00A0 to U+00FF in order.
const LATIN1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo", "not", "shy",
    "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil", "sup1", "ordm",
    "raquo", "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig",
    "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve",
    "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN",
    "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc",
    "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml",
    "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
];

fn named_entity(name: &str) -> Option<char> {
    if let Some(i) = LATIN1.iter().position(|&n| n == name) {
        return char::from_u32(0xa0 + i as u32);
    }
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "OElig" => 'Œ',
        "oelig" => 'œ',
        "Scaron" => 'Š',
        "scaron" => 'š',
        "Yuml" => 'Ÿ',
        "fnof" => 'ƒ',
        "circ" => 'ˆ',
        "tilde" => '˜',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "hyphen" | "dash" => '‐',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "dagger" => '†',
        "Dagger" => '‡',
        "bull" => '•',
        "hellip" => '…',
        "permil" => '‰',
        "prime" => '′',
        "Prime" => '″',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "oline" => '‾',
        "frasl" => '⁄',
        "euro" => '€',
        "trade" => '™',
        "larr" => '←',
        "uarr" => '↑',
        "rarr" => '→',
        "darr" => '↓',
        "harr" => '↔',
        "minus" => '−',
        "ne" => '≠',
        "le" => '≤',
        "ge" => '≥',
        "asymp" => '≈',
        "infin" => '∞',
        "Tab" => '\t',
        "NewLine" => '\n',
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn visible_text_cases() {
        let cases: &[(&str, &str)] = &[
            ("<p>One</p><p>Two</p>", "One\n\nTwo"),
            ("plain   text\n across\tlines", "plain text across lines"),
            (
                "<h1>Title</h1>Body<br>next line<br/>last",
                "Title\n\nBody\nnext line\nlast",
            ),
            (
                "<!DOCTYPE html><html><head><title>T</title><meta charset=utf-8><style>p{color:red}</style><script>var x = '<p>no</p>';</script></head><body><p>Yes</p></body></html>",
                "Yes",
            ),
            ("a<!-- hidden <p>comment</p> -->b<!---->c<!-->d", "abcd"),
            ("<script type=text/javascript>if (a < b) {}</SCRIPT >after", "after"),
            (
                "<template><p>inert</p></template><noscript>Enable JS</noscript>shown",
                "shown",
            ),
            (
                "<video src=a.mp4>Your browser cannot play it.</video><canvas>fallback</canvas><progress value=1>50%</progress>shown",
                "shown",
            ),
            (
                "&amp; &lt;b&gt; &quot;q&quot; &#39;s&#39; &apos; &#x2019; &#8220;x&#8221; &eacute; &hellip; &mdash; &euro;",
                "& <b> \"q\" 's' ' ’ “x” é … — €",
            ),
            ("a&nbsp;&nbsp;b&nbsp;", "a b"),
            ("&#146;&#150;&#0;&#xD800;&#99999999;", "’–\u{fffd}\u{fffd}\u{fffd}"),
            ("AT&T &unknown; &amp &copy 5 &lt3 &", "AT&T &unknown; & © 5 <3 &"),
            ("a < b and c > d", "a < b and c > d"),
            ("<ul><li>first</li><li>second<li>third</ul>", "first\n\nsecond\n\nthird"),
            (
                "<table><tr><th>Job</th><th>Power</th></tr><tr><td><p>General Secretary</p></td><td><p>kept files</p><p>on every member</p></td></tr></table>After",
                "Job\tPower\n\nGeneral Secretary\tkept files\non every member\n\nAfter",
            ),
            ("<pre>  keep\n    this</pre>then", "  keep\n    this\n\nthen"),
            (
                "<p hidden>secret</p><div style=\"display: none\">gone <b>too</b></div><span style='visibility:hidden'>x</span>shown",
                "shown",
            ),
            // A hidden element never closed hides the rest, as in a browser; a `/>` does not
            // close it.
            ("shown<div hidden>start<p>more", "shown"),
            ("shown<span style=\"display:none\"/>more", "shown"),
            ("a<img hidden src=x>b<br hidden/>c", "ab\nc"),
            // But a head or template never closed hides nothing.
            ("<template>start<p>more", "start\n\nmore"),
            (
                "<span style=\"visibility: collapse\">a</span><span style=\"content-visibility:hidden\">b</span><dialog>c</dialog><dialog open>d</dialog>",
                "d",
            ),
            // Nested elements of the same name inside a hidden one.
            ("<div hidden><div>in</div>still hidden</div>out", "out"),
            // A head left open ends at the first body content.
            ("<html><head><title>x</title><p>Answer</p>", "Answer"),
            ("<head><meta charset=utf-8>Answer text", "Answer text"),
            // Word's conditional comments and data islands.
            (
                "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]--><p class=MsoNormal>Text<o:p></o:p></p>",
                "Text",
            ),
            ("<p>unterminated <b", "unterminated"),
            ("<P CLASS=x>Upper</P><DIV>case</DIV>", "Upper\n\ncase"),
            ("<a href=\"x>y\" title='a>b'>link</a> text", "link text"),
            ("", ""),
        ];
        for (html, expected) in cases {
            assert_eq!(visible_text(html), *expected, "{html}");
        }
    }

    #[test]
    fn style_sheet_rules_hide() {
        let cases: &[(&str, &str)] = &[
            (
                "<style>.h { display: none }</style><p>a</p><span class=\"x h\">b</span><p id=s>c</p>d<style>#s{visibility:hidden}</style>",
                "a\n\nd",
            ),
            // For print only, a pseudo-element, in a comment, quoted: nothing hidden.
            (
                "<style>@media print { .p { display: none } } .q::before, .q:after { display: none } /* .r { display: none } */ .s { content: \"}\" ; color: red }</style><span class=p>p</span> <span class=q>q</span> <span class=r>r</span> <span class=s>s</span>",
                "p q r s",
            ),
            // For screens, nested, after descendant combinators, by type, with pseudo-classes.
            (
                "<style>@media screen { @supports (display: grid) { div > .m { display: none } } } em:not(.keep) { visibility: collapse } [data-x] { display: none }</style>a <b class=m>m</b> <em>e</em> <i data-x>c</i>",
                "a c",
            ),
            // An element that may be hidden is taken for hidden (here, with the first class
            // of a selector); an id that differs is not.
            (
                "<style>.hide.twice { display: none } #only { display: none }</style><span class=hide>a</span> <span class=\"twice\">b</span> <span id=other>c</span>",
                "b c",
            ),
        ];
        for (html, expected) in cases {
            assert_eq!(visible_text(html), *expected, "{html}");
        }
    }

    #[test]
    fn the_libreoffice_fixture() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/office/answer.html");
        let source = crate::text::read::read_path(&path, &crate::text::read::Limits::default()).expect("reads");
        assert_eq!(source.format, crate::text::read::Format::Text);
        let text = source.text;
        assert!(
            text.starts_with("Sam Student, Year 9 History\n\nHow Stalin rose up the Bolshevik ranks\n\n"),
            "{text}"
        );
        assert!(
            text.contains("\n\nStalin used patronage: he gave jobs to his friends, who owed him.\n\n"),
            "{text}"
        );
        assert!(
            text.contains("\n\nGeneral Secretary\tkept files on every member\n\n"),
            "{text}"
        );
        assert!(text.contains("Lenin’s “true follower”"), "{text}");
        assert!(!text.contains("line-height"), "{text}");
    }

    #[test]
    fn pseudo_random_markup_never_panics() {
        let pieces = [
            "<",
            ">",
            "</",
            "<!--",
            "-->",
            "<!",
            "&",
            "#",
            "x",
            ";",
            "p",
            "div",
            "script",
            "td",
            "tr",
            "table",
            "'",
            "\"",
            "=",
            " ",
            "\n",
            "é",
            "’",
            "😀",
            "hidden",
            "head",
            "pre",
            "/",
            "amp",
            "nbsp",
            "&#x",
            "9",
            "style",
            "{display:none}",
            ".h",
            "class=h",
            "@media",
            "/*",
            "*/",
            "::",
            "(",
            ")",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..2000 {
            let mut html = String::new();
            for _ in 0..40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                html.push_str(pieces[usize::try_from(seed % pieces.len() as u64).expect("small")]);
            }
            let text = visible_text(&html);
            assert!(text.len() <= 2 * html.len(), "{html:?}");
        }
    }

    #[test]
    fn long_inputs_stay_linear() {
        // Many unclosed comments, tags and references, and long runs of elements: no quadratic
        // blow-up (the run ends; `cargo test` would hang), no panic, and the text a browser shows.
        let nasty = "<!--".repeat(20_000) + &"<a ".repeat(20_000) + &"&#".repeat(20_000) + &"</".repeat(20_000);
        // An unclosed comment, tag or hiding element hides everything after it.
        for hidden in [
            nasty,
            "<div hidden>".repeat(20_000),
            "<script>".repeat(20_000),
            "<a ".repeat(20_000),
            "Stalin <!--".repeat(20_000),
        ] {
            let shown = visible_text(&hidden);
            let expected = if hidden.starts_with("Stalin") { "Stalin" } else { "" };
            assert_eq!(shown, expected, "{:?}", &hidden[..20]);
        }
        // A `&#` that is no reference and a `</` that is no tag are text, kept as written.
        assert_eq!(visible_text(&"&#".repeat(20_000)), "&#".repeat(20_000));
        assert_eq!(
            visible_text(&("&#".repeat(20_000) + " Stalin")),
            "&#".repeat(20_000) + " Stalin"
        );
        assert_eq!(visible_text(&"</".repeat(20_000)), "</".repeat(20_000));
        // Every paragraph, every word once, the hidden ones left out.
        let paragraphs = vec!["Stalin"; 20_000].join("\n\n");
        assert_eq!(visible_text(&"<p>Stalin".repeat(20_000)), paragraphs);
        let words = vec!["Stalin"; 20_000].join(" ");
        assert_eq!(visible_text(&"<b>Stalin ".repeat(20_000)), words);
        assert_eq!(visible_text(&"<div hidden>Trotsky</div>Stalin ".repeat(20_000)), words);
    }
}
