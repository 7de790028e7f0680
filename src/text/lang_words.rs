//! The words the negation and clause rules know in languages other than English (English's are
//! in [`super::lang`]): for French, German, Spanish, Italian, Portuguese and Dutch. A rubric in
//! another language uses the English lists (which in practice means that negation is seldom
//! found). Listed in `docs/rubric-format.md`; each list is short and meant to be read.
//!
//! Words are normalised (lower case, straight apostrophes). As in English, a negation word
//! negates what follows it in its clause, a refusal ("refusa", "lehnte ... ab" is not one: the
//! particle comes last) or counterfactual ("si Staline avait", "en lugar de") too, and clause
//! words end a negation's reach.

/// The words of one language.
pub struct Words {
    /// Negation words ("ne", "pas", "jamais", "sans").
    pub negators: &'static [&'static str],
    /// Prefixes that make a word a negation ("n'" of French "n'a", "n'était").
    pub negator_prefixes: &'static [&'static str],
    /// Auxiliaries that may stand between a subject and a negation after it.
    pub auxiliaries: &'static [&'static str],
    /// Words after a negation that make it something else ("pas seulement": not only).
    pub cancels: &'static [&'static str],
    /// Words that start a two-word refusal or counterfactual (see `refusal` in
    /// `matcher/negation.rs`: "au lieu de", "en vez de", "si ... avait").
    pub refusal_heads: &'static [&'static str],
    /// Single words that refuse what follows ("refusa", "weigerte").
    pub refusals: &'static [&'static str],
    /// Words that start a new clause.
    pub clause_words: &'static [&'static str],
    /// Third-person pronouns that refer back to a person named before (`[people]`): subjects and
    /// possessives of one person, leaving out those that are as often something else (German
    /// "sie", also "they"; Dutch "zijn", also "are"; Spanish "su", also "their").
    pub pronouns: &'static [&'static str],
}

/// The words of `language` (a name of [`super::lang::LANGUAGES`]), if they are written.
pub fn of(language: &str) -> Option<&'static Words> {
    Some(match language {
        "french" => &FRENCH,
        "german" => &GERMAN,
        "spanish" => &SPANISH,
        "italian" => &ITALIAN,
        "portuguese" => &PORTUGUESE,
        "dutch" => &DUTCH,
        _ => return None,
    })
}

/// The languages with lists of their own (for the tests).
#[cfg(test)]
pub const WRITTEN: &[&str] = &["french", "german", "spanish", "italian", "portuguese", "dutch"];

/// The past forms after which "si"/"se"/"wenn" starts a counterfactual ("si Staline avait",
/// "si hubiera", "se avesse", "se tivesse", "wenn er ... hätte").
pub const COUNTERFACTUAL_VERBS: &[&str] = &[
    "avait", "avaient", "eût", "eut", "hubiera", "hubieran", "hubiese", "hubiesen", "avesse", "avessero", "fosse",
    "fossero", "tivesse", "tivessem", "fosse", "fossem", "hätte", "hätten", "wäre", "wären",
];

static FRENCH: Words = Words {
    negators: &[
        "ne",
        // "n'" of "n'avait" (read as two words: "n" "avait"; "n'a" stays whole, and its prefix
        // makes it a negation word)
        "n",
        "pas",
        "jamais",
        "aucun",
        "aucune",
        "sans",
        "non",
        "ni",
        "rien",
        "nullement",
        "guère",
    ],
    negator_prefixes: &["n'"],
    auxiliaries: &[
        "est", "était", "étaient", "a", "avait", "avaient", "ont", "sont", "fut", "été", "être", "peut", "pouvait",
        "pourrait", "doit", "devait", "va", "allait",
    ],
    cancels: &["seulement", "uniquement", "que"],
    refusal_heads: &["lieu", "plutôt", "si"],
    refusals: &[
        "refusa", "refusé", "refusait", "refuse", "refuser", "refusant", "déclina", "rejeta", "rejeté",
    ],
    clause_words: &[
        "mais",
        "cependant",
        "pourtant",
        "toutefois",
        "car",
        "parce",
        "donc",
        "qui",
        "que",
        "qu'il",
        "alors",
        "tandis",
        "puisque",
        "quoique",
    ],
    pronouns: &["il", "elle", "son", "sa", "ses"],
};

