//! Warnings about sensitive data in what a member is about to send: a bank account
//! (IBAN), a payment-card number, or the social-security number of someone else.
//!
//! A warning never blocks: the member reads it and may send anyway (some messages need
//! a child's NIR). Seed A's advice is « Ne divulguez pas d'informations personnelles
//! sensibles (numéro de compte bancaire, etc.) » (domain.md §4.1). The result names kinds
//! only, never the matched text, so it can be logged.
//!
//! # How numbers are found
//!
//! The text is cut into *tokens* (runs of letters and digits). Two tokens are *joined*
//! when one to three spaces, dashes or dots and nothing else separate them (no line
//! break), since people group numbers that way: `FR76 3000 6000…`, `4970-1012-…`,
//! `1 85 05 78 006 084 91`. A candidate is a sequence of consecutive joined tokens, and
//! only checked numbers count, which is what keeps phone numbers, dates and amounts out:
//!
//! - **IBAN**: tokens starting with two letters and two digits, 15 to 34 characters in
//!   all, whose country format and check digits [`Iban::parse`] accepts. Any SEPA IBAN
//!   counts, and so does a valid IBAN of another country (it is bank data just as much).
//!   An upper-case sequence starting with a SEPA country code and two digits that fails
//!   the check is still set aside, so that a mistyped IBAN does not read as a card or a
//!   NIR.
//! - **Payment card**: digit tokens, 13 to 19 digits in all, every group but the last of
//!   at least 3 digits (cards are grouped 4-4-4-4 or 4-6-5, never in pairs like phone
//!   numbers or a NIR), first digit 2 to 6 (the card networks' ISO/IEC 7812 industry
//!   identifiers: Mastercard, Amex, Visa, Maestro, Discover…), and the Luhn check.
//! - **NIR**: tokens of digits (and the `A`/`B` of Corsica), either 15 characters that
//!   [`Nir::parse`] accepts (key included), or a whole joined sequence of exactly 13
//!   characters that passes every structural rule of the NIR (no key to check, so the
//!   whole sequence must be those 13 characters). The member's own number, with or
//!   without key, raises nothing.
//!
//! A number that is both a valid NIR and a Luhn-valid card is reported as a NIR only
//! (it is one in this context), and a NIR found strictly inside a card number is not
//! reported.

use std::ops::Range;

use crate::{Iban, IbanError, Nir, SEPA_COUNTRIES, compute_key};

/// A kind of sensitive data found in a text. Carries no text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Warning {
    /// A valid IBAN.
    BankAccount,
    /// A Luhn-valid payment-card number.
    PaymentCard,
    /// A valid NIR that is not the member's own.
    OtherPersonNir,
}

impl Warning {
    /// Returns a stable code for logs and page tests: `"iban"`, `"carte_bancaire"` or
    /// `"nir_tiers"`.
    pub fn code(self) -> &'static str {
        match self {
            Warning::BankAccount => "iban",
            Warning::PaymentCard => "carte_bancaire",
            Warning::OtherPersonNir => "nir_tiers",
        }
    }

    /// Returns the French explanation shown to the member before sending.
    pub fn message_fr(self) -> &'static str {
        match self {
            Warning::BankAccount => {
                "Votre message semble contenir des coordonnées bancaires (IBAN). Ne \
                 divulguez pas vos coordonnées bancaires complètes dans un message : pour \
                 changer le compte sur lequel vos remboursements sont versés, passez par \
                 « Mon profil », rubrique « Mes coordonnées bancaires »."
            }
            Warning::PaymentCard => {
                "Votre message semble contenir un numéro de carte bancaire. Ne le \
                 communiquez jamais : votre caisse ne vous le demandera pas par message. \
                 Supprimez-le avant d'envoyer."
            }
            Warning::OtherPersonNir => {
                "Votre message semble contenir le numéro de sécurité sociale d'une autre \
                 personne. Ne le divulguez que s'il est nécessaire à votre demande, par \
                 exemple pour un enfant rattaché à votre dossier."
            }
        }
    }
}

/// Returns the kinds of sensitive data found in `text`, each once, in the order of
/// [`Warning`]; empty when there is nothing to say. `own_nir` is the writer's NIR, which
/// raises no warning; with `None` every NIR does. The rules are in the module
/// documentation.
pub fn sensitive_data_warnings(text: &str, own_nir: Option<&Nir>) -> Vec<Warning> {
    let tokens = tokenize(text);
    let mut warnings = Vec::new();
    for chain in tokens.chunk_by(|_, next| next.joined) {
        let (ibans, set_aside) = find_ibans(chain);
        if !ibans.is_empty() {
            warnings.push(Warning::BankAccount);
        }
        let nirs = find_nirs(chain, &set_aside);
        let cards = find_cards(chain, &set_aside);
        if cards
            .iter()
            .any(|card| !nirs.iter().any(|nir| contains(&nir.span, card)))
        {
            warnings.push(Warning::PaymentCard);
        }
        let is_card = |nir: &FoundNir| {
            cards
                .iter()
                .any(|card| contains(card, &nir.span) && *card != nir.span)
        };
        if nirs.iter().any(|nir| !is_card(nir) && !nir.is_own(own_nir)) {
            warnings.push(Warning::OtherPersonNir);
        }
    }
    warnings.sort_unstable();
    warnings.dedup();
    warnings
}

