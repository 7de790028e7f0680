//! Reading answers and turning them into tokens: decode the bytes, mask markup, segment into
//! sentences and words, normalise and stem each word, keeping byte offsets into the original.
pub mod confusables;
pub mod decode;
pub mod formats;
pub mod hash;
pub mod html;
pub mod items;
pub mod lang;
pub mod lang_words;
pub mod limits;
pub mod lines;
pub mod markdown;
pub mod office;
pub mod pdf;
pub mod read;
pub mod segment;
pub mod tokens;

/// For unit tests: checks `f` on a table of cases, each an input and the output it must give,
/// naming the input of a case that fails.
#[cfg(test)]
#[track_caller]
pub(crate) fn assert_cases<I, O, E>(f: impl Fn(I) -> O, cases: &[(I, E)])
where
    I: Copy + std::fmt::Debug,
    O: PartialEq<E> + std::fmt::Debug,
    E: std::fmt::Debug,
{
    for (input, expected) in cases {
        assert_eq!(f(*input), *expected, "{input:?}");
    }
}
