//! Negative contractions read as two words: "wouldn't" is "would" + "not", "won't" "will" +
//! "not", "can't" and "cannot" "can" + "not", in answers and in cues alike, so that a cue
//! `would` finds "wouldn't", a cue "could not read" finds "couldn't read" and the other way
//! round, and the "not" negates what follows it as a written "not" does. The two words keep
//! their places in the text ("would" is the bytes `would`, "not" the bytes `n't`). Spellings
//! without the apostrophe ("wouldnt", "dont", "wont", "cant"), as transcriptions of handwriting
//! have them, are read the same, and so are misspelt ones with the apostrophe ("dosen't",
//! "did'nt"). "ain't" is left as it is (a negation word of its own).
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
/// the first as read when it is not read as written (the second is "not", from there to the
/// end). `None` for any other word. With an apostrophe, any word of two letters or more before
/// "n't" is read so, misspelt ("dosen't": "dosen" "not") or with the apostrophe out of place
/// ("did'nt", "could'nt"); without one, only the words of [`HEADS`] ("wont", "dont", but not
/// "want" or "student").
pub(super) fn contraction(word: &str) -> Option<(usize, Option<&'static str>)> {
    if !may_contract(word) || word.len() > 24 {
        return None;
    }
    if word.eq_ignore_ascii_case("cannot") {
        return Some((3, Some("can")));
    }
    let known = |head: &str| {
        HEADS
            .iter()
            .find(|(written, _)| written.eq_ignore_ascii_case(head))
            .map(|&(_, read)| read)
    };
    let body = &word[..word.len() - 1];
    // "n't" (any apostrophe), "'nt", or "nt".
    let (head, apostrophe) = match body.strip_suffix(APOSTROPHES) {
        Some(before) => (before.strip_suffix(['n', 'N'])?, true),
        None => {
            let before = body.strip_suffix(['n', 'N'])?;
            match before.strip_suffix(APOSTROPHES) {
                Some(head) => (head, true),
                None => (before, false),
            }
        }
    };
    match known(head) {
        Some(read) => Some((head.len(), Some(read))),
        None if apostrophe
            && head.chars().count() >= 2
            && head.chars().all(char::is_alphabetic)
            && !head.eq_ignore_ascii_case("ai") =>
        {
            Some((head.len(), None))
        }
        None => None,
    }
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
            // Misspelt, or the apostrophe out of place: read as written, then "not".
            ("dosen't", Some(("dose", "dose"))),
            ("did'nt", Some(("did", "did"))),
            ("Could’nt", Some(("Could", "could"))),
            ("does'nt", Some(("does", "does"))),
            // Not contractions.
            ("ain't", None),
            ("want", None),
            ("went", None),
            ("paint", None),
            ("student", None),
            ("dosent", None),
            ("isn't've", None),
            ("x'nt", None),
            ("n't", None),
            ("'nt", None),
            ("not", None),
            ("t", None),
            ("", None),
        ];
        for &(word, want) in cases {
            let got = contraction(word).map(|(len, read)| {
                let written = &word[..len];
                (written, read.map_or_else(|| written.to_lowercase(), String::from))
            });
            let want = want.map(|(w, r)| (w, r.to_string()));
            assert_eq!(got, want, "{word}");
        }
    }
}

/// The elided articles and particles of French and Italian, lower case, without their
/// apostrophe: "l'appareil" is "l'" + "appareil", "qu'il" "qu'" + "il", "dell'esercito" "dell'" +
/// "esercito".
const ELIDED: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "dell", "all", "dall", "nell",
    "sull", "coll", "quell", "quest", "un", "sant",
];

/// An elision ("l'appareil", "n'a", "dell'esercito") read as two words: the length in bytes
/// of the elided word with its apostrophe. The word after it must have two letters or more (so
/// "d'" alone, or "l'a" in a name, stay whole). In every language alike: answers and cues are
/// split the same way whatever the rubric's language, and no English word starts so.
pub(super) fn elision(word: &str) -> Option<usize> {
    let (at, apostrophe) = word.char_indices().find(|&(_, c)| APOSTROPHES.contains(&c))?;
    let head = &word[..at];
    if head.is_empty() || head.len() > 6 || !ELIDED.iter().any(|e| e.eq_ignore_ascii_case(head)) {
        return None;
    }
    let cut = at + apostrophe.len_utf8();
    let rest = &word[cut..];
    (rest.chars().take(2).filter(|c| c.is_alphabetic()).count() == 2).then_some(cut)
}

#[cfg(test)]
mod elision_tests {
    use super::elision;

    #[test]
    fn elided_words_are_cut_after_their_apostrophe() {
        for (word, cut) in [
            ("l'appareil", Some(2)),
            ("L\u{2019}appareil", Some(4)),
            ("n'a", None),
            ("n'avait", Some(2)),
            ("qu'il", Some(3)),
            ("dell'esercito", Some(5)),
            ("d'", None),
            ("people's", None),
            ("o'clock", None),
            ("don't", None),
            ("appareil", None),
        ] {
            assert_eq!(elision(word), cut, "{word}");
        }
    }
}
