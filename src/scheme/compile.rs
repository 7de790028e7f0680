//! Checks a parsed rubric file and compiles it into the form the matcher uses: phrase cues
//! expanded into word sequences of term ids, one shared [`Lexicon`], scoring settings resolved.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::cue::{self, Synonyms};
use super::error::{Diagnostic, RubricError};
use super::model::{self, Band, CueKind, CueSpec, RubricFile, Scope};
use crate::lexicon::echo::EchoIndex;
use crate::lexicon::source::SourceIndex;
use crate::lexicon::{Lexicon, TermId, TermKind};
use crate::text::lang::Language;
use crate::text::lines::LineIndex;

/// Default number of filler words allowed between the words of a phrase.
pub const DEFAULT_GAP: u32 = 2;
/// Default fraction of a point's marks earned when it is partly made.
pub const DEFAULT_PARTIAL_CREDIT: f64 = 0.5;
/// Nesting of `all`/`any` groups deeper than this is refused (by default: see [`RubricLimits`]).
pub const MAX_NESTING: usize = 8;
/// The deepest nesting of groups [`RubricLimits::max_nesting`] may allow: compiling and matching
/// a group recurses into its parts.
pub const MAX_NESTING_CEILING: usize = 32;
/// Longest cue string accepted, in characters: a phrase, an `unless` phrase or a synonym entry.
pub const MAX_CUE_CHARS: usize = 2_000;
/// Most words the cues of a rubric may expand to, counting each word of each variant of each
/// cue (alternatives, optional words and synonym sets multiply them): beyond this the rubric
/// would be slow to load and to match, and is surely generated wrong (by default: see
/// [`RubricLimits`]).
pub const MAX_CUE_WORDS: usize = 200_000;

/// Largest number of marks a rubric may write anywhere: a point's `marks` or `partial_marks`, a
/// band's `marks`, a question's or the rubric's `max`, an example's `score`. Marks are small
/// numbers (a point is worth a mark or a few, a test a hundred); a huge one is a typo, and
/// `1e308` summed made the total infinite ("Score inf / inf (NaN%)"). The total of many
/// questions may exceed it: summing bounded values stays finite.
pub const MAX_MARKS: f64 = 1000.0;

/// Largest rubric file read, in bytes: a hand-written rubric is a few KiB, a generated one of
/// 10,000 questions under 2 MiB; a path to a device or an endless file is refused at this size
/// rather than read until memory runs out.
pub const MAX_RUBRIC_BYTES: u64 = 16 * 1024 * 1024;

/// Bounds on what a rubric may ask of the machine; `--max-cue-words` and `--max-nesting` (of
/// `rubric check`, `lint` and `test`) raise them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RubricLimits {
    /// Most words the cues may expand to in all (`MAX_CUE_WORDS`, 200,000, by default).
    pub max_cue_words: usize,
    /// Deepest nesting of `all`/`any` groups (`MAX_NESTING`, 8, by default; at most
    /// `MAX_NESTING_CEILING`, 32, whatever is asked).
    pub max_nesting: usize,
}

impl Default for RubricLimits {
    fn default() -> Self {
        RubricLimits {
            max_cue_words: MAX_CUE_WORDS,
            max_nesting: MAX_NESTING,
        }
    }
}

/// A compiled rubric, ready to check answers.
#[derive(Debug)]
pub struct Rubric {
    pub path: Option<PathBuf>,
    pub title: String,
    pub language: Language,
    pub max: f64,
    pub partial_credit: f64,
    pub allow_reveal: bool,
    /// How the total score is rounded to a whole mark ([`crate::scheme::Rounding`]).
    pub rounding: super::Rounding,
    pub bands: Vec<Band>,
    pub questions: Vec<Question>,
    pub examples: Vec<Example>,
    pub lexicon: Lexicon,
    pub echo: EchoIndex,
    /// The runs of the reading passage (`source`, `source_text`), if the rubric names one.
    pub source: Option<SourceIndex>,
    /// `[people]`, if the rubric names them.
    pub people: Option<People>,
    /// Synonym sets defined but never referenced (for `lint`), with their line.
    pub unused_synonyms: Vec<(String, usize)>,
}

#[derive(Debug)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    pub max: f64,
    pub bands: Vec<Band>,
    pub points: Vec<Point>,
    /// The question's misconceptions (points with `misconception = true`), in rubric order:
    /// found, each is something to check and has its [`Misconception`] effect on the marks.
    pub misconceptions: Vec<Point>,
}

/// What a found misconception does to its question's marks (all of it, when it says several).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Misconception {
    /// The points it cancels, as indices into its question's `points`: they earn nothing.
    pub cancels: Vec<usize>,
    /// The most its question can score.
    pub cap: Option<f64>,
    /// Marks taken off its question (never below 0): the negative `marks` as a positive number.
    pub deduct: f64,
}

#[derive(Debug)]
pub struct Point {
    pub id: String,
    pub label: String,
    pub marks: f64,
    pub partial_marks: f64,
    /// The hint shown to a student: the first step of [`Point::hints`], or the steps up to the
    /// level asked for ([`Rubric::show_hints`]).
    pub hint: String,
    /// Every step of the hint, from gentle to specific (one for a plain string).
    pub hints: Vec<String>,
    /// What a partly made point still needs, for the "why not?" sentence (`still`).
    pub still: Option<String>,
    pub reveal: Option<String>,
    /// A neutral name shown to students instead of the label until the point is made.
    pub topic: Option<String>,
    pub cues: Vec<Cue>,
    pub partial_cues: Vec<Cue>,
    /// Every cue word of the point (sorted).
    pub terms: Vec<TermId>,
    /// The `triggers` of all its cues (sorted, distinct): when none occurs in an
    /// answer, the point is missing without evaluating its cues, so checking does not slow
    /// down with the size of the rubric beyond a lookup per word.
    pub triggers: Triggers,
    /// Line of the point's `id` in the rubric file.
    pub line: usize,
    /// Whether a match about another actor than the rubric's subject does not count (the
    /// rubric has `[people]` and the point is not `about = "anyone"`).
    pub about_subject: bool,
    /// Whether the point may be earned by wording copied from the source passage (`quote`).
    pub quote: bool,
    /// Set on a misconception (a point of [`Question::misconceptions`]): its effect.
    pub misconception: Option<Misconception>,
}

/// The rubric's `[people]`: who the answers are about and the other actors, as terms of the
/// lexicon (names in any form or misspelt, as cue words are), and the pronouns that refer back
/// to them. How a match's actor is found is the matcher's ([`crate::matcher`]).
#[derive(Debug)]
pub struct People {
    /// Each actor's name as the rubric writes it (its first alternative): 0 is the subject.
    pub names: Vec<String>,
    /// The terms that name each actor: (term, actor).
    pub terms: Vec<(TermId, u16)>,
    /// The personal pronouns that stand for the last actor named as a subject ("he", "his",
    /// "she", "her"; English only).
    pub pronouns: Vec<TermId>,
}

/// A compiled cue.
#[derive(Debug)]
pub struct Cue {
    /// How the cue reads in the rubric, for explanations.
    pub source: String,
    pub node: CueNode,
    /// Phrases that cancel the cue when found in the same sentence.
    pub unless: Vec<Phrase>,
    /// Whether a match in a negated clause is reported as negated (`negation = false` turns
    /// it off for cues whose point is itself a denial).
    pub negation: bool,
    pub line: usize,
    /// Cue words one of which must occur in an answer for the cue to match at all, fully or
    /// partly (sorted, distinct): a phrase's first words, an `all` group's first part's, any
    /// part's of an `any` group. A cue none of whose triggers occurs is skipped at the cost
    /// of a few lookups.
    pub triggers: Triggers,
}

/// Trigger words of a cue or a point ([`Cue::triggers`]), kept inline when they are few (nearly
/// always): checking them is most of the cost of a cue or point that is not found, and a
/// rubric's points are all checked for every answer.
pub type Triggers = smallvec::SmallVec<[TermId; 6]>;

#[derive(Debug)]
pub enum CueNode {
    Phrase(Phrase),
    All {
        parts: Vec<Cue>,
        within: Option<u32>,
        /// Where the parts must fall together ([`Scope`]).
        scope: Scope,
        partial: bool,
    },
    Any {
        parts: Vec<Cue>,
        need: u32,
    },
}

