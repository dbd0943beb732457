//! Card payments through a payment provider that redirects the member's browser and sends it
//! back with a signed result, as the State's PayFiP does for public funds.
//!
//! [`PaymentProvider`] is the port; [`SignedRedirectProvider`] speaks one such protocol
//! (`docs/payments.md`, § Paying online): the payment page is opened with the merchant id,
//! the order id, the debt's creditor reference, the amount in cents and the return URL, signed;
//! the return carries the same order, reference and amount with the provider's transaction id
//! and the result, signed with HMAC-SHA256 (base64url) under the secret both sides share. The same code
//! signs for the local emulator (`caisse dev payment-emulator`).

use std::fmt;

use caisse_domain::{AmountCents, CreditorReference};
use uuid::Uuid;

use crate::tokens;

/// The secret shared with the provider. `Debug` never shows it; it is never logged.
#[derive(Clone)]
pub struct ProviderSecret(Vec<u8>);

impl ProviderSecret {
    /// The secret of these bytes.
    pub fn new(bytes: Vec<u8>) -> ProviderSecret {
        ProviderSecret(bytes)
    }
}

impl fmt::Debug for ProviderSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProviderSecret([masqué])")
    }
}

/// A payment to start: what the provider is asked to take.
#[derive(Clone, Debug)]
pub struct PaymentRequest<'a> {
    /// Our id of the payment, returned by the provider.
    pub order_id: Uuid,
    /// The debt's creditor reference.
    pub reference: &'a CreditorReference,
    /// The amount.
    pub amount: AmountCents,
}

/// What the provider says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentResult {
    /// The card was charged.
    Paid,
    /// The member gave up, or the bank refused.
    Refused,
}

impl PaymentResult {
    /// The code of the protocol.
    pub fn code(self) -> &'static str {
        match self {
            PaymentResult::Paid => "paid",
            PaymentResult::Refused => "refused",
        }
    }
}

/// A return whose signature checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderReturn {
    /// Our id of the payment.
    pub order_id: Uuid,
    /// The reference the provider was given.
    pub reference: String,
    /// The amount the provider took (or would have).
    pub amount: AmountCents,
    /// The provider's transaction id: unique, what makes a replayed return count once.
    pub transaction_id: String,
    /// Paid or refused.
    pub result: PaymentResult,
}

/// Why a return is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReturnRefused {
    /// A field is missing or does not read.
    #[error("a field of the return is missing or malformed")]
    Malformed,
    /// The signature does not match the fields.
    #[error("the signature does not match")]
    Signature,
}

/// A payment provider: where to send a member to pay, and how to trust what comes back.
pub trait PaymentProvider: Send + Sync + fmt::Debug {
    /// The URL of the provider's payment page for `request`.
    fn start(&self, request: &PaymentRequest<'_>) -> String;

    /// The origin (`https://host[:port]`) of the payment page: the pages that start a payment
    /// must allow it in their `form-action`, since the form's answer redirects there.
    fn origin(&self) -> Option<String>;

    /// The result of a return, once its signature checks.
    ///
    /// # Errors
    /// A missing or malformed field, or a signature that does not match.
    fn verify(&self, fields: &[(String, String)]) -> Result<ProviderReturn, ReturnRefused>;
}

/// The fields of a payment page's URL, in the order they are signed.
pub const REQUEST_FIELDS: [&str; 5] = ["merchant", "order", "reference", "amount", "return_url"];
/// The fields of a return, in the order they are signed.
pub const RETURN_FIELDS: [&str; 6] = [
    "merchant",
    "order",
    "reference",
    "amount",
    "transaction",
    "result",
];

/// The provider of the redirect-and-signed-return protocol.
#[derive(Clone, Debug)]
pub struct SignedRedirectProvider {
    /// The payment page (`https://…/payer`).
    pub url: String,
    /// The fund's merchant id at the provider.
    pub merchant_id: String,
    /// Where the provider sends the member back.
    pub return_url: String,
    /// The shared secret.
    pub secret: ProviderSecret,
}

/// `name=value` lines of `names`, in that order, as signed: a value is taken as sent.
fn canonical(names: &[&str], fields: &[(String, String)]) -> Option<String> {
    let mut text = String::new();
    for name in names {
        let value = field(fields, name)?;
        text.push_str(name);
        text.push('=');
        text.push_str(value);
        text.push('\n');
    }
    Some(text)
}

/// The value of field `name`, if sent once.
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    let mut values = fields.iter().filter(|(n, _)| n == name);
    let (_, value) = values.next()?;
    values.next().is_none().then_some(value.as_str())
}

impl SignedRedirectProvider {
    /// The signature (HMAC-SHA256, base64url) of `names` in `fields`; `None` when one is
    /// missing or repeated.
    pub fn sign(&self, names: &[&str], fields: &[(String, String)]) -> Option<String> {
        let text = canonical(names, fields)?;
        Some(tokens::sign(&self.secret.0, &text))
    }

    /// Whether `fields` carry a `signature` of `names` that matches (in constant time).
    pub fn signature_matches(&self, names: &[&str], fields: &[(String, String)]) -> bool {
        let (Some(text), Some(signature)) = (canonical(names, fields), field(fields, "signature"))
        else {
            return false;
        };
        tokens::verify_signature(&self.secret.0, &text, signature)
    }

