//! The questions the assistant answers by acting: a deep link into a feature.

/// Something the member wants done rather than explained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// « télécharger mon attestation » → the attestations page.
    DownloadAttestation,
    /// « commander une carte Vitale » → the démarche `carte-vitale`.
    OrderCarteVitale,
    /// « où en est mon remboursement » → the member's latest payment.
    LatestPayment,
    /// « prendre rendez-vous » → booking.
    BookAppointment,
    /// « écrire à ma caisse » → a new message.
    WriteToFund,
}

/// The intent of a question, if it asks for one of them.
#[must_use]
pub fn detect_intent(query: &str) -> Option<Intent> {
    let _ = query;
    todo!()
}
