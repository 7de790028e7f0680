//! The little language of phrase cues.
//!
//! ```text
//! appoint|promote his allies      word alternatives
//! council of [the] commissars     optional words
//! (general secretary | gensec)    alternatives of several words (` | ` with spaces)
//! files | general secretary       the same at the top level
//! bureaucra*                      any word starting with "bureaucra"
//! =CPSU                           this word exactly: no word forms, no misspellings
//! @favours                        any phrase of the synonym set `favours`
//! ```
//! A phrase is expanded into its variants (every combination of alternatives); each variant is
//! a plain sequence of words, which is what the matcher looks for.

use std::collections::BTreeMap;

use crate::lexicon::TermKind;
use crate::text::tokens::words;

/// Variants above this number make a cue an error: it would be slow and is surely a mistake.
pub const MAX_VARIANTS: usize = 20_000;
/// Synonym sets may refer to other sets, this deep at most.
pub const MAX_DEPTH: usize = 8;

/// One word of a phrase variant, before it is given a term id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordPat {
    pub word: String,
    pub kind: TermKind,
}

/// A cue syntax error: where in the cue string and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueError {
    pub offset: usize,
    pub message: String,
}

/// Where synonym sets come from while expanding, and which were used.
pub struct Synonyms<'a> {
    pub sets: &'a BTreeMap<String, Vec<String>>,
    pub used: std::cell::RefCell<std::collections::BTreeSet<String>>,
}

type Variants = Vec<Vec<WordPat>>;

struct Parser<'s, 'a> {
    src: &'s str,
    pos: usize,
    exact: bool,
    synonyms: &'a Synonyms<'a>,
    depth: usize,
    stack: Vec<String>,
}

fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, CueError> {
    Err(CueError {
        offset,
        message: message.into(),
    })
}

