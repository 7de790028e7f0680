//! The XML driver every part is streamed through: namespaces, attributes, the [`Handler`] each
//! format implements, and the refusals (a document type declaration, nesting too deep, characters
//! XML does not allow). Knows nothing of zip archives but the [`Exceeded`] error their guard
//! raises through it.

use std::fmt;
use std::io::BufRead;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

/// Deepest element nesting accepted in a part; real documents stay well under 50.
pub(super) const MAX_DEPTH: usize = 512;

/// Why unpacking stopped early; carried through the XML parser as an I/O error.
#[derive(Debug)]
pub(super) struct Exceeded(pub(super) String);

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Exceeded {}

/// The namespaces the extractors care about; everything else is [`Ns::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    /// WordprocessingML (transitional or strict).
    W,
    /// Markup compatibility (`mc:AlternateContent`).
    Mc,
    /// Package relationships.
    Rels,
    /// ODF `text:`.
    Text,
    /// ODF `table:`.
    Table,
    /// ODF `office:`.
    Office,
    /// ODF `style:`.
    Style,
    /// ODF `svg:` (titles and descriptions of drawings).
    Svg,
    /// ODF manifest.
    Manifest,
    Other,
}

pub(super) fn namespace(resolved: &ResolveResult<'_>) -> Ns {
    let ResolveResult::Bound(ns) = resolved else {
        return Ns::Other;
    };
    match ns.0 {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        | "http://purl.oclc.org/ooxml/wordprocessingml/main" => Ns::W,
        "http://schemas.openxmlformats.org/markup-compatibility/2006" => Ns::Mc,
        "http://schemas.openxmlformats.org/package/2006/relationships" => Ns::Rels,
        "urn:oasis:names:tc:opendocument:xmlns:text:1.0" => Ns::Text,
        "urn:oasis:names:tc:opendocument:xmlns:table:1.0" => Ns::Table,
        "urn:oasis:names:tc:opendocument:xmlns:office:1.0" => Ns::Office,
        "urn:oasis:names:tc:opendocument:xmlns:style:1.0" => Ns::Style,
        "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" => Ns::Svg,
        "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" => Ns::Manifest,
        _ => Ns::Other,
    }
}

/// The value of the attribute whose local name is `local` (any prefix).
pub(super) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = a.key.0;
        let key_local = key.rsplit(':').next().unwrap_or(key);
        (key_local == local).then(|| a.value.into_owned())
    })
}

