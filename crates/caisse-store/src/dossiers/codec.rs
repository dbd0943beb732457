//! Answers as stored: one JSON object, each value tagged with its kind so that it reads back
//! into the same domain type without the definition (`{"t":"nir","v":"1850…"}`). A value that
//! no longer parses is [`StoreError::Corrupt`], naming the dossier.

use caisse_domain::demarches::{AnswerValue, Answers, FieldId, PostalAddress};
use caisse_domain::{AmountCents, Email, Iban, Nir, PhoneNumber};
use serde_json::{Map, Value, json};
use time::Date;
use time::format_description::well_known::Iso8601;

use crate::StoreError;

/// The JSON text of `answers`.
pub fn encode(answers: &Answers) -> String {
    Value::Object(encode_map(answers)).to_string()
}

fn encode_map(answers: &Answers) -> Map<String, Value> {
    answers
        .iter()
        .map(|(id, value)| (id.as_str().to_owned(), encode_value(value)))
        .collect()
}

fn encode_value(value: &AnswerValue) -> Value {
    let (tag, v) = match value {
        AnswerValue::Text(text) => ("text", json!(text)),
        AnswerValue::Number(n) => ("number", json!(n)),
        AnswerValue::Amount(cents) => ("amount", json!(cents.cents())),
        AnswerValue::Date(date) => ("date", json!(iso_date(*date))),
        AnswerValue::YesNo(yes) => ("yes_no", json!(yes)),
        AnswerValue::Choice(value) => ("choice", json!(value)),
        AnswerValue::Nir(nir) => ("nir", json!(nir.as_str())),
        AnswerValue::Iban(iban) => ("iban", json!(iban.as_str())),
        AnswerValue::Address(address) => (
            "address",
            json!({
                "line1": address.line1,
                "line2": address.line2,
                "postal_code": address.postal_code,
                "city": address.city,
            }),
        ),
        AnswerValue::Phone(phone) => ("phone", json!(phone.as_str())),
        AnswerValue::Email(email) => ("email", json!(email.as_str())),
        AnswerValue::FamilyMember(rank) => ("family_member", json!(rank)),
        AnswerValue::Rows(rows) => (
            "rows",
            Value::Array(
                rows.iter()
                    .map(|row| Value::Object(encode_map(row)))
                    .collect(),
            ),
        ),
    };
    json!({ "t": tag, "v": v })
}

fn iso_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The answers of `text`, stored for dossier `row`.
///
/// # Errors
/// [`StoreError::Corrupt`] when the text or a value does not read back.
pub fn decode(text: &str, row: impl std::fmt::Display + Copy) -> Result<Answers, StoreError> {
    let corrupt = || StoreError::corrupt("dossiers", "answers", row);
    let value: Value = serde_json::from_str(text).map_err(|_| corrupt())?;
    let Value::Object(map) = value else {
        return Err(corrupt());
    };
    decode_map(&map).ok_or_else(corrupt)
}

fn decode_map(map: &Map<String, Value>) -> Option<Answers> {
    map.iter()
        .map(|(id, value)| Some((FieldId::parse(id)?, decode_value(value)?)))
        .collect()
}

fn decode_value(value: &Value) -> Option<AnswerValue> {
    let tag = value.get("t")?.as_str()?;
    let v = value.get("v")?;
    let text = || v.as_str().map(str::to_owned);
    Some(match tag {
        "text" => AnswerValue::Text(text()?),
        "number" => AnswerValue::Number(v.as_i64()?),
        "amount" => AnswerValue::Amount(AmountCents::new(v.as_i64()?)),
        "date" => AnswerValue::Date(Date::parse(v.as_str()?, &Iso8601::DATE).ok()?),
        "yes_no" => AnswerValue::YesNo(v.as_bool()?),
        "choice" => AnswerValue::Choice(text()?),
        "nir" => AnswerValue::Nir(Nir::parse(v.as_str()?).ok()?),
        "iban" => AnswerValue::Iban(Iban::parse(v.as_str()?).ok()?),
        "address" => AnswerValue::Address(PostalAddress {
            line1: v.get("line1")?.as_str()?.to_owned(),
            line2: v.get("line2").and_then(Value::as_str).map(str::to_owned),
            postal_code: v.get("postal_code")?.as_str()?.to_owned(),
            city: v.get("city")?.as_str()?.to_owned(),
        }),
        "phone" => AnswerValue::Phone(PhoneNumber::parse(v.as_str()?).ok()?),
        "email" => AnswerValue::Email(Email::parse(v.as_str()?).ok()?),
        "family_member" => AnswerValue::FamilyMember(u8::try_from(v.as_u64()?).ok()?),
        "rows" => AnswerValue::Rows(
            v.as_array()?
                .iter()
                .map(|row| decode_map(row.as_object()?))
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn every_kind_reads_back() {
        let mut row = Answers::new();
        row.insert(
            FieldId::parse("prenom").unwrap(),
            AnswerValue::Text("Léa".into()),
        );
        let mut answers = Answers::new();
        for (id, value) in [
            ("a", AnswerValue::Text("x \"y\"".into())),
            ("b", AnswerValue::Number(-3)),
            ("c", AnswerValue::Amount(AmountCents::new(125_050))),
            ("d", AnswerValue::Date(date!(2026 - 03 - 14))),
            ("e", AnswerValue::YesNo(true)),
            ("f", AnswerValue::Choice("vol".into())),
            (
                "g",
                AnswerValue::Nir(Nir::parse("185057800608491").unwrap()),
            ),
            (
                "h",
                AnswerValue::Iban(Iban::parse("FR7630006000011234567890189").unwrap()),
            ),
            (
                "i",
                AnswerValue::Address(PostalAddress {
                    line1: "1 rue des Lilas".into(),
                    line2: None,
                    postal_code: "67000".into(),
                    city: "Strasbourg".into(),
                }),
            ),
            (
                "j",
                AnswerValue::Phone(PhoneNumber::parse("06 12 34 56 78").unwrap()),
            ),
            ("k", AnswerValue::Email(Email::parse("a@b.fr").unwrap())),
            ("l", AnswerValue::FamilyMember(2)),
            ("m", AnswerValue::Rows(vec![row])),
        ] {
            answers.insert(FieldId::parse(id).unwrap(), value);
        }
        assert_eq!(decode(&encode(&answers), 1).unwrap(), answers);
        assert!(decode("{\"a\":{\"t\":\"nir\",\"v\":\"12\"}}", 1).is_err());
    }
}