fn product(a: Variants, b: &Variants, at: usize) -> Result<Variants, CueError> {
    if a.len().saturating_mul(b.len()) > MAX_VARIANTS {
        return err(
            at,
            format!("this cue expands to more than {MAX_VARIANTS} variants; split it into several cues"),
        );
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in &a {
        for y in b {
            let mut v = x.clone();
            v.extend(y.iter().cloned());
            out.push(v);
        }
    }
    Ok(out)
}

impl<'s, 'a> Parser<'s, 'a> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    /// sequence := item*, ending at `)` `]` `|` or the end.
    fn sequence(&mut self) -> Result<Variants, CueError> {
        let mut acc: Variants = vec![Vec::new()];
        loop {
            self.skip_space();
            match self.peek() {
                None | Some(')') | Some(']') | Some('|') => return Ok(acc),
                Some(_) => {
                    let at = self.pos;
                    let item = self.item()?;
                    acc = product(acc, &item, at)?;
                }
            }
        }
    }

    /// alternatives := sequence ('|' sequence)*
    fn alternatives(&mut self) -> Result<Variants, CueError> {
        let mut out = Vec::new();
        loop {
            let at = self.pos;
            let seq = self.sequence()?;
            if seq.iter().all(|v| v.is_empty()) {
                return err(at, "empty alternative: expected words between `|`, `(` and `)`");
            }
            out.extend(seq);
            if out.len() > MAX_VARIANTS {
                return err(at, format!("this cue expands to more than {MAX_VARIANTS} variants"));
            }
            if self.peek() == Some('|') {
                self.pos += 1;
            } else {
                return Ok(out);
            }
        }
    }

    fn item(&mut self) -> Result<Variants, CueError> {
        let start = self.pos;
        match self.peek() {
            Some(open @ ('(' | '[')) => {
                let close = if open == '(' { ')' } else { ']' };
                self.pos += 1;
                let mut alts = self.alternatives()?;
                if self.peek() != Some(close) {
                    return err(
                        self.pos,
                        format!(
                            "expected `{close}` to close the `{open}` at character {} of the cue",
                            self.src[..start].chars().count() + 1
                        ),
                    );
                }
                self.pos += 1;
                if open == '[' {
                    alts.push(Vec::new());
                }
                Ok(alts)
            }
            Some(')') | Some(']') => err(start, "unexpected closing bracket"),
            _ => self.word_alternatives(),
        }
    }

    /// word|word|@set — alternatives of single words, without spaces.
    fn word_alternatives(&mut self) -> Result<Variants, CueError> {
        let mut out = Vec::new();
        loop {
            let start = self.pos;
            while let Some(c) = self.peek() {
                if c.is_whitespace() || matches!(c, '|' | '(' | ')' | '[' | ']') {
                    break;
                }
                self.pos += c.len_utf8();
            }
            let raw = &self.src[start..self.pos];
            if raw.is_empty() {
                return err(start, "expected a word");
            }
            out.extend(self.word(raw, start)?);
            if out.len() > MAX_VARIANTS {
                return err(start, format!("this cue expands to more than {MAX_VARIANTS} variants"));
            }
            // `a|b` continues only when the next alternative follows without a space.
            if self.peek() == Some('|')
                && self.src[self.pos + 1..]
                    .chars()
                    .next()
                    .is_some_and(|c| !c.is_whitespace() && !matches!(c, '(' | '[' | ')' | ']' | '|'))
            {
                self.pos += 1;
            } else {
                return Ok(out);
            }
        }
    }

    fn word(&mut self, raw: &str, at: usize) -> Result<Variants, CueError> {
        if let Some(name) = raw.strip_prefix('@') {
            return self.synonym(name, at);
        }
        let (exact, body) = match raw.strip_prefix('=') {
            Some(b) => (true, b),
            None => (self.exact, raw),
        };
        let (prefix, body) = match body.strip_suffix('*') {
            Some(b) => (true, b),
            None => (false, body),
        };
        if body.contains('*') || body.contains('@') || body.contains('=') {
            return err(at, "`*` goes at the end of a word, `=` and `@` at its start");
        }
        let ws = words(body);
        if ws.is_empty() {
            return err(at, format!("`{raw}` has no letters or digits"));
        }
        if prefix && ws.len() > 1 {
            return err(at, "a `*` wildcard must end a single word");
        }
        if prefix && ws[0].chars().count() < 3 {
            return err(at, "a `*` wildcard needs at least 3 letters before it");
        }
        let kind = if prefix {
            TermKind::Prefix
        } else if exact {
            TermKind::Exact
        } else {
            TermKind::Stem
        };
        Ok(vec![ws.into_iter().map(|word| WordPat { word, kind }).collect()])
    }

    fn synonym(&mut self, name: &str, at: usize) -> Result<Variants, CueError> {
        let Some(entries) = self.synonyms.sets.get(name) else {
            let known: Vec<&str> = self.synonyms.sets.keys().map(String::as_str).collect();
            return err(
                at,
                if known.is_empty() {
                    format!("unknown synonym set `@{name}`: the rubric defines no [synonyms]")
                } else {
                    format!("unknown synonym set `@{name}`; defined: {}", known.join(", "))
                },
            );
        };
        if self.stack.iter().any(|s| s == name) {
            return err(
                at,
                format!(
                    "synonym set `@{name}` refers to itself (via {})",
                    self.stack.join(" -> ")
                ),
            );
        }
        if self.depth >= MAX_DEPTH {
            return err(at, format!("synonym sets nested deeper than {MAX_DEPTH}"));
        }
        self.synonyms.used.borrow_mut().insert(name.to_string());
        let mut out = Vec::new();
        for entry in entries {
            let mut sub = Parser {
                src: entry,
                pos: 0,
                exact: self.exact,
                synonyms: self.synonyms,
                depth: self.depth + 1,
                stack: self.stack.clone(),
            };
            sub.stack.push(name.to_string());
            let vs = sub.alternatives().map_err(|e| CueError {
                offset: at,
                message: format!("in synonym set `@{name}`, entry \"{entry}\": {}", e.message),
            })?;
            out.extend(vs);
            if out.len() > MAX_VARIANTS {
                return err(at, format!("`@{name}` expands to more than {MAX_VARIANTS} variants"));
            }
        }
        Ok(out)
    }
}

