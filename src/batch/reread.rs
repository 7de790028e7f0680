//! An answer file read again after marking. A [`super::Batch`] keeps no answer text; the
//! reports that show the text or need the document (the class page, the CI formats of
//! `rubric mark`) are given it read again, and told when the file changed since it was marked
//! ([`super::Marked::text_hash`]), when evidence offsets would no longer fit it.

use super::Entry;
use crate::text::read::{self, Limits, ReadError, Source};

/// What reading an answer file again found.
#[derive(Debug)]
pub enum Reread {
    /// The text that was marked.
    Same(Source),
    /// The file changed since it was marked (or was marked without its evidence): its text now.
    Changed(Source),
    /// The file could not be read.
    Failed(ReadError),
}

impl Entry<'_> {
    /// Reads this answer's file again.
    pub fn read_again(&self, limits: &Limits) -> Reread {
        // An empty answer was marked as an empty text.
        match read::read_path_noted(&self.path, limits).map(|(source, _)| source) {
            Ok(source)
                if self.marked().and_then(|m| m.text_hash)
                    == Some(crate::text::hash::bytes_hash(source.text.as_bytes())) =>
            {
                Reread::Same(source)
            }
            Ok(source) => Reread::Changed(source),
            Err(e) => Reread::Failed(e),
        }
    }
}