    /// `fields` with their signature, as a query string.
    pub fn signed_query(&self, names: &[&str], mut fields: Vec<(String, String)>) -> String {
        if let Some(signature) = self.sign(names, &fields) {
            fields.push(("signature".to_owned(), signature));
        }
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(fields);
        query.finish()
    }
}

impl PaymentProvider for SignedRedirectProvider {
    fn start(&self, request: &PaymentRequest<'_>) -> String {
        let fields = vec![
            ("merchant".to_owned(), self.merchant_id.clone()),
            ("order".to_owned(), request.order_id.to_string()),
            (
                "reference".to_owned(),
                request.reference.as_str().to_owned(),
            ),
            ("amount".to_owned(), request.amount.cents().to_string()),
            ("return_url".to_owned(), self.return_url.clone()),
        ];
        let separator = if self.url.contains('?') { '&' } else { '?' };
        format!(
            "{}{separator}{}",
            self.url,
            self.signed_query(&REQUEST_FIELDS, fields)
        )
    }

    fn origin(&self) -> Option<String> {
        let origin = url::Url::parse(&self.url).ok()?.origin();
        origin.is_tuple().then(|| origin.ascii_serialization())
    }

    fn verify(&self, fields: &[(String, String)]) -> Result<ProviderReturn, ReturnRefused> {
        if !self.signature_matches(&RETURN_FIELDS, fields) {
            return Err(if canonical(&RETURN_FIELDS, fields).is_some() {
                ReturnRefused::Signature
            } else {
                ReturnRefused::Malformed
            });
        }
        let read = |name| field(fields, name).ok_or(ReturnRefused::Malformed);
        if read("merchant")? != self.merchant_id {
            return Err(ReturnRefused::Signature);
        }
        let amount = read("amount")?
            .parse::<i64>()
            .ok()
            .filter(|cents| *cents > 0)
            .ok_or(ReturnRefused::Malformed)?;
        let result = match read("result")? {
            "paid" => PaymentResult::Paid,
            "refused" => PaymentResult::Refused,
            _ => return Err(ReturnRefused::Malformed),
        };
        let transaction_id = read("transaction")?;
        if transaction_id.is_empty() || transaction_id.len() > 64 {
            return Err(ReturnRefused::Malformed);
        }
        Ok(ProviderReturn {
            order_id: read("order")?
                .parse()
                .map_err(|_| ReturnRefused::Malformed)?,
            reference: read("reference")?.to_owned(),
            amount: AmountCents::new(amount),
            transaction_id: transaction_id.to_owned(),
            result,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider() -> SignedRedirectProvider {
        SignedRedirectProvider {
            url: "http://127.0.0.1:9/payer".to_owned(),
            merchant_id: "CPAM781".to_owned(),
            return_url: "http://127.0.0.1:8080/paiements/sommes-a-payer/retour".to_owned(),
            secret: ProviderSecret::new(b"a shared secret".to_vec()),
        }
    }

    fn pairs(query: &str) -> Vec<(String, String)> {
        url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    }

    fn signed_return(amount: &str) -> Vec<(String, String)> {
        let p = provider();
        let fields: Vec<(String, String)> = [
            ("merchant", "CPAM781"),
            ("order", "0190a3c2-0000-7000-8000-000000000001"),
            ("reference", "RF18539007547034"),
            ("amount", amount),
            ("transaction", "T-1"),
            ("result", "paid"),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
        pairs(&p.signed_query(&RETURN_FIELDS, fields))
    }

    #[test]
    fn a_signed_return_reads_back() {
        let back = provider().verify(&signed_return("1900")).unwrap();
        assert_eq!(back.amount, AmountCents::new(1900));
        assert_eq!(back.result, PaymentResult::Paid);
        assert_eq!(back.transaction_id, "T-1");
    }

    #[test]
    fn a_changed_field_or_another_secret_is_refused() {
        let mut tampered = signed_return("1900");
        for (name, value) in &mut tampered {
            if name == "amount" {
                *value = "100".to_owned();
            }
        }
        assert_eq!(provider().verify(&tampered), Err(ReturnRefused::Signature));
        let other = SignedRedirectProvider {
            secret: ProviderSecret::new(b"another secret".to_vec()),
            ..provider()
        };
        assert_eq!(
            other.verify(&signed_return("1900")),
            Err(ReturnRefused::Signature)
        );
        let mut missing = signed_return("1900");
        missing.retain(|(name, _)| name != "transaction");
        assert_eq!(provider().verify(&missing), Err(ReturnRefused::Malformed));
    }

    #[test]
    fn the_payment_page_url_is_signed() {
        let p = provider();
        let reference = CreditorReference::parse("RF18539007547034").unwrap();
        let url = p.start(&PaymentRequest {
            order_id: Uuid::nil(),
            reference: &reference,
            amount: AmountCents::new(1900),
        });
        let query = url.split_once('?').unwrap().1;
        assert!(p.signature_matches(&REQUEST_FIELDS, &pairs(query)));
        assert_eq!(p.origin().as_deref(), Some("http://127.0.0.1:9"));
        assert!(!format!("{:?}", p).contains("shared secret"));
    }
}