/// Parses a phrase cue into its variants.
pub fn parse_phrase(src: &str, exact: bool, synonyms: &Synonyms) -> Result<Vec<Vec<WordPat>>, CueError> {
    if src.trim().is_empty() {
        return err(0, "empty cue: expected at least one word");
    }
    let mut p = Parser {
        src,
        pos: 0,
        exact,
        synonyms,
        depth: 0,
        stack: Vec::new(),
    };
    let out = p.alternatives()?;
    if p.pos < src.len() {
        return err(p.pos, format!("unexpected `{}`", p.peek().unwrap_or(' ')));
    }
    if out.iter().any(|v| v.is_empty()) {
        return err(0, "every word of this cue is optional: it would match anything");
    }
    let mut out = out;
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Vec<String>, CueError> {
        let mut sets = BTreeMap::new();
        sets.insert(
            "favour".to_string(),
            vec!["favour".to_string(), "gave jobs".to_string()],
        );
        sets.insert("loop".to_string(), vec!["@loop".to_string()]);
        let syn = Synonyms {
            sets: &sets,
            used: Default::default(),
        };
        parse_phrase(src, false, &syn).map(|vs| {
            vs.iter()
                .map(|v| {
                    v.iter()
                        .map(|w| match w.kind {
                            TermKind::Exact => format!("={}", w.word),
                            TermKind::Prefix => format!("{}*", w.word),
                            TermKind::Stem => w.word.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        })
    }

    #[test]
    fn table_of_phrases() {
        let cases: &[(&str, &[&str])] = &[
            ("patronage", &["patronage"]),
            ("appoint|promote allies", &["appoint allies", "promote allies"]),
            (
                "council of [the] commissars",
                &["council of the commissars", "council of commissars"],
            ),
            (
                "(general secretary | gensec) 1922",
                &["general secretary 1922", "gensec 1922"],
            ),
            (
                "(general secretary|gensec) 1922",
                &["general secretary 1922", "general gensec 1922"],
            ),
            ("files | general secretary", &["files", "general secretary"]),
            ("bureaucra* =CPSU", &["bureaucra* =cpsu"]),
            ("@favour protégés", &["favour protégés", "gave jobs protégés"]),
            ("People’s Commissar", &["people's commissar"]),
            ("a | b", &["a", "b"]),
        ];
        for (src, want) in cases {
            let got = parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
            assert_eq!(got, want.iter().map(|w| w.to_string()).collect::<Vec<_>>(), "{src}");
        }
    }

    #[test]
    fn errors_say_where_and_what() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 0, "empty cue"),
            ("council (of", 11, "expected `)`"),
            ("foo ) bar", 4, "unexpected"),
            ("@nope", 0, "unknown synonym set `@nope`"),
            ("@loop", 0, "refers to itself"),
            ("b*", 0, "at least 3 letters"),
            ("[the]", 0, "every word of this cue is optional"),
            ("ab*c", 0, "`*` goes at the end"),
        ];
        for (src, offset, msg) in cases {
            let e = parse(src).expect_err(src);
            assert!(e.message.contains(msg), "{src}: {}", e.message);
            assert_eq!(e.offset, *offset, "{src}: {}", e.message);
        }
    }

    #[test]
    fn expansion_is_capped() {
        let many = "(a|b|c|d) (a|b|c|d) (a|b|c|d) (a|b|c|d) (a|b|c|d) (a|b|c|d) (a|b|c|d) (a|b|c|d)";
        assert!(parse(many).unwrap_err().message.contains("variants"));
    }
}
