//! What a new password must satisfy: the policy's rules, a strength estimate that knows the
//! member's own data, and a matching confirmation.

use caisse_domain::{PasswordContext, PasswordError, PasswordPolicy};
use caisse_store::members::MemberRecord;

use crate::password_strength::{self, Strength};

/// Why a new password is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    /// A rule of the password policy.
    Rule(PasswordError),
    /// Within the rules, but too easy to guess.
    TooWeak(Strength),
    /// The confirmation differs from the password.
    Mismatch,
}

impl PasswordProblem {
    /// The sentence shown to the member.
    pub fn message_fr(&self) -> String {
        match self {
            PasswordProblem::Rule(error) => error.message_fr().to_owned(),
            PasswordProblem::TooWeak(strength) => strength.explanation_fr(),
            PasswordProblem::Mismatch => {
                "La confirmation ne correspond pas au mot de passe : saisissez deux fois le même mot de passe."
                    .to_owned()
            }
        }
    }

    /// True when the problem is in the confirmation field rather than the password field.
    pub fn concerns_confirmation(&self) -> bool {
        matches!(self, PasswordProblem::Mismatch)
    }
}

/// Every problem of the candidate for this member (their file gives the personal data a
/// password must not contain).
pub(crate) fn problems(
    policy: &PasswordPolicy,
    member: &MemberRecord,
    password: &str,
    confirmation: &str,
) -> Vec<PasswordProblem> {
    let context = PasswordContext {
        nir: Some(&member.nir),
        birth_date: Some(member.birth_date),
        email: member.email.as_ref(),
    };
    let words = personal_words(member);
    problems_with(policy, &context, &words, password, confirmation)
}

/// Every problem of the candidate: the policy's rules, then (only when they pass, to
/// avoid saying "too common" twice) the strength estimate, then the confirmation.
pub(crate) fn problems_with(
    policy: &PasswordPolicy,
    context: &PasswordContext<'_>,
    words: &[String],
    password: &str,
    confirmation: &str,
) -> Vec<PasswordProblem> {
    let mut problems: Vec<PasswordProblem> = policy
        .violations(password, context)
        .into_iter()
        .map(PasswordProblem::Rule)
        .collect();
    if problems.is_empty() {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let strength = password_strength::estimate(password, &words);
        if !strength.is_acceptable() {
            problems.push(PasswordProblem::TooWeak(strength));
        }
    }
    if password != confirmation {
        problems.push(PasswordProblem::Mismatch);
    }
    problems
}

/// What an attacker who targets this member would try first.
fn personal_words(member: &MemberRecord) -> Vec<String> {
    let nir = &member.nir;
    let date = member.birth_date;
    let mut words = vec![
        nir.as_str().to_owned(),
        nir.body().to_owned(),
        member.first_name.clone(),
        member.last_name.clone(),
        member.city.clone(),
        member.postal_code.clone(),
        format!(
            "{:02}{:02}{}",
            date.day(),
            u8::from(date.month()),
            date.year()
        ),
    ];
    words.extend(member.usage_name.clone());
    if let Some(email) = &member.email {
        words.push(email.as_str().to_owned());
        words.push(email.local_part().to_owned());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mismatch_points_at_the_confirmation_and_reads_french() {
        let problem = PasswordProblem::Mismatch;
        assert!(problem.concerns_confirmation());
        assert!(problem.message_fr().contains("confirmation"));
        let rule = PasswordProblem::Rule(PasswordError::ContainsNir);
        assert!(!rule.concerns_confirmation());
        assert!(rule.message_fr().contains("numéro de sécurité sociale"));
    }
}