/// A phrase expanded into plain word sequences, kept as a trie: variants sharing their first
/// words share nodes, so matching follows each shared prefix once.
#[derive(Debug)]
pub struct Phrase {
    pub source: String,
    pub variants: Vec<Vec<TermId>>,
    /// Trie nodes; node 0 is the root. A node's children are the next words.
    pub nodes: Vec<TrieNode>,
    /// The root's children, kept in the phrase itself: every cue whose first words occur in an
    /// answer starts from them (one memory access fewer for each).
    pub root: smallvec::SmallVec<[(TermId, u32); 4]>,
    pub gap: u32,
}

#[derive(Debug, Default)]
pub struct TrieNode {
    pub children: Vec<(TermId, u32)>,
    /// A variant ends here.
    pub end: bool,
}

impl Phrase {
    pub fn new(source: String, variants: Vec<Vec<TermId>>, gap: u32) -> Phrase {
        let mut nodes = vec![TrieNode::default()];
        for v in &variants {
            let mut at = 0usize;
            for &t in v {
                at = match nodes[at].children.iter().find(|(c, _)| *c == t) {
                    Some(&(_, n)) => n as usize,
                    None => {
                        let n = nodes.len();
                        nodes.push(TrieNode::default());
                        nodes[at].children.push((t, n as u32));
                        n
                    }
                };
            }
            nodes[at].end = true;
        }
        Phrase {
            source,
            variants,
            root: nodes[0].children.iter().copied().collect(),
            nodes,
            gap,
        }
    }
}

/// The answer of an example.
#[derive(Debug, Clone)]
pub enum ExampleSource {
    Text(String),
    File(PathBuf),
}

/// An answer written into the rubric, with the coverage it must produce.
#[derive(Debug)]
pub struct Example {
    pub name: String,
    /// Where the answer is: written into the rubric, or a file read when the examples run
    /// (so that checking answers never depends on the example files being there).
    pub source: ExampleSource,
    pub covers: Vec<String>,
    pub partial: Vec<String>,
    pub negated: Vec<String>,
    pub misses: Vec<String>,
    pub score: Option<f64>,
    pub line: usize,
}

struct Ctx<'a> {
    path: &'a str,
    source: &'a str,
    lines: LineIndex,
    diags: Vec<Diagnostic>,
    lexicon: Lexicon,
    language: Language,
    gap: u32,
    /// The rubric's `scope`: where an `all` group's parts fall together unless it says.
    scope: Scope,
    /// Words of the cues compiled so far (see [`MAX_CUE_WORDS`]).
    words: usize,
    limits: RubricLimits,
}

/// The error for a cue string longer than [`MAX_CUE_CHARS`], if it is.
fn too_long(text: &str) -> Option<String> {
    let chars = text.chars().count();
    (chars > MAX_CUE_CHARS).then(|| {
        format!(
            "this cue is {chars} characters long; the limit is {MAX_CUE_CHARS} characters per cue: \
             split it into several cues"
        )
    })
}

