//! Mails of the public questions. They name the question's title only (the member wrote it
//! for the public) and link to the question's page.

use askama::Template;

/// The fund answered a member's question.
#[derive(Template)]
#[template(path = "mail/forum_answered.txt")]
pub struct QuestionAnswered<'a> {
    /// The question's title.
    pub title: &'a str,
    /// The question's page.
    pub link: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

/// An advisor refused a member's question.
#[derive(Template)]
#[template(path = "mail/forum_rejected.txt")]
pub struct QuestionRejected<'a> {
    /// The question's title.
    pub title: &'a str,
    /// Why, in the advisor's words.
    pub reason: &'a str,
    /// « Mes questions ».
    pub link: &'a str,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}
