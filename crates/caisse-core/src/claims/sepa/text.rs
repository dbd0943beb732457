//! Text in a SEPA file: the EPC's basic Latin character set, the reduction of free text to
//! it, and XML escaping.
//!
//! The SEPA schemes exchange only `a-z A-Z 0-9 / - ? : ( ) . , ' +` and space, whatever
//! the XML allows; a bank may reject a file with anything else. Free text (names,
//! remittance) is therefore transliterated: Latin letters lose their accents (é → e,
//! Ç → C), ligatures are spelt out (œ → oe, ß → ss), `&` becomes `+`, typographic
//! apostrophes and dashes become `'` and `-`, any white space a space, anything else a `.`.
//! Spaces are then collapsed and trimmed. Identifiers are not transliterated but checked
//! ([`check_id`]): a changed reference would no longer match the payment it names.

use std::borrow::Cow;

use super::{IdProblem, MAX_ID_CHARS};

/// Whether `c` belongs to the SEPA basic Latin character set.
pub(super) fn is_sepa_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '/' | '-' | '?' | ':' | '(' | ')' | '.' | ',' | '\'' | '+' | ' '
        )
}

/// Checks an identifier against the SEPA rules: 1 to [`MAX_ID_CHARS`] characters of the
/// set, not starting or ending with `/`, no `//`.
pub(super) fn check_id(id: &str) -> Result<(), IdProblem> {
    if id.is_empty() {
        return Err(IdProblem::Empty);
    }
    if id.chars().count() > MAX_ID_CHARS {
        return Err(IdProblem::TooLong);
    }
    if !id.chars().all(is_sepa_char) {
        return Err(IdProblem::Character);
    }
    if id.starts_with('/') || id.ends_with('/') || id.contains("//") {
        return Err(IdProblem::Slash);
    }
    Ok(())
}

/// `text` reduced to the SEPA set, spaces collapsed and trimmed, cut to `max_chars`
/// characters (at a character, then trimmed again). The result is ASCII.
pub(super) fn transliterate(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars.saturating_mul(2)));
    // A space is kept only after something else than a space.
    let push = |out: &mut String, r: char| {
        if r != ' ' || !(out.is_empty() || out.ends_with(' ')) {
            out.push(r);
        }
    };
    for c in text.chars() {
        if is_sepa_char(c) {
            push(&mut out, c);
        } else if c.is_whitespace() {
            push(&mut out, ' ');
        } else {
            for r in sepa_equivalent(c).chars() {
                push(&mut out, r);
            }
        }
        // ASCII from here on: bytes are characters. One more than the limit tells whether
        // a space at the cut is trailing.
        if out.len() > max_chars {
            break;
        }
    }
    out.truncate(max_chars);
    let kept = out.trim_end().len();
    out.truncate(kept);
    out
}

/// What `c`, outside the SEPA set and not white space, becomes: its letters without
/// accents, or a stand-in.
fn sepa_equivalent(c: char) -> &'static str {
    match c {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ª' => "a",
        'Æ' => "AE",
        'æ' => "ae",
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'Ð' | 'Ď' | 'Đ' => "D",
        'ð' | 'ď' | 'đ' => "d",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'Ĥ' | 'Ħ' => "H",
        'ĥ' | 'ħ' => "h",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'Ĳ' => "IJ",
        'ĳ' => "ij",
        'Ĵ' => "J",
        'ĵ' => "j",
        'Ķ' => "K",
        'ķ' => "k",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "L",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' => "N",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'º' => "o",
        'Œ' => "OE",
        'œ' => "oe",
        'Ŕ' | 'Ŗ' | 'Ř' => "R",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "S",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' | 'ẞ' => "ss",
        'Ţ' | 'Ť' | 'Ț' | 'Ŧ' => "T",
        'ţ' | 'ť' | 'ț' | 'ŧ' => "t",
        'Þ' => "TH",
        'þ' => "th",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'Ŵ' => "W",
        'ŵ' => "w",
        'Ý' | 'Ÿ' | 'Ŷ' => "Y",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ź' | 'ż' | 'ž' => "z",
        '&' => "+",
        '’' | '‘' | 'ʼ' | '`' | '´' => "'",
        '‐' | '‑' | '‒' | '–' | '—' | '_' => "-",
        _ => ".",
    }
}