impl Ctx<'_> {
    fn error(&mut self, offset: usize, message: impl Into<String>) {
        let d = Diagnostic::at(self.path, self.source, &self.lines, offset, message);
        self.diags.push(d);
    }

    fn line(&self, offset: usize) -> usize {
        self.lines.line_col(self.source, offset).0
    }

    /// Offset of a string value's first character (after its opening quote) in the file.
    fn string_start(&self, span: &Range<usize>) -> usize {
        string_start(self.source, span)
    }

    fn phrase(&mut self, text: &str, span: &Range<usize>, exact: bool, gap: u32, syn: &Synonyms) -> Option<Phrase> {
        if let Some(message) = too_long(text) {
            self.error(self.string_start(span), message);
            return None;
        }
        let max_words = self.limits.max_cue_words;
        if self.words > max_words {
            // Already reported; expanding more cues would only cost time.
            return None;
        }
        match cue::parse_phrase(text, exact, syn) {
            Ok(variants) => {
                let before = self.words;
                self.words += variants.iter().map(Vec::len).sum::<usize>();
                if self.words > max_words {
                    if before <= max_words {
                        self.error(
                            self.string_start(span),
                            format!(
                                "the rubric's cues expand to more than {max_words} words in all (every word \
                                 of every variant, alternatives, optional words and synonym sets multiplied out), \
                                 the limit per rubric; it is passed at this cue: use fewer alternatives, split \
                                 the rubric, or raise the limit with --max-cue-words"
                            ),
                        );
                    }
                    return None;
                }
                let variants = variants
                    .into_iter()
                    .map(|v| {
                        v.into_iter()
                            .map(|w| {
                                let stem = match w.kind {
                                    TermKind::Stem => self.language.stem(&w.word),
                                    _ => w.word.clone(),
                                };
                                self.lexicon.intern(&w.word, &stem, w.kind)
                            })
                            .collect()
                    })
                    .collect();
                Some(Phrase::new(text.to_string(), variants, gap))
            }
            Err(e) => {
                let at = self.string_start(span) + e.offset;
                self.error(at, format!("in cue \"{text}\": {}", e.message));
                None
            }
        }
    }

    fn cue(&mut self, spec: &Spanned<CueSpec>, syn: &Synonyms, depth: usize) -> Option<Cue> {
        let span = spec.span();
        let spec = spec.get_ref();
        let max_nesting = self.limits.max_nesting.min(MAX_NESTING_CEILING);
        if depth > max_nesting {
            let raise = if max_nesting < MAX_NESTING_CEILING {
                format!(" (raise the limit with --max-nesting, up to {MAX_NESTING_CEILING})")
            } else {
                String::new()
            };
            self.error(
                span.start,
                format!("cue groups nested deeper than {max_nesting}{raise}"),
            );
            return None;
        }
        let gap = spec.gap.unwrap_or(self.gap);
        let mut unless = Vec::new();
        for u in &spec.unless {
            if let Some(p) = self.phrase(u.get_ref(), &u.span(), false, gap, syn) {
                unless.push(p);
            }
        }
        let line = self.line(span.start);
        let (node, source) = match &spec.kind {
            CueKind::Phrase(text) => {
                let p = self.phrase(text, &span, spec.exact, gap, syn)?;
                let source = text.clone();
                (CueNode::Phrase(p), source)
            }
            CueKind::All {
                parts,
                within,
                scope,
                partial,
            } => {
                let scope = scope.unwrap_or(self.scope);
                let parts = self.parts(parts, spec, syn, depth)?;
                let names = parts.iter().map(|p| p.source.as_str()).collect::<Vec<_>>().join(" + ");
                let source = match (within, scope) {
                    (Some(n), Scope::Sentence) => format!("all of [{names}] within {n} words"),
                    (None, Scope::Sentence) => format!("all of [{names}] in one sentence"),
                    (Some(n), Scope::Clause) => format!("all of [{names}] within {n} words of one clause"),
                    (None, Scope::Clause) => format!("all of [{names}] in one clause"),
                    (Some(n), Scope::Next) => {
                        format!("all of [{names}] within {n} words, from the first part's sentence into the next")
                    }
                    (None, Scope::Next) => format!("all of [{names}] in the first part's sentence and the next"),
                    (Some(n), Scope::Paragraph) => format!("all of [{names}] within {n} words of one paragraph"),
                    (None, Scope::Paragraph) => format!("all of [{names}] in one paragraph"),
                    (Some(n), Scope::Answer) => format!("all of [{names}] within {n} words, across sentences"),
                    (None, Scope::Answer) => format!("all of [{names}] anywhere in the answer"),
                };
                (
                    CueNode::All {
                        parts,
                        within: *within,
                        scope,
                        partial: *partial,
                    },
                    source,
                )
            }
            CueKind::Any { parts, need } => {
                let parts = self.parts(parts, spec, syn, depth)?;
                let names: Vec<&str> = parts.iter().map(|p| p.source.as_str()).collect();
                let source = format!("{need} of [{}]", names.join(" / "));
                (CueNode::Any { parts, need: *need }, source)
            }
        };
        let triggers = triggers(&node);
        Some(Cue {
            source,
            node,
            unless,
            negation: spec.negation.unwrap_or(true),
            line,
            triggers,
        })
    }

    fn parts(
        &mut self,
        parts: &[Spanned<CueSpec>],
        parent: &CueSpec,
        syn: &Synonyms,
        depth: usize,
    ) -> Option<Vec<Cue>> {
        let mut out = Vec::new();
        let mut ok = true;
        for part in parts {
            // `exact` and `gap` on a group apply to its parts unless they say otherwise.
            let mut inherited = part.clone();
            {
                let inner = inherited.get_mut();
                inner.exact |= parent.exact;
                if inner.negation.is_none() {
                    inner.negation = parent.negation;
                }
                if inner.gap.is_none() {
                    inner.gap = parent.gap;
                }
                // A nested group falls where its parent does unless it says otherwise.
                if let (CueKind::All { scope: inner, .. }, CueKind::All { scope: outer, .. }) =
                    (&mut inner.kind, &parent.kind)
                    && inner.is_none()
                {
                    *inner = *outer;
                }
            }
            match self.cue(&inherited, syn, depth + 1) {
                Some(c) => out.push(c),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

/// Whether `x` is a number of marks a rubric may give: finite, 0 to [`MAX_MARKS`].
fn marks_in_range(x: f64) -> bool {
    (0.0..=MAX_MARKS).contains(&x)
}

/// The error for a number of marks out of range, quoting the value as written at `offset`.
fn marks_out_of_range(ctx: &Ctx, offset: usize, what: &str) -> String {
    out_of_range(ctx, offset, what, &format!("from 0 to {MAX_MARKS}"))
}

/// The error for a number that is not `range`, quoting the value as written at `offset`.
fn out_of_range(ctx: &Ctx, offset: usize, what: &str, range: &str) -> String {
    let rest = ctx.source.get(offset..).unwrap_or("");
    let written: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_'))
        .take(40)
        .collect();
    let found = if written.is_empty() {
        String::new()
    } else {
        format!(", not {written}")
    };
    format!("{what} must be a number {range}{found}")
}

/// A number of marks written in the rubric (`marks`, `partial_marks`, `max`), checked.
fn marks_value(ctx: &mut Ctx, v: &Option<Spanned<f64>>, what: &str) -> Option<f64> {
    let s = v.as_ref()?;
    let x = *s.get_ref();
    if !marks_in_range(x) {
        let message = marks_out_of_range(ctx, s.span().start, &format!("`{what}`"));
        ctx.error(s.span().start, message);
        return None;
    }
    Some(x)
}

/// Offset of the value of `key` in the table at `span` (an inline table, or a `[[table]]`
/// whose keys follow its header), or the table's start when it is not found.
pub(crate) fn value_offset(source: &str, span: Range<usize>, key: &str) -> usize {
    let inline = source.get(span.clone()).filter(|t| t.starts_with('{'));
    // A `[[table]]`'s keys are on the lines after its header, up to the next header.
    let (from, text) = match inline {
        Some(t) => (span.start, t),
        None => {
            let rest = source.get(span.start..).unwrap_or("");
            let body = rest.find('\n').map_or("", |n| &rest[n..]);
            let end = body.find("\n[").unwrap_or(body.len());
            (span.start + rest.len() - body.len(), &body[..end])
        }
    };
    let mut search = 0;
    while let Some(k) = text[search..].find(key).map(|k| search + k) {
        search = k + key.len();
        let before = text[..k].trim_end_matches([' ', '\t']);
        let after = text[k + key.len()..].trim_start_matches([' ', '\t']);
        if matches!(before.chars().next_back(), None | Some('{' | ',' | '\n')) && after.starts_with('=') {
            let value = &after[1..];
            return from + text.len() - value.trim_start_matches([' ', '\t']).len();
        }
    }
    span.start
}

fn check_bands(ctx: &mut Ctx, bands: &[Spanned<Band>]) -> Vec<Band> {
    let mut out: Vec<Band> = Vec::new();
    for b in bands {
        let band = *b.get_ref();
        if !marks_in_range(band.marks) {
            let at = value_offset(ctx.source, b.span(), "marks");
            let message = marks_out_of_range(ctx, at, "a band's `marks`");
            ctx.error(at, message);
        } else if out.iter().any(|o| o.covered == band.covered) {
            ctx.error(b.span().start, format!("two bands for {} points covered", band.covered));
        } else {
            out.push(band);
        }
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.covered));
    out
}

fn band_max(bands: &[Band]) -> f64 {
    bands.iter().map(|b| b.marks).fold(0.0, f64::max)
}

impl Rubric {
    /// Shows each point's hint up to step `level` (from 1; a point with fewer steps shows them
    /// all): [`Point::hint`] becomes those steps, one after the other. `check --hint-level`.
    pub fn show_hints(&mut self, level: usize) {
        for q in &mut self.questions {
            for p in q.points.iter_mut().chain(&mut q.misconceptions) {
                p.hint = hint_upto(&p.hints, level);
            }
        }
    }

    /// Reads and compiles the rubric file at `path`.
    pub fn load(path: &Path) -> Result<Rubric, RubricError> {
        Rubric::load_with(path, &RubricLimits::default())
    }

    /// Reads and compiles the rubric file at `path`, held to `limits`.
    pub fn load_with(path: &Path, limits: &RubricLimits) -> Result<Rubric, RubricError> {
        let shown = path.display().to_string();
        let io = |source| RubricError::Io {
            path: shown.clone(),
            source,
        };
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_RUBRIC_BYTES + 1).read_to_end(&mut bytes))
            .map_err(io)?;
        if bytes.len() as u64 > MAX_RUBRIC_BYTES {
            return Err(io(std::io::Error::other(format!(
                "it is larger than {} MiB, far larger than any rubric; is it the right file?",
                MAX_RUBRIC_BYTES / (1024 * 1024)
            ))));
        }
        let source = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let lines = LineIndex::new(&text);
                return Err(RubricError::Invalid(vec![Diagnostic::at(
                    &shown,
                    &text,
                    &lines,
                    valid,
                    "the rubric is not valid UTF-8 text (save it as UTF-8)",
                )]));
            }
        };
        let mut rubric = Rubric::from_str_with(&source, &shown, limits)?;
        rubric.path = Some(path.to_path_buf());
        // Examples may point at answer files beside the rubric.
        Ok(rubric)
    }

    /// Compiles rubric source text; `name` is used in error messages and to resolve example
    /// files (relative to the current directory when the rubric has no path).
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(source: &str, name: &str) -> Result<Rubric, RubricError> {
        Rubric::from_str_with(source, name, &RubricLimits::default())
    }

    /// Compiles rubric source text as [`Rubric::from_str`] does, held to `limits`.
    pub fn from_str_with(source: &str, name: &str, limits: &RubricLimits) -> Result<Rubric, RubricError> {
        let lines = LineIndex::new(source);
        let file: RubricFile = match toml::from_str(source) {
            Ok(f) => f,
            Err(e) => {
                // A missing field stops deserialising: name all of them, of every table, at once.
                let missing = if e.message().starts_with("missing field") {
                    super::required::missing_fields(source)
                } else {
                    Vec::new()
                };
                let located = |(at, message)| Diagnostic::at(name, source, &lines, at, message);
                if !missing.is_empty() {
                    return Err(RubricError::Invalid(missing.into_iter().map(located).collect()));
                }
                let offset = e.span().map(|s| s.start).unwrap_or(0);
                return Err(RubricError::Invalid(vec![located((
                    offset,
                    e.message().trim().to_string(),
                ))]));
            }
        };
        let base = Path::new(name).parent().map(Path::to_path_buf).unwrap_or_default();
        compile(file, source, name, lines, &base, limits)
    }
}