/// What the extractors do with the parser's events. Elements come as `start` then `end` (an
/// empty element too); returning `false` from `start` skips the element and all it contains.
pub(super) trait Handler {
    fn start(&mut self, ns: Ns, local: &str, e: &BytesStart<'_>) -> bool;
    fn end(&mut self, ns: Ns, local: &str);
    fn text(&mut self, text: &str);
    /// Bytes of text produced, when past the limit.
    fn full(&self) -> Option<u64> {
        None
    }
    /// Called just before `start` for an `mc:Choice`: whether Word understands every namespace
    /// it requires ([`understood`]).
    fn choice(&mut self, _understood: bool) {}
}

/// The namespaces of markup compatibility choices that Word understands (Office 2010 and later);
/// a choice that requires another one is not what Word shows, its fallback is.
pub(super) const UNDERSTOOD: &[&str] = &[
    "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingInk",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    "http://schemas.microsoft.com/office/word/2010/wordml",
    "http://schemas.microsoft.com/office/word/2012/wordml",
    "http://schemas.microsoft.com/office/word/2015/wordml/symex",
    "http://schemas.microsoft.com/office/word/2016/wordml/cid",
    "http://schemas.microsoft.com/office/word/2018/wordml",
    "http://schemas.microsoft.com/office/word/2018/wordml/cex",
    "http://schemas.microsoft.com/office/word/2020/wordml/sdtdatahash",
    "http://schemas.microsoft.com/office/word/2023/wordml/word16du",
    "http://schemas.microsoft.com/office/word/2006/wordml",
    "http://schemas.microsoft.com/office/drawing/2010/main",
    "http://schemas.microsoft.com/office/drawing/2014/chartex",
    "http://schemas.microsoft.com/office/drawing/2016/ink",
    "http://schemas.microsoft.com/office/drawing/2017/model3d",
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "urn:schemas-microsoft-com:vml",
    "urn:schemas-microsoft-com:office:office",
    "urn:schemas-microsoft-com:office:word",
];

/// Whether every prefix in the `Requires` attribute of an `mc:Choice` is bound to a namespace
/// Word understands ([`UNDERSTOOD`]).
pub(super) fn understood(resolver: &quick_xml::name::NamespaceResolver, e: &BytesStart<'_>) -> bool {
    let requires = attr(e, "Requires").unwrap_or_default();
    requires.split_ascii_whitespace().all(|prefix| {
        let qname = format!("{prefix}:x");
        matches!(
            resolver.resolve_prefix(quick_xml::name::QName(&qname).prefix(), false),
            ResolveResult::Bound(ns) if UNDERSTOOD.contains(&ns.0)
        )
    })
}

pub(super) enum Failure {
    /// Not well-formed, or refused (a DTD, too deep).
    Xml(String),
    /// The entry could not be unpacked (a damaged deflate stream, a bad CRC...).
    Io(String),
    /// The [`Guard`] stopped unpacking: why.
    Exceeded(String),
    /// The text is larger than allowed: the size reached.
    Full(u64),
}

pub(super) fn xml_failure(error: quick_xml::Error) -> Failure {
    match error {
        quick_xml::Error::Io(e) => match e.get_ref().and_then(|inner| inner.downcast_ref::<Exceeded>()) {
            Some(exceeded) => Failure::Exceeded(exceeded.0.clone()),
            None => Failure::Io(e.to_string()),
        },
        other => Failure::Xml(other.to_string()),
    }
}

/// Characters XML 1.0 does not allow in content.
pub(super) fn illegal_char(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
}

/// Parses one part, checking what quick-xml leaves to its caller: exactly one root element, no
/// text outside it, everything closed at the end, no illegal characters, bounded nesting, and no
/// document type declaration. Entity references are resolved only for the five predefined
/// entities and character references; any other is passed on as written.
pub(super) fn parse_xml<R: BufRead>(input: R, handler: &mut impl Handler) -> Result<(), Failure> {
    let mut reader = NsReader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut seen_root = false;
    // Depth of the element being skipped, if any.
    let mut skip: Option<usize> = None;
    loop {
        buf.clear();
        let (resolved, event) = reader.read_resolved_event_into(&mut buf).map_err(xml_failure)?;
        let ns = namespace(&resolved);
        let is_empty_tag = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let is_empty = is_empty_tag;
                if depth == 0 {
                    if seen_root {
                        return Err(Failure::Xml("more than one root element".into()));
                    }
                    seen_root = true;
                }
                let local = e.local_name();
                let local = local.as_ref();
                if !is_empty {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(Failure::Xml(format!("elements nested more than {MAX_DEPTH} deep")));
                    }
                }
                if skip.is_none() {
                    if ns == Ns::Mc && local == "Choice" {
                        handler.choice(understood(reader.resolver(), &e));
                    }
                    let descend = handler.start(ns, local, &e);
                    if is_empty {
                        if descend {
                            handler.end(ns, local);
                        }
                    } else if !descend {
                        skip = Some(depth);
                    }
                }
            }
            Event::End(e) => {
                if skip == Some(depth) {
                    skip = None;
                } else if skip.is_none() {
                    let local = e.local_name();
                    handler.end(ns, local.as_ref());
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                if let Some(c) = illegal_char(&text) {
                    return Err(Failure::Xml(format!("illegal character U+{:04X}", u32::from(c))));
                }
                if depth == 0 {
                    if !text.trim_ascii().is_empty() {
                        return Err(Failure::Xml("text outside the root element".into()));
                    }
                } else if skip.is_none() {
                    handler.text(&text);
                }
            }
            Event::CData(t) => {
                let text = t.xml10_content();
                if depth == 0 {
                    return Err(Failure::Xml("CDATA outside the root element".into()));
                }
                if let Some(c) = illegal_char(&text) {
                    return Err(Failure::Xml(format!("illegal character U+{:04X}", u32::from(c))));
                }
                if skip.is_none() {
                    handler.text(&text);
                }
            }
            Event::GeneralRef(r) => {
                if depth == 0 {
                    return Err(Failure::Xml("a reference outside the root element".into()));
                }
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) if illegal_char(c.encode_utf8(&mut [0; 4])).is_some() => {
                        return Err(Failure::Xml(format!("illegal character reference &{};", &*r)));
                    }
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match &*r {
                        "lt" => "<".to_owned(),
                        "gt" => ">".to_owned(),
                        "amp" => "&".to_owned(),
                        "apos" => "'".to_owned(),
                        "quot" => "\"".to_owned(),
                        // Not predefined: never expanded, kept as written.
                        other => format!("&{other};"),
                    },
                    Err(e) => return Err(Failure::Xml(e.to_string())),
                };
                if skip.is_none() {
                    handler.text(&resolved);
                }
            }
            Event::Eof => {
                if depth > 0 {
                    return Err(Failure::Xml(
                        "the part ends before its elements are closed (truncated?)".into(),
                    ));
                }
                if !seen_root {
                    return Err(Failure::Xml("no root element (the part is empty)".into()));
                }
                return Ok(());
            }
            Event::DocType(_) => {
                return Err(Failure::Xml(
                    "it has a document type declaration (<!DOCTYPE>), which word processors never \
                     write; refused so that no entity in it is expanded or fetched"
                        .into(),
                ));
            }
            // Declarations, processing instructions and comments carry no text.
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
        if let Some(size) = handler.full() {
            return Err(Failure::Full(size));
        }
    }
}
