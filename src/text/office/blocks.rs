//! Laying out the text: the block builder both formats feed (paragraphs, table rows, notes,
//! headers and footers), as the module documentation of [`super`] describes.

use crate::text::limits::Limits;

/// An open container while a part is read.
#[derive(Debug)]
pub(super) enum Frame {
    /// A paragraph or heading: its text so far.
    Para(String),
    /// A table cell: its paragraphs.
    Cell(Vec<String>),
    /// A table row: its cells.
    Row(Vec<String>),
    /// An ODF footnote or endnote: its paragraphs.
    Note { endnote: bool, blocks: Vec<String> },
}

/// Collects blocks of text (paragraphs and table rows) as the parser walks a part.
#[derive(Debug)]
pub(super) struct Builder {
    pub(super) stack: Vec<Frame>,
    pub(super) blocks: Vec<String>,
    pub(super) footnotes: Vec<String>,
    pub(super) endnotes: Vec<String>,
    /// Bytes of text collected so far.
    pub(super) size: u64,
    /// Most bytes of text allowed.
    pub(super) limit: u64,
    /// Text the reader of the document would not see was met: hidden text (left out), or text
    /// kept but white or tiny ([`super::Extracted::concealed`]).
    pub(super) concealed: bool,
}

impl Builder {
    pub(super) fn new(limit: u64) -> Builder {
        Builder {
            stack: Vec::new(),
            blocks: Vec::new(),
            footnotes: Vec::new(),
            endnotes: Vec::new(),
            size: 0,
            limit,
            concealed: false,
        }
    }

    pub(super) fn full(&self) -> Option<u64> {
        (self.size > self.limit).then_some(self.size)
    }

    /// The paragraph text is being added to, if the innermost container is one.
    pub(super) fn para(&mut self) -> Option<&mut String> {
        match self.stack.last_mut() {
            Some(Frame::Para(p)) => Some(p),
            _ => None,
        }
    }

    pub(super) fn push_str(&mut self, s: &str) {
        if let Some(p) = self.para() {
            p.push_str(s);
            self.size += s.len() as u64;
        }
    }

    pub(super) fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    pub(super) fn start_para(&mut self) {
        self.stack.push(Frame::Para(String::new()));
    }

    pub(super) fn end_para(&mut self) {
        if let Some(Frame::Para(text)) = self.stack.pop_if(|f| matches!(f, Frame::Para(_))) {
            self.emit(text);
        }
    }

    pub(super) fn start_cell(&mut self) {
        self.stack.push(Frame::Cell(Vec::new()));
    }

    pub(super) fn end_cell(&mut self) {
        if let Some(Frame::Cell(paras)) = self.stack.pop_if(|f| matches!(f, Frame::Cell(_))) {
            self.emit(paras.join("\n"));
        }
    }

    pub(super) fn start_row(&mut self) {
        self.stack.push(Frame::Row(Vec::new()));
    }

    pub(super) fn end_row(&mut self) {
        if let Some(Frame::Row(cells)) = self.stack.pop_if(|f| matches!(f, Frame::Row(_))) {
            self.emit(cells.join("\t"));
        }
    }

    pub(super) fn start_note(&mut self, endnote: bool) {
        self.stack.push(Frame::Note {
            endnote,
            blocks: Vec::new(),
        });
    }

    pub(super) fn end_note(&mut self) {
        if let Some(Frame::Note { endnote, blocks }) = self.stack.pop_if(|f| matches!(f, Frame::Note { .. })) {
            if endnote {
                self.endnotes.extend(blocks);
            } else {
                self.footnotes.extend(blocks);
            }
        }
    }

    /// Adds a finished block to the container it belongs to: a cell, a row (as a cell), a note,
    /// or the part itself. A paragraph inside a paragraph (a text box) is a block of its own.
    pub(super) fn emit(&mut self, text: String) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let text = text.to_owned();
        for frame in self.stack.iter_mut().rev() {
            match frame {
                Frame::Cell(items) | Frame::Row(items) | Frame::Note { blocks: items, .. } => {
                    items.push(text);
                    return;
                }
                Frame::Para(_) => {}
            }
        }
        self.blocks.push(text);
    }

    /// Where a paragraph about to start would leave its text and that of what it holds (text
    /// boxes, notes), so that it can be taken back ([`Builder::discard_para`]).
    pub(super) fn checkpoint(&self) -> Checkpoint {
        let container = self.stack.iter().rposition(|f| !matches!(f, Frame::Para(_)));
        let items = match container.and_then(|i| self.stack.get(i)) {
            Some(Frame::Cell(items) | Frame::Row(items) | Frame::Note { blocks: items, .. }) => items.len(),
            _ => self.blocks.len(),
        };
        Checkpoint {
            container,
            items,
            footnotes: self.footnotes.len(),
            endnotes: self.endnotes.len(),
        }
    }

    /// Ends the innermost paragraph, started at `at`, leaving out its text and everything that
    /// came from inside it.
    pub(super) fn discard_para(&mut self, at: Checkpoint) {
        if self.stack.pop_if(|f| matches!(f, Frame::Para(_))).is_none() {
            return;
        }
        match at.container.and_then(|i| self.stack.get_mut(i)) {
            Some(Frame::Cell(items) | Frame::Row(items) | Frame::Note { blocks: items, .. }) => {
                items.truncate(at.items)
            }
            _ => self.blocks.truncate(at.items),
        }
        self.footnotes.truncate(at.footnotes);
        self.endnotes.truncate(at.endnotes);
    }

    /// The part's blocks, then its footnotes, then its endnotes.
    pub(super) fn finish(mut self) -> Vec<String> {
        self.blocks.append(&mut self.footnotes);
        self.blocks.append(&mut self.endnotes);
        self.blocks
    }
}

/// How much text the containers of a [`Builder`] held when a paragraph started.
#[derive(Debug, Clone, Copy)]
pub(super) struct Checkpoint {
    /// The innermost container that is not a paragraph (`None`: the part itself).
    pub(super) container: Option<usize>,
    /// The blocks it held.
    pub(super) items: usize,
    pub(super) footnotes: usize,
    pub(super) endnotes: usize,
}

/// Adds the blocks of a header or footer unless the same text was already added.
pub(super) fn add_unique(out: &mut Vec<String>, seen: &mut Vec<String>, blocks: Vec<String>) {
    let joined = blocks.join("\n\n");
    if joined.is_empty() || seen.contains(&joined) {
        return;
    }
    seen.push(joined);
    out.extend(blocks);
}

pub(super) fn remaining_text(limits: &Limits, blocks: &[String]) -> u64 {
    let used: u64 = blocks.iter().map(|b| b.len() as u64 + 2).sum();
    limits.max_bytes.saturating_sub(used)
}