fn compile(
    file: RubricFile,
    source: &str,
    name: &str,
    lines: LineIndex,
    base: &Path,
    limits: &RubricLimits,
) -> Result<Rubric, RubricError> {
    let mut ctx = Ctx {
        path: name,
        source,
        lines,
        diags: Vec::new(),
        lexicon: Lexicon::default(),
        language: Language::english(),
        gap: file.gap.unwrap_or(DEFAULT_GAP),
        scope: file.scope.unwrap_or_default(),
        words: 0,
        limits: *limits,
    };
    if let Some(l) = &file.language {
        match Language::from_name(l.get_ref()) {
            Some(lang) => ctx.language = lang,
            None => {
                let names: Vec<&str> = crate::text::lang::LANGUAGES.iter().map(|(n, _)| *n).collect();
                ctx.error(
                    l.span().start,
                    format!(
                        "unknown language `{}`; expected one of: {}",
                        l.get_ref(),
                        names.join(", ")
                    ),
                );
            }
        }
    }
    if file.title.trim().is_empty() {
        ctx.error(0, "`title` is empty: give the assignment's main question");
    }
    let passages = source_passages(&mut ctx, &file, base);
    let partial_credit = match &file.partial_credit {
        Some(p) if !(0.0..=1.0).contains(p.get_ref()) => {
            ctx.error(p.span().start, "`partial_credit` must be between 0 and 1");
            DEFAULT_PARTIAL_CREDIT
        }
        Some(p) => *p.get_ref(),
        None => DEFAULT_PARTIAL_CREDIT,
    };

    // Synonym sets, by name.
    let mut sets = BTreeMap::new();
    let mut set_lines = BTreeMap::new();
    for (k, v) in &file.synonyms {
        let key = k.get_ref().clone();
        if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
            ctx.error(
                k.span().start,
                "a synonym set's name may hold only letters, digits, `_` and `-`",
            );
        }
        if v.is_empty() {
            ctx.error(k.span().start, format!("synonym set `{key}` is empty"));
        }
        set_lines.insert(key.clone(), ctx.line(k.span().start));
        sets.insert(key, v.iter().map(|s| s.get_ref().clone()).collect::<Vec<_>>());
    }
    let syn = Synonyms {
        sets: &sets,
        used: Default::default(),
    };
    // Check every set even if unused, so that a broken entry is reported.
    for (k, v) in &file.synonyms {
        for entry in v {
            let probe = Synonyms {
                sets: &sets,
                used: Default::default(),
            };
            if let Some(message) = too_long(entry.get_ref()) {
                let at = ctx.string_start(&entry.span());
                ctx.error(at, format!("in synonym set `{}`: {message}", k.get_ref()));
            } else if let Err(e) = cue::parse_phrase(entry.get_ref(), false, &probe) {
                let at = ctx.string_start(&entry.span()) + e.offset;
                ctx.error(at, format!("in synonym set `{}`: {}", k.get_ref(), e.message));
            }
        }
    }

    if file.questions.is_empty() {
        ctx.error(
            source.len(),
            "the rubric has no [[question]]; add at least one with its [[question.point]]s",
        );
    }
    let people = file.people.as_ref().map(|p| people(&mut ctx, p));
    let mut question_ids: HashSet<String> = HashSet::new();
    let mut point_ids: HashSet<String> = HashSet::new();
    let mut questions = Vec::new();
    for q in &file.questions {
        let qid = q.id.get_ref().clone();
        if !valid_id(&qid) {
            ctx.error(
                q.id.span().start,
                format!("question id `{qid}`: use letters, digits, `_` and `-` only"),
            );
        }
        if !question_ids.insert(qid.clone()) {
            ctx.error(q.id.span().start, format!("duplicate question id `{qid}`"));
        }
        let wrong = |p: &&model::PointFile| p.misconception == Some(true);
        if q.points.iter().all(|p| wrong(&p)) {
            ctx.error(q.id.span().start, format!("question `{qid}` has no [[question.point]]"));
        }
        let bands = check_bands(&mut ctx, &q.bands);
        let mut points = Vec::new();
        for p in q.points.iter().filter(|p| !wrong(p)) {
            points.extend(compile_point(
                &mut ctx,
                p,
                &syn,
                partial_credit,
                &mut point_ids,
                people.is_some(),
            ));
        }
        let mut misconceptions = Vec::new();
        for p in q.points.iter().filter(wrong) {
            let compiled = compile_point(&mut ctx, p, &syn, partial_credit, &mut point_ids, people.is_some());
            let effect = misconception(&mut ctx, p, &q.points, &points);
            misconceptions.extend(compiled.map(|c| Point {
                misconception: Some(effect),
                ..c
            }));
        }
        let natural = if bands.is_empty() {
            points.iter().map(|p: &Point| p.marks).sum()
        } else {
            band_max(&bands)
        };
        let max = marks_value(&mut ctx, &q.max, "max").unwrap_or(natural);
        questions.push(Question {
            id: qid,
            prompt: q.prompt.clone(),
            max,
            bands,
            points,
            misconceptions,
        });
    }
    let bands = check_bands(&mut ctx, &file.bands);
    let natural = if bands.is_empty() {
        questions.iter().map(|q| q.max).sum()
    } else {
        band_max(&bands)
    };
    let max = marks_value(&mut ctx, &file.max, "max").unwrap_or(natural);
    if max <= 0.0 && ctx.diags.is_empty() {
        ctx.error(0, "the rubric's maximum score is 0: give points some `marks`");
    }

    let examples = compile_examples(&mut ctx, &file.examples, &point_ids, base, max);

    let used = syn.used.borrow().clone();
    let unused_synonyms = set_lines
        .iter()
        .filter(|(k, _)| !used.contains(*k))
        .map(|(k, l)| (k.clone(), *l))
        .collect();

    if !ctx.diags.is_empty() {
        return Err(RubricError::Invalid(ctx.diags));
    }
    ctx.lexicon.english = ctx.language.name() == "english";
    let mut echo = EchoIndex::default();
    echo.add(&file.title, &ctx.language);
    for q in &questions {
        echo.add(&q.prompt, &ctx.language);
    }
    Ok(Rubric {
        path: None,
        title: file.title,
        language: ctx.language,
        max,
        partial_credit,
        allow_reveal: file.allow_reveal.unwrap_or(true),
        rounding: file.rounding.unwrap_or_default(),
        bands,
        questions,
        examples,
        lexicon: ctx.lexicon,
        echo,
        source: (!passages.is_empty()).then(|| SourceIndex::new(&passages)),
        people,
        unused_synonyms,
    })
}

/// The rubric's reading passages, segmented in its language: the file `source` names (relative
/// to the rubric's folder, read as answers are, so `.txt`, `.md`, `.docx`, `.odt` and `.html`
/// all work, within the same limits) and the text of `source_text`. A passage that cannot be
/// read is an error at the key's value.
fn source_passages(ctx: &mut Ctx, file: &RubricFile, base: &Path) -> Vec<crate::text::tokens::Document> {
    use crate::text::read::{Format, Limits, ReadError, read_path};
    use crate::text::tokens::Document;
    let mut out = Vec::new();
    if let Some(name) = &file.source {
        let at = ctx.string_start(&name.span());
        if name.get_ref().trim().is_empty() {
            ctx.error(
                at,
                "`source` is empty: name the passage's file, relative to the rubric's folder",
            );
        } else {
            match read_path(&base.join(name.get_ref()), &Limits::default()) {
                Ok(passage) => out.push(Document::new(passage.text, passage.format, &ctx.language)),
                Err(ReadError::Empty { path }) => ctx.error(at, format!("the source passage {path} is empty")),
                Err(ReadError::IsDir { path }) => ctx.error(
                    at,
                    format!("the source passage {path} is a folder: name the file inside it"),
                ),
                Err(ReadError::TooLarge { path, size, limit }) => ctx.error(
                    at,
                    format!(
                        "the source passage {path} is too large (at least {size} bytes; the limit is {limit} bytes)"
                    ),
                ),
                Err(e) => ctx.error(
                    at,
                    format!("cannot read the source passage: {e} (`source` is relative to the rubric's folder)"),
                ),
            }
        }
    }
    if let Some(text) = &file.source_text {
        if text.get_ref().trim().is_empty() {
            ctx.error(
                ctx.string_start(&text.span()),
                "`source_text` is empty: write the passage, or leave the key out",
            );
        } else {
            out.push(Document::new(text.get_ref().clone(), Format::Text, &ctx.language));
        }
    }
    out
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
}