static GERMAN: Words = Words {
    negators: &[
        "nicht", "nie", "niemals", "kein", "keine", "keinen", "keinem", "keiner", "keines", "ohne", "weder", "nichts",
        "niemand", "statt", "anstatt",
    ],
    negator_prefixes: &[],
    auxiliaries: &[
        "ist", "war", "waren", "sind", "hat", "hatte", "hatten", "haben", "wurde", "wurden", "wird", "kann", "konnte",
        "könnte", "sollte", "muss", "musste",
    ],
    cancels: &["nur", "bloß", "lediglich"],
    refusal_heads: &["wenn", "falls"],
    refusals: &["verweigerte", "weigerte", "verweigert", "lehnte", "abgelehnt"],
    clause_words: &[
        "aber", "jedoch", "obwohl", "weil", "denn", "sondern", "dass", "also", "deshalb", "während", "trotzdem",
    ],
    pronouns: &["er", "sein", "seine", "seinen", "seinem", "seiner", "seines"],
};

static SPANISH: Words = Words {
    negators: &[
        "no", "nunca", "jamás", "jamas", "ni", "sin", "ningún", "ningun", "ninguno", "ninguna", "nada", "nadie",
        "tampoco",
    ],
    negator_prefixes: &[],
    auxiliaries: &[
        "es", "era", "eran", "fue", "fueron", "ha", "había", "habían", "han", "está", "estaba", "estaban", "puede",
        "podía", "podría", "debía",
    ],
    cancels: &["solo", "sólo", "solamente", "únicamente"],
    refusal_heads: &["lugar", "vez", "si"],
    refusals: &["rechazó", "rehusó", "negó", "rechazaba", "rechazado"],
    clause_words: &[
        "pero", "embargo", "aunque", "porque", "que", "quien", "cual", "entonces", "mientras", "sino", "pues",
    ],
    pronouns: &["él", "ella"],
};

static ITALIAN: Words = Words {
    negators: &[
        "non", "mai", "né", "senza", "nessuno", "nessuna", "nessun", "niente", "nulla",
    ],
    negator_prefixes: &[],
    auxiliaries: &[
        "è", "era", "erano", "fu", "furono", "ha", "aveva", "avevano", "hanno", "sono", "stato", "può", "poteva",
        "potrebbe", "doveva",
    ],
    cancels: &["solo", "soltanto", "solamente"],
    refusal_heads: &["invece", "piuttosto", "se"],
    refusals: &["rifiutò", "rifiutato", "rifiutava", "respinse", "respinto"],
    clause_words: &[
        "ma", "però", "tuttavia", "sebbene", "benché", "perché", "che", "quindi", "mentre", "anzi", "cui",
    ],
    pronouns: &["egli", "ella", "lui", "lei"],
};

static PORTUGUESE: Words = Words {
    negators: &[
        "não", "nunca", "jamais", "nem", "sem", "nenhum", "nenhuma", "nada", "ninguém",
    ],
    negator_prefixes: &[],
    auxiliaries: &[
        "é", "era", "eram", "foi", "foram", "tem", "tinha", "tinham", "têm", "está", "estava", "estavam", "pode",
        "podia", "poderia", "devia",
    ],
    cancels: &["só", "apenas", "somente"],
    refusal_heads: &["vez", "lugar", "se"],
    refusals: &["recusou", "recusado", "recusava", "rejeitou", "rejeitado"],
    clause_words: &[
        "mas", "porém", "contudo", "todavia", "embora", "porque", "que", "quem", "então", "enquanto", "pois",
    ],
    pronouns: &["ele", "ela"],
};

static DUTCH: Words = Words {
    negators: &["niet", "nooit", "geen", "zonder", "niets", "niemand", "noch"],
    negator_prefixes: &[],
    auxiliaries: &[
        "is", "was", "waren", "zijn", "heeft", "had", "hadden", "hebben", "werd", "werden", "wordt", "kan", "kon",
        "kunnen", "zou", "moest",
    ],
    cancels: &["alleen", "slechts", "enkel"],
    refusal_heads: &["plaats"],
    refusals: &["weigerde", "geweigerd"],
    clause_words: &[
        "maar", "echter", "hoewel", "omdat", "want", "dus", "dat", "die", "terwijl", "toch", "daarom",
    ],
    pronouns: &["hij"],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_language_is_one_of_the_stemmers_and_its_lists_are_normalised() {
        for name in WRITTEN {
            assert!(super::super::lang::Language::from_name(name).is_some(), "{name}");
            let w = of(name).expect("written");
            for list in [
                w.negators,
                w.auxiliaries,
                w.cancels,
                w.refusal_heads,
                w.refusals,
                w.clause_words,
                w.pronouns,
            ] {
                for word in list {
                    assert_eq!(super::super::tokens::normalize_word(word), *word, "{name}: {word}");
                }
            }
        }
        assert!(of("english").is_none() && of("russian").is_none());
    }
}
