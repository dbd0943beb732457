//! [`AttestationKind`]: which attestation a member downloads, and a signed statement names.

/// Which attestation a statement belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttestationKind {
    /// *Attestation de droits*.
    Droits,
    /// *Attestation de carte Vitale*.
    CarteVitale,
}

impl AttestationKind {
    /// The byte of a signed statement's binary form.
    pub fn byte(self) -> u8 {
        match self {
            AttestationKind::Droits => 1,
            AttestationKind::CarteVitale => 2,
        }
    }

    /// The kind of a signed statement's byte.
    pub fn from_byte(byte: u8) -> Option<AttestationKind> {
        match byte {
            1 => Some(AttestationKind::Droits),
            2 => Some(AttestationKind::CarteVitale),
            _ => None,
        }
    }

    /// The stored code: `droits` or `carte_vitale`.
    pub fn code(self) -> &'static str {
        match self {
            AttestationKind::Droits => "droits",
            AttestationKind::CarteVitale => "carte_vitale",
        }
    }

    /// Reads a stored or typed code (`droits`, `carte_vitale`, also `carte-vitale`).
    pub fn from_code(code: &str) -> Option<AttestationKind> {
        match code {
            "droits" => Some(AttestationKind::Droits),
            "carte_vitale" | "carte-vitale" => Some(AttestationKind::CarteVitale),
            _ => None,
        }
    }

    /// « attestation de droits », « attestation de carte Vitale ».
    pub fn label_fr(self) -> &'static str {
        match self {
            AttestationKind::Droits => "attestation de droits",
            AttestationKind::CarteVitale => "attestation de carte Vitale",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_bytes_read_back() {
        for kind in [AttestationKind::Droits, AttestationKind::CarteVitale] {
            assert_eq!(AttestationKind::from_code(kind.code()), Some(kind));
            assert_eq!(AttestationKind::from_byte(kind.byte()), Some(kind));
        }
        assert_eq!(
            AttestationKind::from_code("carte-vitale"),
            Some(AttestationKind::CarteVitale)
        );
        assert_eq!(AttestationKind::from_byte(0), None);
    }
}