fn compile_point(
    ctx: &mut Ctx,
    p: &model::PointFile,
    syn: &Synonyms,
    partial_credit: f64,
    ids: &mut HashSet<String>,
    people: bool,
) -> Option<Point> {
    let id = p.id.get_ref().clone();
    let at = p.id.span().start;
    if !valid_id(&id) {
        ctx.error(at, format!("point id `{id}`: use letters, digits, `_` and `-` only"));
    }
    if !ids.insert(id.clone()) {
        ctx.error(
            at,
            format!("duplicate point id `{id}` (point ids must be unique in the rubric)"),
        );
    }
    if p.cues.is_empty() && p.partial.is_empty() {
        ctx.error(
            at,
            format!("point `{id}` has no `cues`: list the words or phrases that show it"),
        );
    }
    let hints = &p.hint.get_ref().0;
    let hint_at = ctx.string_start(&p.hint.span());
    if hints.is_empty() {
        ctx.error(
            hint_at,
            format!("point `{id}` has an empty `hint` list: write at least one step"),
        );
    } else if let Some(n) = hints.iter().position(|h| h.trim().is_empty()) {
        let what = if hints.len() == 1 {
            "an empty `hint`".to_string()
        } else {
            format!("an empty step {} in its `hint` list", n + 1)
        };
        ctx.error(
            if hints.len() == 1 { at } else { hint_at },
            format!("point `{id}` has {what}"),
        );
    }
    if let Some(still) = &p.still
        && still.trim().is_empty()
    {
        ctx.error(
            at,
            format!(
                "point `{id}` has an empty `still`: describe what a partial answer still needs, or leave the key out"
            ),
        );
    }
    let wrong = p.misconception == Some(true);
    if !wrong {
        let key = p.cancels.first().map(|c| (c.span().start, "cancels"));
        if let Some((at, key)) = key.or(p.cap.as_ref().map(|c| (c.span().start, "cap"))) {
            ctx.error(
                at,
                format!("`{key}` belongs to a misconception: add `misconception = true` to point `{id}`, or leave `{key}` out"),
            );
        }
    }
    // A misconception earns nothing: its (negative) `marks` is read by [`misconception`].
    let marks = if wrong {
        0.0
    } else {
        marks_value(ctx, &p.marks, "marks").unwrap_or(1.0)
    };
    let partial_marks = if wrong {
        0.0
    } else {
        marks_value(ctx, &p.partial_marks, "partial_marks").unwrap_or(marks * partial_credit)
    };
    if partial_marks > marks
        && let Some(pm) = &p.partial_marks
    {
        ctx.error(pm.span().start, "`partial_marks` cannot be more than `marks`");
    }
    // The point's `negation` setting is the default of its cues.
    let mut compile = |specs: &[Spanned<CueSpec>]| -> Vec<Cue> {
        let with_point_defaults = |c: &Spanned<CueSpec>| {
            let mut c = c.clone();
            if c.get_ref().negation.is_none() {
                c.get_mut().negation = p.negation;
            }
            c
        };
        specs
            .iter()
            .map(with_point_defaults)
            .filter_map(|c| ctx.cue(&c, syn, 0))
            .collect()
    };
    let cues = compile(&p.cues);
    let partial_cues = compile(&p.partial);
    let mut terms = Vec::new();
    for c in cues.iter().chain(&partial_cues) {
        collect_terms(c, &mut terms);
    }
    terms.sort_unstable();
    terms.dedup();
    let mut triggers: Triggers = cues
        .iter()
        .chain(&partial_cues)
        .flat_map(|c| c.triggers.iter().copied())
        .collect();
    triggers.sort_unstable();
    triggers.dedup();
    Some(Point {
        terms,
        triggers,
        line: ctx.line(at),
        id,
        label: p.label.clone(),
        marks,
        partial_marks,
        hint: hints.first().cloned().unwrap_or_default(),
        hints: hints.clone(),
        still: p.still.clone(),
        reveal: p.reveal.clone(),
        topic: p.topic.clone(),
        cues,
        partial_cues,
        about_subject: people && p.about != Some(model::About::Anyone),
        quote: p.quote.unwrap_or(false),
        misconception: None,
    })
}