/// Returns `text` with every IBAN and payment-card number found by the rules of
/// [`sensitive_data_warnings`] masked: each of its letters and digits but the last four
/// becomes `•` (separators stay), so the member still recognises which account or card
/// they meant and the fund never receives the whole number. `None` when there is nothing
/// to mask. NIRs are left alone: some messages need a child's.
pub fn mask_bank_data(text: &str) -> Option<String> {
    let tokens = tokenize(text);
    let mut spans: Vec<Range<usize>> = Vec::new();
    for chain in tokens.chunk_by(|_, next| next.joined) {
        let (ibans, set_aside) = find_ibans(chain);
        let nirs = find_nirs(chain, &set_aside);
        let cards = find_cards(chain, &set_aside)
            .into_iter()
            .filter(|card| !nirs.iter().any(|nir| contains(&nir.span, card)));
        for span in ibans.into_iter().chain(cards) {
            let first = &chain[span.start];
            let last = &chain[span.end - 1];
            spans.push(first.start..last.start + last.text.len());
        }
    }
    if spans.is_empty() {
        return None;
    }
    let mut masked = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let hidden = c.is_alphanumeric()
            && spans.iter().any(|span| {
                span.contains(&i)
                    && text[i..span.end]
                        .chars()
                        .filter(|c| c.is_alphanumeric())
                        .count()
                        > 4
            });
        masked.push(if hidden { '•' } else { c });
    }
    Some(masked)
}

/// Characters that may join two tokens of one number.
const JOINERS: &[char] = &[' ', '\t', '\u{a0}', '\u{2009}', '\u{202f}', '-', '.'];
/// Most joining characters between two tokens of one number (`" - "`).
const MAX_GAP: usize = 3;
/// Longest IBAN (ISO 13616).
const MAX_IBAN_LEN: usize = 34;
/// Shortest IBAN (Norway).
const MIN_IBAN_LEN: usize = 15;

/// A run of letters and digits, where it starts (in bytes), and whether it is joined to
/// the token before it.
struct Token<'a> {
    text: &'a str,
    start: usize,
    joined: bool,
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut previous_end = 0;
    let mut start = None;
    // A sentinel separator at the end closes the last token.
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let gap = &text[previous_end..s];
                let joined = !tokens.is_empty()
                    && !gap.is_empty()
                    && gap.chars().count() <= MAX_GAP
                    && gap.chars().all(|g| JOINERS.contains(&g));
                tokens.push(Token {
                    text: &text[s..i],
                    start: s,
                    joined,
                });
                previous_end = i;
                start = None;
            }
            _ => {}
        }
    }
    tokens
}

