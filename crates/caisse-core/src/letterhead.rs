//! What every document sent in a fund's name shares: the sender block of the letterhead and
//! the recipient's postal lines.

use caisse_domain::{Nir, Sex};
use caisse_store::members::MemberRecord;

/// The fund of `caisse_code` as a PDF sender: its name (or `fallback_name` when the code no
/// longer resolves), its department, the phone members call and the portal's address.
pub(crate) fn sender(
    caisse_code: &str,
    fallback_name: &str,
    phone: &str,
    website: &str,
) -> caisse_pdf::Sender {
    let (organisation, department) = caisse_domain::CaisseCode::parse(caisse_code)
        .map(|code| {
            let fund = caisse_domain::Fund::by_code(&code);
            (fund.name().to_owned(), fund.department_name().to_owned())
        })
        .unwrap_or_else(|_| (fallback_name.to_owned(), String::new()));
    caisse_pdf::Sender {
        organisation,
        address_lines: vec![department]
            .into_iter()
            .filter(|d| !d.is_empty())
            .collect(),
        phone: phone.to_owned(),
        website: website.to_owned(),
    }
}

/// « Madame Sophie WEBER », the street, its complement, « 67000 STRASBOURG ».
pub(crate) fn postal_lines(member: &MemberRecord) -> Vec<String> {
    let civility = match member.sex {
        Sex::Female => "Madame",
        Sex::Male => "Monsieur",
    };
    let name = match &member.usage_name {
        Some(usage) => format!("{civility} {} {usage}", member.first_name),
        None => format!("{civility} {} {}", member.first_name, member.last_name),
    };
    let mut lines = vec![name, member.address_line1.clone()];
    lines.extend(member.address_line2.clone());
    lines.push(format!(
        "{} {}",
        member.postal_code,
        member.city.to_uppercase()
    ));
    lines
}

/// `1 85 05 78 *** *** **`: enough for the member to recognise their number, not enough to
/// use it.
pub(crate) fn masked_nir(nir: &Nir) -> String {
    let visible: String = nir.as_str().chars().take(7).collect();
    let mut out = String::new();
    for (i, c) in visible.chars().enumerate() {
        if matches!(i, 1 | 3 | 5) {
            out.push(' ');
        }
        out.push(c);
    }
    out + " *** *** **"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_nir_keeps_sex_year_month_and_department() {
        let nir = Nir::parse("185057800608491").unwrap();
        assert_eq!(masked_nir(&nir), "1 85 05 78 *** *** **");
    }
}
