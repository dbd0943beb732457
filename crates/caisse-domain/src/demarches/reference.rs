//! The short reference of a dossier that members quote on the phone and letters print.

/// « D-3F9A-12BC »: the first eight hexadecimal digits of the dossier's id (given as its 128
/// bits), in capitals. Ids are random (v4), so two dossiers of one member practically never
/// share it; the back office still finds a dossier by its whole id.
pub fn dossier_reference(id: u128) -> String {
    let hex = format!("{id:032X}");
    format!("D-{}-{}", &hex[..4], &hex[4..8])
}
