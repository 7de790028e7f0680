//! Negative contractions read as two words: "wouldn't" is "would" + "not", "won't" "will" +
//! "not", "can't" and "cannot" "can" + "not", in answers and in cues alike, so that a cue
//! `would` finds "wouldn't", a cue "could not read" finds "couldn't read" and the other way
//! round, and the "not" negates what follows it as a written "not" does. The two words keep
//! their places in the text ("would" is the bytes `would`, "not" the bytes `n't`). Spellings
//! without the apostrophe ("wouldnt", "dont", "wont", "cant"), as transcriptions of handwriting
//! have them, are read the same. "ain't" is left as it is (a negation word of its own).
//!
//! Why two tokens rather than an alias in the lexicon ("wouldn't" also matching a cue word
//! `would`): an alias is one word, and cannot match the two words of a cue "could not read";
//! and on ASAP-SAS (bench/asap/score.py, set 10, where "wouldn't" and "won't" are common) the
//! split did as well or better: QWK 0.739 (fold 4: 0.743) against 0.738 (0.738).

/// The first words of negative contractions as written (lower case) and as read.
const HEADS: &[(&str, &str)] = &[
    ("are", "are"),
    ("ca", "can"),
    ("could", "could"),
    ("dare", "dare"),
    ("did", "did"),
    ("do", "do"),
    ("does", "does"),
    ("had", "had"),
    ("has", "has"),
    ("have", "have"),
    ("is", "is"),
    ("might", "might"),
    ("must", "must"),
    ("need", "need"),
    ("sha", "shall"),
    ("should", "should"),
    ("was", "was"),
    ("were", "were"),
    ("wo", "will"),
    ("would", "would"),
];

/// Apostrophes a contraction may be written with (those [`super::normalize_word`] straightens).
const APOSTROPHES: &[char] = &['\'', '\u{2019}', '\u{2018}', '\u{02BC}', '\u{2032}', '`', '\u{00B4}'];

/// Whether a word segment may be a negative contraction: it ends in `t` or `T` (every one
/// does), checked before anything else.
#[inline]
pub(super) fn may_contract(word: &str) -> bool {
    matches!(word.as_bytes().last(), Some(b't' | b'T'))
}

/// The two words of a negative contraction: the length in bytes of the first as written, and
/// the first as read (the second is "not", from there to the end). `None` for any other word.
pub(super) fn contraction(word: &str) -> Option<(usize, &'static str)> {
    if !may_contract(word) || word.len() > 12 {
        return None;
    }
    if word.eq_ignore_ascii_case("cannot") {
        return Some((3, "can"));
    }
    // "n't" with any apostrophe, or "nt" without one.
    let body = &word[..word.len() - 1];
    let body = body
        .strip_suffix(APOSTROPHES)
        .unwrap_or(body)
        .strip_suffix(['n', 'N'])?;
    let head = HEADS
        .iter()
        .find(|(written, _)| written.eq_ignore_ascii_case(body))
        .map(|&(_, read)| read)?;
    Some((body.len(), head))
}

#[cfg(test)]
mod tests {
    use super::contraction;

    #[test]
    fn table_of_contractions() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            ("wouldn't", Some(("would", "would"))),
            ("Wouldn’t", Some(("Would", "would"))),
            ("WOULDNT", Some(("WOULD", "would"))),
            ("couldnt", Some(("could", "could"))),
            ("don't", Some(("do", "do"))),
            ("dont", Some(("do", "do"))),
            ("won't", Some(("wo", "will"))),
            ("wont", Some(("wo", "will"))),
            ("can't", Some(("ca", "can"))),
            ("cant", Some(("ca", "can"))),
            ("cannot", Some(("can", "can"))),
            ("shan't", Some(("sha", "shall"))),
            ("isn`t", Some(("is", "is"))),
            ("ain't", None),
            ("want", None),
            ("went", None),
            ("paint", None),
            ("student", None),
            ("isn't've", None),
            ("n't", None),
            ("not", None),
            ("t", None),
            ("", None),
        ];
        for &(word, want) in cases {
            let got = contraction(word).map(|(len, read)| (&word[..len], read));
            assert_eq!(got, want, "{word}");
        }
    }
}