/// The effect of the misconception `p` ([`Misconception`]), checking the keys only a
/// misconception has (`cancels`, `cap`, a negative `marks`) and those it cannot have
/// (`partial`, `partial_marks`). `all` are the question's points as written, `points` its
/// compiled points (the misconceptions left out): `cancels` names points of the question.
fn misconception(ctx: &mut Ctx, p: &model::PointFile, all: &[model::PointFile], points: &[Point]) -> Misconception {
    let id = p.id.get_ref();
    let mut effect = Misconception::default();
    if let Some(first) = p.partial.first() {
        ctx.error(
            first.span().start,
            format!("misconception `{id}` has `partial` cues: a misconception is found or not, so list all its cues in `cues`"),
        );
    }
    if let Some(pm) = &p.partial_marks {
        ctx.error(
            pm.span().start,
            format!("misconception `{id}` has `partial_marks`: a misconception earns nothing (a negative `marks` takes marks off)"),
        );
    }
    if let Some(m) = &p.marks {
        let x = *m.get_ref();
        if !(-MAX_MARKS..=0.0).contains(&x) || !x.is_finite() {
            let message = out_of_range(
                ctx,
                m.span().start,
                "a misconception's `marks`",
                &format!("from -{MAX_MARKS} to 0 (the marks it takes off: a misconception earns nothing)"),
            );
            ctx.error(m.span().start, message);
        } else {
            effect.deduct = -x;
        }
    }
    if let Some(c) = &p.cap {
        match marks_value(ctx, &Some(c.clone()), "cap") {
            Some(x) => effect.cap = Some(x),
            None => return effect,
        }
    }
    for target in &p.cancels {
        let name = target.get_ref();
        let at = ctx.string_start(&target.span());
        match points.iter().position(|q| &q.id == name) {
            Some(i) => effect.cancels.push(i),
            None if all.iter().any(|q| q.id.get_ref() == name) => ctx.error(
                at,
                format!("misconception `{id}` cancels `{name}`, another misconception: name points that earn marks"),
            ),
            None => ctx.error(
                at,
                format!(
                    "misconception `{id}` cancels `{name}`, which is not a point of its question (its points: {})",
                    points
                        .iter()
                        .map(|q| format!("`{}`", q.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
    }
    effect
}

/// The English personal pronouns that refer back to a person named before ([`People`]):
/// subjects and possessives only ("him" is nearly always someone else than the clause's
/// subject, and is not taken as a mention).
const PRONOUNS: [&str; 5] = ["he", "his", "she", "her", "hers"];

/// Compiles `[people]` into the lexicon.
fn people(ctx: &mut Ctx, file: &model::PeopleFile) -> People {
    let mut out = People {
        names: Vec::new(),
        terms: Vec::new(),
        pronouns: Vec::new(),
    };
    for (actor, entry) in std::iter::once(&file.subject).chain(&file.others).enumerate() {
        let at = ctx.string_start(&entry.span());
        let mut first = None;
        for name in entry.get_ref().split('|') {
            let norm = crate::text::tokens::normalize_word(name.trim());
            if norm.is_empty() || !norm.chars().all(|c| c.is_alphabetic() || c == '\'' || c == '-') {
                ctx.error(
                    at,
                    format!(
                        "in [people]: \"{name}\" is not one word; write each person as a surname, with \
                         alternatives joined by `|` (\"Bukharin|Bukarin\")"
                    ),
                );
                continue;
            }
            first.get_or_insert_with(|| name.trim().to_string());
            let stem = ctx.language.stem(&norm);
            let term = ctx.lexicon.intern(&norm, &stem, TermKind::Stem);
            if out.terms.iter().any(|&(t, a)| t == term && a != actor as u16) {
                ctx.error(
                    at,
                    format!("in [people]: \"{name}\" names two people; a name may stand for one person only"),
                );
                continue;
            }
            out.terms.push((term, actor as u16));
        }
        out.names.push(first.unwrap_or_default());
    }
    // English's, or the rubric language's own ([`crate::text::lang_words`]); none for the
    // other languages.
    let pronouns: &[&str] = match crate::text::lang_words::of(ctx.language.name()) {
        Some(w) => w.pronouns,
        None if ctx.language.name() == "english" => &PRONOUNS,
        None => &[],
    };
    for &p in pronouns {
        out.pronouns.push(ctx.lexicon.intern(p, p, TermKind::Exact));
    }
    out
}

/// The words a match of a cue must start with ([`Cue::triggers`]): a phrase's first words, an
/// `all` group's first part's (needed by a match and by a partial match), any part's of an
/// `any` group. Sorted, distinct.
fn triggers(node: &CueNode) -> Triggers {
    fn collect(node: &CueNode, out: &mut Triggers) {
        match node {
            CueNode::Phrase(p) => {
                out.extend(p.root.iter().map(|&(t, _)| t));
            }
            CueNode::All { parts, .. } => {
                if let Some(first) = parts.first() {
                    collect(&first.node, out);
                }
            }
            CueNode::Any { parts, .. } => parts.iter().for_each(|p| collect(&p.node, out)),
        }
    }
    let mut out = Triggers::new();
    collect(node, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// Every cue word of a cue, its parts included.
pub(crate) fn collect_terms(cue: &Cue, out: &mut Vec<TermId>) {
    match &cue.node {
        CueNode::Phrase(p) => out.extend(p.variants.iter().flatten().copied()),
        CueNode::All { parts, .. } | CueNode::Any { parts, .. } => parts.iter().for_each(|p| collect_terms(p, out)),
    }
}

fn compile_examples(
    ctx: &mut Ctx,
    examples: &[model::ExampleFile],
    ids: &HashSet<String>,
    base: &Path,
    max: f64,
) -> Vec<Example> {
    let mut out = Vec::new();
    let mut names = BTreeSet::new();
    for e in examples {
        let name = e.name.get_ref().clone();
        let at = e.name.span().start;
        if !names.insert(name.clone()) {
            ctx.error(at, format!("duplicate example name `{name}`"));
        }
        for list in [&e.covers, &e.partial, &e.negated, &e.misses] {
            for id in list {
                if !ids.contains(id.get_ref()) {
                    ctx.error(
                        id.span().start,
                        format!("example `{name}` names an unknown point `{}`", id.get_ref()),
                    );
                }
            }
        }
        if let Some(score) = &e.score {
            let x = *score.get_ref();
            if !(0.0..=max).contains(&x) {
                let message = out_of_range(
                    ctx,
                    score.span().start,
                    &format!("example `{name}`: `score`"),
                    &format!("from 0 to the rubric's maximum ({max})"),
                );
                ctx.error(score.span().start, message);
            }
        }
        let source = match (&e.text, &e.file) {
            (Some(t), None) => ExampleSource::Text(t.clone()),
            (None, Some(f)) => ExampleSource::File(base.join(f)),
            _ => {
                ctx.error(at, format!("example `{name}` needs exactly one of `text` or `file`"));
                continue;
            }
        };
        out.push(Example {
            name,
            source,
            covers: e.covers.iter().map(|s| s.get_ref().clone()).collect(),
            partial: e.partial.iter().map(|s| s.get_ref().clone()).collect(),
            negated: e.negated.iter().map(|s| s.get_ref().clone()).collect(),
            misses: e.misses.iter().map(|s| s.get_ref().clone()).collect(),
            score: e.score.as_ref().map(|s| *s.get_ref()),
            line: ctx.line(at),
        });
    }
    out
}

/// The steps of a hint up to `level` (at least the first), one after the other.
pub fn hint_upto(steps: &[String], level: usize) -> String {
    let shown = &steps[..level.clamp(1, steps.len().max(1)).min(steps.len())];
    shown.iter().map(|s| s.trim()).collect::<Vec<_>>().join(" ")
}

/// Offset of a TOML string value's first character (after its opening quote or quotes) in
/// `source`, `span` being the value's; the span's start when it is not a string.
pub(crate) fn string_start(source: &str, span: &Range<usize>) -> usize {
    let raw = source.get(span.clone()).unwrap_or("");
    if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        span.start + 3
    } else if raw.starts_with('"') || raw.starts_with('\'') {
        span.start + 1
    } else {
        span.start
    }
}

#[cfg(test)]
mod tests {
    //! What compiling produces: the cue tree, its words in the lexicon, triggers, marks and
    //! the defaults of everything left out, and errors located at the offending text.

    use super::*;

    /// A rubric of one question whose points are `points` (TOML of `[[question.point]]` tables),
    /// with `head` (top-level keys) before the question.
    fn src(head: &str, points: &str) -> String {
        format!("title = \"Why did the Tsar fall?\"\n{head}\n[[question]]\nid = \"q\"\nprompt = \"Explain.\"\n{points}")
    }

    fn point(cues: &str) -> String {
        format!("[[question.point]]\nid = \"p\"\nlabel = \"l\"\nhint = \"h\"\n{cues}\n")
    }

    fn compile_ok(head: &str, points: &str) -> Rubric {
        Rubric::from_str(&src(head, points), "t.toml").unwrap_or_else(|e| panic!("{e}"))
    }

    fn diagnostics(head: &str, points: &str, limits: &RubricLimits) -> Vec<Diagnostic> {
        match Rubric::from_str_with(&src(head, points), "t.toml", limits) {
            Ok(_) => panic!("compiled, but an error was expected"),
            Err(RubricError::Invalid(d)) => d,
            Err(e) => panic!("{e}"),
        }
    }

    /// The words of a phrase's variants, as the lexicon holds them (`*` after a prefix, `=`
    /// before an exact word).
    fn variants(r: &Rubric, p: &Phrase) -> Vec<String> {
        p.variants.iter().map(|v| words(r, v)).collect()
    }

    fn words(r: &Rubric, ids: &[TermId]) -> String {
        let word = |&t: &TermId| {
            let term = &r.lexicon.terms[t as usize];
            match term.kind {
                TermKind::Stem => term.word.clone(),
                TermKind::Prefix => format!("{}*", term.word),
                TermKind::Exact => format!("={}", term.word),
            }
        };
        ids.iter().map(word).collect::<Vec<_>>().join(" ")
    }

    fn only_cue(r: &Rubric) -> &Cue {
        &r.questions[0].points[0].cues[0]
    }

    fn phrase(c: &Cue) -> &Phrase {
        match &c.node {
            CueNode::Phrase(p) => p,
            other => panic!("not a phrase: {other:?}"),
        }
    }

    #[test]
    fn a_phrase_becomes_one_variant_of_stemmed_terms() {
        let r = compile_ok("", &point(r#"cues = ["Party Secretaries"]"#));
        let c = only_cue(&r);
        let p = phrase(c);
        assert_eq!(c.source, "Party Secretaries");
        assert_eq!(variants(&r, p), ["party secretaries"]);
        assert_eq!(p.gap, DEFAULT_GAP);
        assert!(c.negation && c.unless.is_empty());
        let secretaries = &r.lexicon.terms[p.variants[0][1] as usize];
        assert_eq!(
            (secretaries.kind, secretaries.stem.as_str()),
            (TermKind::Stem, "secretari")
        );
        // A trie of one path: root -> party -> secretaries (the end).
        assert_eq!(p.nodes.len(), 3);
        assert!(p.nodes[2].end && !p.nodes[1].end);
        // Only the first word lets the cue match at all.
        assert_eq!(words(&r, &c.triggers), "party");
        assert_eq!(words(&r, &r.questions[0].points[0].terms), "party secretaries");
    }

    #[test]
    fn alternatives_optional_words_prefixes_and_exact_words_expand_into_a_trie() {
        let r = compile_ok(
            "gap = 0",
            &point(
                r#"cues = ["appoint|promote [his] allies", "bureaucra*", "=CPSU members", "(general secretary | gensec)"]"#,
            ),
        );
        let cues = &r.questions[0].points[0].cues;
        let [alt, prefix, exact, multi] = [&cues[0], &cues[1], &cues[2], &cues[3]].map(phrase);
        assert_eq!(
            variants(&r, alt),
            [
                "appoint his allies",
                "appoint allies",
                "promote his allies",
                "promote allies"
            ]
        );
        // Two first words share nothing; each has "his allies" and "allies" after it.
        assert_eq!(
            words(&r, &alt.root.iter().map(|&(t, _)| t).collect::<Vec<_>>()),
            "appoint promote"
        );
        // root; appoint, appoint his, appoint his allies, appoint allies; the same for promote.
        assert_eq!(alt.nodes.len(), 1 + 2 * 4);
        assert_eq!(alt.nodes.iter().filter(|n| n.end).count(), 4);
        assert_eq!(alt.gap, 0, "the rubric's gap is every cue's default");
        assert_eq!(variants(&r, prefix), ["bureaucra*"]);
        assert_eq!(variants(&r, exact), ["=cpsu members"]);
        assert_eq!(variants(&r, multi), ["general secretary", "gensec"]);
        assert_eq!(words(&r, &cues[3].triggers), "general gensec");
        // The same word in two cues is one term.
        let r = compile_ok("", &point(r#"cues = ["lenin", "lenin died"]"#));
        assert_eq!(r.lexicon.len(), 2);
    }

    #[test]
    fn groups_keep_their_parts_and_trigger_on_what_a_match_must_start_with() {
        let r = compile_ok(
            "",
            &point(
                r#"cues = [
    { all = ["lenin", "testament"], within = 12 },
    { all = ["trotsky", "exile"], partial = false },
    { any = ["purge", "show trial", "terror"], need = 2, gap = 1 },
]"#,
            ),
        );
        let cues = &r.questions[0].points[0].cues;
        match &cues[0].node {
            CueNode::All {
                parts,
                within,
                scope,
                partial,
            } => {
                assert_eq!(
                    (parts.len(), *within, *scope, *partial),
                    (2, Some(12), Scope::Sentence, true)
                );
                assert_eq!(variants(&r, phrase(&parts[1])), ["testament"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(cues[0].source, "all of [lenin + testament] within 12 words");
        assert_eq!(
            words(&r, &cues[0].triggers),
            "lenin",
            "an all group needs its first part"
        );
        assert!(matches!(
            cues[1].node,
            CueNode::All {
                within: None,
                partial: false,
                ..
            }
        ));
        assert_eq!(cues[1].source, "all of [trotsky + exile] in one sentence");
        match &cues[2].node {
            CueNode::Any { parts, need } => {
                assert_eq!((parts.len(), *need), (3, 2));
                assert_eq!(phrase(&parts[1]).gap, 1, "a group's gap is its parts' default");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(cues[2].source, "2 of [purge / show trial / terror]");
        assert_eq!(words(&r, &cues[2].triggers), "purge show terror");
        // The point triggers on any of its cues' triggers, sorted by term.
        assert_eq!(
            words(&r, &r.questions[0].points[0].triggers),
            "lenin trotsky purge show terror"
        );
    }

    #[test]
    fn synonym_sets_expand_in_place_and_unused_ones_are_listed() {
        let r = compile_ok(
            "[synonyms]\nallies = [\"ally|allies\", \"supporter\"]\nspare = [\"x\"]",
            &point(r#"cues = ["his @allies"]"#),
        );
        assert_eq!(
            variants(&r, phrase(only_cue(&r))),
            ["his ally", "his allies", "his supporter"]
        );
        assert_eq!(r.unused_synonyms, [("spare".to_string(), 4)]);
    }

    #[test]
    fn marks_default_to_one_and_partial_marks_to_a_share_of_them() {
        let points = format!(
            "{}{}{}",
            point(r#"cues = ["a"]"#),
            point(
                r#"cues = ["b"]
marks = 2"#
            )
            .replace("id = \"p\"", "id = \"p2\""),
            point(
                r#"cues = ["c"]
marks = 3
partial_marks = 0.5"#
            )
            .replace("id = \"p\"", "id = \"p3\""),
        );
        let marks = |r: &Rubric| {
            r.questions[0]
                .points
                .iter()
                .map(|p| (p.marks, p.partial_marks))
                .collect::<Vec<_>>()
        };
        let r = compile_ok("", &points);
        assert_eq!(marks(&r), [(1.0, 0.5), (2.0, 1.0), (3.0, 0.5)]);
        assert_eq!((r.partial_credit, r.questions[0].max, r.max), (0.5, 6.0, 6.0));
        let r = compile_ok("partial_credit = 0.25\nmax = 4", &points);
        assert_eq!(marks(&r), [(1.0, 0.25), (2.0, 0.5), (3.0, 0.5)]);
        assert_eq!((r.questions[0].max, r.max), (6.0, 4.0));
    }

    #[test]
    fn a_groups_scope_is_its_own_else_its_parents_else_the_rubrics() {
        let scope_of = |c: &Cue| match &c.node {
            CueNode::All { scope, .. } => *scope,
            other => panic!("not a group: {other:?}"),
        };
        let cues = r#"cues = [
    { all = ["lenin", "testament"] },
    { all = ["lenin", "testament"], scope = "answer" },
    { all = ["lenin", { all = ["testament", "read"] }], scope = "paragraph", within = 50 },
]"#;
        let r = compile_ok("", &point(cues));
        let c = &r.questions[0].points[0].cues;
        assert_eq!(
            [scope_of(&c[0]), scope_of(&c[1]), scope_of(&c[2])],
            [Scope::Sentence, Scope::Answer, Scope::Paragraph]
        );
        let CueNode::All { parts, .. } = &c[2].node else {
            unreachable!()
        };
        assert_eq!(
            scope_of(&parts[1]),
            Scope::Paragraph,
            "a nested group inherits its parent's scope"
        );
        assert_eq!(c[0].source, "all of [lenin + testament] in one sentence");
        assert_eq!(c[1].source, "all of [lenin + testament] anywhere in the answer");
        assert_eq!(
            c[2].source,
            "all of [lenin + all of [testament + read] in one paragraph] within 50 words of one paragraph"
        );
        let r = compile_ok("scope = \"paragraph\"", &point(cues));
        assert_eq!(
            scope_of(&r.questions[0].points[0].cues[0]),
            Scope::Paragraph,
            "the rubric's scope is the default"
        );
        // Only groups have a scope; an unknown one is an error naming the choices.
        let d = diagnostics(
            "",
            &point(r#"cues = [{ phrase = "a", scope = "answer" }]"#),
            &RubricLimits::default(),
        );
        assert!(d[0].message.contains("`scope`"), "{}", d[0].message);
        let d = diagnostics("scope = \"page\"", &point(r#"cues = ["a"]"#), &RubricLimits::default());
        assert!(
            d[0].message.contains("sentence") && d[0].message.contains("paragraph"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn people_are_one_word_each_and_named_once() {
        let r = compile_ok(
            "[people]\nsubject = \"Stalin|Koba\"\nothers = [\"Trotsky\"]",
            &point(r#"cues = ["a"]"#),
        );
        let people = r.people.as_ref().expect("people");
        assert_eq!(people.names, ["Stalin", "Trotsky"]);
        assert_eq!(people.terms.iter().map(|t| t.1).collect::<Vec<_>>(), [0, 0, 1]);
        assert!(
            r.questions[0].points[0].about_subject,
            "points are about the subject by default"
        );
        let cases = [
            ("subject = \"Leon Trotsky\"", (3, 12), "is not one word"),
            (
                "subject = \"Stalin\"\nothers = [\"Stalin\"]",
                (4, 12),
                "names two people",
            ),
            ("others = [\"Trotsky\"]", (2, 1), "missing field `subject`"),
        ];
        for (people, at, says) in cases {
            let d = diagnostics(
                &format!("[people]\n{people}"),
                &point(r#"cues = ["a"]"#),
                &RubricLimits::default(),
            );
            assert_eq!((d[0].line, d[0].column), at, "{people}: {}", d[0].message);
            assert!(d[0].message.contains(says), "{people}: {}", d[0].message);
        }
        let r = compile_ok(
            "[people]\nsubject = \"Stalin\"",
            &point("about = \"anyone\"\ncues = [\"a\"]"),
        );
        assert!(!r.questions[0].points[0].about_subject);
    }

    #[test]
    fn errors_name_the_line_and_column_of_what_is_wrong() {
        let at = |d: &Diagnostic| (d.line, d.column, d.message.clone());
        // Line 11 is the point's `partial_marks` (line 2 holds the top-level keys, 10 the cues).
        let d = diagnostics(
            "",
            &point("cues = [\"a\"]\npartial_marks = 2"),
            &RubricLimits::default(),
        );
        assert_eq!(
            d.iter().map(at).collect::<Vec<_>>(),
            [(11, 17, "`partial_marks` cannot be more than `marks`".to_string())]
        );
        let d = diagnostics(
            "partial_credit = 2",
            &point(r#"cues = ["a"]"#),
            &RubricLimits::default(),
        );
        assert_eq!((d[0].line, d[0].column), (2, 18));
        assert!(d[0].message.contains("between 0 and 1"), "{}", d[0].message);
        // A cue syntax error points into the cue string: here its end, where `)` is missing.
        let d = diagnostics("", &point(r#"cues = ["a (b"]"#), &RubricLimits::default());
        assert_eq!((d[0].line, d[0].column), (10, 14), "{}", d[0].message);
        assert!(d[0].message.starts_with("in cue \"a (b\""), "{}", d[0].message);
    }

    #[test]
    fn a_source_passage_is_read_beside_the_rubric_and_points_may_allow_quoting() {
        use crate::text::read::Limits;
        let dir = tempfile::tempdir().expect("tempdir");
        // A Markdown passage is read as a Markdown answer is: its markup is not words.
        std::fs::write(dir.path().join("article.md"), "# Bees\n\n**Bees** are *dying* fast.\n").expect("write");
        let name = dir.path().join("r.toml").display().to_string();
        let quoting = "[[question.point]]\nid = \"q\"\nlabel = \"l\"\nhint = \"h\"\nquote = true\ncues = [\"b\"]\n";
        let text = src(
            "source = \"article.md\"\nsource_text = \"Two more words.\"",
            &format!("{}{quoting}", point(r#"cues = ["a"]"#)),
        );
        let r = Rubric::from_str(&text, &name).unwrap_or_else(|e| panic!("{e}"));
        // "Bees", "Bees are dying fast", and the inline text's three words.
        assert_eq!(r.source.as_ref().map(|s| s.words), Some(8));
        let quote: Vec<bool> = r.questions[0].points.iter().map(|p| p.quote).collect();
        assert_eq!(quote, [false, true], "`quote` is false unless the point says");
        assert!(compile_ok("", &point(r#"cues = ["a"]"#)).source.is_none());

        // A passage not there, or empty, is an error at the value (line 2 holds the top-level keys).
        let located = |head: &str| {
            let d = match Rubric::from_str(&src(head, &point(r#"cues = ["a"]"#)), &name) {
                Err(RubricError::Invalid(d)) => d,
                other => panic!("{other:?}"),
            };
            (d[0].line, d[0].column, d[0].message.clone())
        };
        let (line, column, message) = located("source = \"gone.txt\"");
        assert_eq!((line, column), (2, 11));
        assert!(
            message.starts_with("cannot read the source passage: ") && message.contains("gone.txt: no such file"),
            "{message}"
        );
        std::fs::write(dir.path().join("blank.txt"), " \n").expect("write");
        let (_, _, message) = located("source = \"blank.txt\"");
        assert!(
            message.starts_with("the source passage ") && message.ends_with("blank.txt is empty"),
            "{message}"
        );
        let (_, _, message) = located("source = \".\"");
        assert!(message.ends_with("is a folder: name the file inside it"), "{message}");
        let big = std::fs::File::create(dir.path().join("big.txt")).expect("create");
        big.set_len(Limits::DEFAULT_MAX_BYTES + 1).expect("grow");
        let (_, _, message) = located("source = \"big.txt\"");
        assert!(
            message.contains("big.txt is too large") && !message.contains("--max"),
            "{message}"
        );
        let (line, column, message) = located("source_text = \"  \"");
        assert_eq!((line, column), (2, 16));
        assert!(message.starts_with("`source_text` is empty"), "{message}");
        let (_, column, message) = located("source = \"\"");
        assert_eq!(column, 11);
        assert!(message.starts_with("`source` is empty"), "{message}");
    }

    #[test]
    fn limits_are_errors_at_the_cue_that_passes_them() {
        let cues = point("cues = [\"one two\", \"three four five\"]");
        let few = RubricLimits {
            max_cue_words: 4,
            ..RubricLimits::default()
        };
        let d = diagnostics("", &cues, &few);
        assert_eq!(d.len(), 1);
        // The second cue's first character (after its quote).
        assert_eq!((d[0].line, d[0].column), (10, 21));
        assert!(d[0].message.contains("more than 4 words"), "{}", d[0].message);
        assert!(Rubric::from_str(&src("", &cues), "t.toml").is_ok());

        let nested = point(r#"cues = [{ all = [{ any = [{ all = ["a", "b"] }, "c"] }, "d"] }]"#);
        // "a" and "b" are three groups deep.
        let shallow = RubricLimits {
            max_nesting: 2,
            ..RubricLimits::default()
        };
        let d = diagnostics("", &nested, &shallow);
        assert_eq!(
            d.iter().map(|d| (d.line, d.column)).collect::<Vec<_>>(),
            [(10, 36), (10, 41)]
        );
        assert!(
            d[0].message
                .starts_with("cue groups nested deeper than 2 (raise the limit with --max-nesting"),
            "{}",
            d[0].message
        );
        let deep = RubricLimits {
            max_nesting: 3,
            ..RubricLimits::default()
        };
        assert!(Rubric::from_str_with(&src("", &nested), "t.toml", &deep).is_ok());
    }

    /// A misconception is compiled apart from the points that earn marks, with its effect; the
    /// keys only a misconception has, or cannot have, are errors at their line and column.
    #[test]
    fn misconceptions_are_kept_apart_with_their_effect() {
        let wrong = |id: &str, keys: &str| {
            format!(
                "[[question.point]]\nid = \"{id}\"\nlabel = \"l\"\nhint = \"h\"\nmisconception = true\ncues = [\"x\"]\n{keys}\n"
            )
        };
        let two = format!(
            "{}{}",
            point(r#"cues = ["a"]"#),
            point(r#"cues = ["b"]"#).replace("\"p\"", "\"q\"")
        );
        let r = compile_ok(
            "",
            &format!("{two}{}", wrong("w", "cancels = [\"q\"]\ncap = 1\nmarks = -0.5")),
        );
        let q = &r.questions[0];
        assert_eq!(q.points.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["p", "q"]);
        assert_eq!(q.misconceptions.len(), 1);
        assert_eq!(q.max, 2.0, "a misconception adds nothing to the question's maximum");
        let effect = q.misconceptions[0].misconception.clone().expect("an effect");
        assert_eq!(
            effect,
            Misconception {
                cancels: vec![1],
                cap: Some(1.0),
                deduct: 0.5
            }
        );
        assert_eq!(
            (q.misconceptions[0].marks, q.misconceptions[0].partial_marks),
            (0.0, 0.0)
        );
        assert!(q.points.iter().all(|p| p.misconception.is_none()));
        // Errors, each at its key: a misconception's own keys on a point; marks that earn;
        // partial cues; a point it cancels that is not in its question, or is a misconception.
        let cases = [
            (point("cues = [\"a\"]\ncap = 1"), "`cap` belongs to a misconception"),
            (
                format!("{two}{}", wrong("w", "marks = 1")),
                "must be a number from -1000 to 0 (the marks it takes off",
            ),
            (
                format!("{two}{}", wrong("w", "partial = [\"y\"]")),
                "has `partial` cues",
            ),
            (
                format!("{two}{}", wrong("w", "cancels = [\"nope\"]")),
                "cancels `nope`, which is not a point of its question (its points: `p`, `q`)",
            ),
            (
                format!("{two}{}{}", wrong("w", "cancels = [\"v\"]"), wrong("v", "")),
                "cancels `v`, another misconception",
            ),
            (wrong("w", ""), "has no [[question.point]]"),
        ];
        for (points, want) in cases {
            let d = diagnostics("", &points, &RubricLimits::default());
            assert_eq!(d.len(), 1, "{points}: {d:?}");
            assert!(d[0].message.contains(want), "{points}: {}", d[0].message);
            assert!(d[0].line > 1, "{points}: {d:?}");
        }
    }
}
