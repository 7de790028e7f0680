//! Reading answers and turning them into tokens: decode the bytes, mask markup, segment into
//! sentences and words, normalise and stem each word, keeping byte offsets into the original.
pub mod confusables;
pub mod decode;
pub mod formats;
pub mod hash;
pub mod html;
pub mod lang;
pub mod limits;
pub mod lines;
pub mod markdown;
pub mod office;
pub mod read;
pub mod segment;
pub mod tokens;