/// True if `inner` lies within `outer`.
fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Looks for IBANs in a chain. Returns the token spans of the valid ones, and which tokens
/// belong to an IBAN or to an upper-case IBAN-shaped sequence (set aside from the other
/// searches).
fn find_ibans(chain: &[Token<'_>]) -> (Vec<Range<usize>>, Vec<bool>) {
    let mut found = Vec::new();
    let mut set_aside = vec![false; chain.len()];
    let mut i = 0;
    while i < chain.len() {
        let mut electronic = String::new();
        let mut upper_case = true;
        let mut shaped_end = None;
        let mut valid_end = None;
        for (j, token) in chain.iter().enumerate().skip(i) {
            if !token.text.is_ascii() {
                break;
            }
            upper_case &= !token.text.bytes().any(|b| b.is_ascii_lowercase());
            electronic.push_str(&token.text.to_ascii_uppercase());
            if electronic.len() > MAX_IBAN_LEN
                || (electronic.len() >= 4 && !has_iban_prefix(&electronic))
            {
                break;
            }
            if electronic.len() >= MIN_IBAN_LEN && is_valid_iban(&electronic) {
                valid_end = Some(j + 1);
                break;
            }
            if electronic.len() >= 4 && upper_case && has_sepa_country(&electronic) {
                shaped_end = Some(j + 1);
            }
        }
        if let Some(end) = valid_end {
            found.push(i..end);
            set_aside[i..end].fill(true);
            i = end;
            continue;
        }
        if let Some(end) = shaped_end {
            set_aside[i..end].fill(true);
        }
        i += 1;
    }
    (found, set_aside)
}

/// True if `s` (upper case, at least 4 characters) starts with two letters and two
/// digits.
fn has_iban_prefix(s: &str) -> bool {
    let b = s.as_bytes();
    b[..2].iter().all(u8::is_ascii_uppercase) && b[2..4].iter().all(u8::is_ascii_digit)
}

/// True if `s` starts with a SEPA country code.
fn has_sepa_country(s: &str) -> bool {
    SEPA_COUNTRIES
        .iter()
        .any(|country| s.as_bytes().starts_with(country.as_bytes()))
}

/// True if `s` is a valid IBAN, in the SEPA area or not: [`IbanError::NotSepa`] is only
/// returned once format and check digits have passed.
fn is_valid_iban(s: &str) -> bool {
    matches!(Iban::parse(s), Ok(_) | Err(IbanError::NotSepa))
}

/// A NIR found in a chain: its tokens and the number.
struct FoundNir {
    span: Range<usize>,
    nir: Nir,
}

impl FoundNir {
    /// True if this is `own`. Comparing bodies suffices: the key follows from the body,
    /// and a keyless NIR was given its computed key.
    fn is_own(&self, own: Option<&Nir>) -> bool {
        own.is_some_and(|own| own.body() == self.nir.body())
    }
}

/// Digits, with the `A`/`B` of Corsica, and at least one digit.
fn is_nir_token(token: &Token<'_>) -> bool {
    let bytes = token.text.as_bytes();
    bytes
        .iter()
        .all(|b| b.is_ascii_digit() || matches!(b, b'A' | b'B' | b'a' | b'b'))
        && bytes.iter().any(u8::is_ascii_digit)
}

/// Looks for NIRs with their key anywhere in a chain, and for keyless ones as a whole
/// run of NIR tokens.
fn find_nirs(chain: &[Token<'_>], set_aside: &[bool]) -> Vec<FoundNir> {
    let usable = |j: usize| !set_aside[j] && is_nir_token(&chain[j]);
    let mut found = Vec::new();
    for i in (0..chain.len()).filter(|&i| usable(i)) {
        let mut number = String::new();
        for j in (i..chain.len()).take_while(|&j| usable(j)) {
            number.push_str(chain[j].text);
            if number.len() >= 15 {
                if number.len() == 15
                    && let Ok(nir) = Nir::parse(&number)
                {
                    found.push(FoundNir {
                        span: i..j + 1,
                        nir,
                    });
                }
                break;
            }
        }
    }
    let mut start = 0;
    while start < chain.len() {
        let end = (start..chain.len())
            .find(|&j| !usable(j))
            .unwrap_or(chain.len());
        let body: String = chain[start..end].iter().map(|t| t.text).collect();
        if let Some(nir) = keyless_nir(&body) {
            found.push(FoundNir {
                span: start..end,
                nir,
            });
        }
        start = end + 1;
    }
    found
}

/// The NIR of a 13-character body that passes every structural rule, with its key.
fn keyless_nir(body: &str) -> Option<Nir> {
    if body.len() != 13 {
        return None;
    }
    let key = compute_key(body)?;
    Nir::parse(&format!("{body}{key:02}")).ok()
}

/// Looks for card numbers in a chain; returns their token spans.
fn find_cards(chain: &[Token<'_>], set_aside: &[bool]) -> Vec<Range<usize>> {
    let usable = |j: usize| !set_aside[j] && chain[j].text.bytes().all(|b| b.is_ascii_digit());
    let mut found = Vec::new();
    for i in (0..chain.len()).filter(|&i| usable(i)) {
        let mut digits = String::new();
        for j in (i..chain.len()).take_while(|&j| usable(j)) {
            // Token j - 1 is no longer the last group: it must have 3 digits or more.
            if j > i && chain[j - 1].text.len() < 3 {
                break;
            }
            digits.push_str(chain[j].text);
            if digits.len() > 19 {
                break;
            }
            if digits.len() >= 13 && is_card_number(&digits) {
                found.push(i..j + 1);
            }
        }
    }
    found
}

/// 13 to 19 ASCII digits, a card network's first digit (2 to 6) and the Luhn check.
fn is_card_number(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    (13..=19).contains(&bytes.len())
        && matches!(bytes[0], b'2'..=b'6')
        && luhn_sum(bytes).is_multiple_of(10)
}

/// The Luhn sum of ASCII digits: every second digit from the right doubled, minus 9
/// above 9.
fn luhn_sum(digits: &[u8]) -> u32 {
    digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let value = u32::from(d - b'0');
            match (i % 2, value * 2) {
                (0, _) => value,
                (_, doubled) if doubled > 9 => doubled - 9,
                (_, doubled) => doubled,
            }
        })
        .sum()
}

#[cfg(test)]
mod tests;