/// `text` escaped for XML element content: `&`, `<` and `>` become entities. Text reduced
/// to the SEPA set has none of them; escaping anyway keeps the document well formed
/// whatever reaches the writer. The writer never puts text in an attribute.
pub(super) fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_names_lose_their_accents() {
        let cases = [
            ("Hélène Lefèvre", "Helene Lefevre"),
            ("François Çelik", "Francois Celik"),
            ("Zoë Noël-Bréhat", "Zoe Noel-Brehat"),
            ("Cœur Lætitia", "Coeur Laetitia"),
            ("ÉLODIE D’AUBIGNÉ", "ELODIE D'AUBIGNE"),
            ("Jürgen Weiß", "Jurgen Weiss"),
            ("Łukasz Wałęsa", "Lukasz Walesa"),
            ("Ștefan Țurcanu", "Stefan Turcanu"),
        ];
        for (name, expected) in cases {
            assert_eq!(transliterate(name, 70), expected, "{name}");
        }
    }

    #[test]
    fn other_characters_become_stand_ins() {
        assert_eq!(transliterate("Dupont & Fils", 70), "Dupont + Fils");
        assert_eq!(transliterate("A<B>C \"x\"", 70), "A.B.C .x.");
        assert_eq!(transliterate("Li 李 Wei", 70), "Li . Wei");
        assert_eq!(
            transliterate("cabinet_médical – Lyon", 70),
            "cabinet-medical - Lyon"
        );
        assert_eq!(transliterate("n° 12 ; 50 %", 70), "n. 12 . 50 .");
    }

    #[test]
    fn white_space_is_collapsed_and_trimmed() {
        assert_eq!(
            transliterate("  Jean \t\n  Dupont\u{a0} ", 70),
            "Jean Dupont"
        );
        assert_eq!(transliterate(" \u{2009}\t", 70), "");
        assert_eq!(transliterate("", 70), "");
    }

    #[test]
    fn long_text_is_cut_at_the_limit() {
        let long = "é".repeat(100);
        assert_eq!(transliterate(&long, 70), "e".repeat(70));
        // Ligatures count for what they become.
        assert_eq!(transliterate(&"œ".repeat(40), 70), "oe".repeat(35));
        // A space at the cut is not kept.
        assert_eq!(transliterate("abcd efgh", 5), "abcd");
        assert_eq!(transliterate("abcd efgh", 4), "abcd");
        assert_eq!(transliterate("abcd efgh", 6), "abcd e");
    }

    #[test]
    fn every_result_is_in_the_set() {
        let sample: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        let out = transliterate(&sample, usize::MAX / 4);
        assert!(out.chars().all(is_sepa_char));
    }

    #[test]
    fn identifiers_are_checked_not_changed() {
        assert_eq!(check_id("CAISSE-2026-12-07-0001"), Ok(()));
        assert_eq!(check_id("A/B:C?(D).E,F'G+H I"), Ok(()));
        assert_eq!(check_id(&"X".repeat(35)), Ok(()));
        assert_eq!(check_id(""), Err(IdProblem::Empty));
        assert_eq!(check_id(&"X".repeat(36)), Err(IdProblem::TooLong));
        assert_eq!(check_id("Réf-1"), Err(IdProblem::Character));
        assert_eq!(check_id("A&B"), Err(IdProblem::Character));
        assert_eq!(check_id("A_B"), Err(IdProblem::Character));
        assert_eq!(check_id("/AB"), Err(IdProblem::Slash));
        assert_eq!(check_id("AB/"), Err(IdProblem::Slash));
        assert_eq!(check_id("A//B"), Err(IdProblem::Slash));
    }

    #[test]
    fn escaping_for_element_content() {
        assert_eq!(escape("Dupont"), "Dupont");
        assert!(matches!(escape("D'Artagnan"), Cow::Borrowed("D'Artagnan")));
        assert_eq!(escape("A & B <c> &amp;"), "A &amp; B &lt;c&gt; &amp;amp;");
        assert_eq!(escape("é&"), "é&amp;");
    }
}
