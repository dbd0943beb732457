use super::definitions::{Catalogue, SHIPPED};

#[test]
fn every_shipped_definition_loads() {
    let catalogue = Catalogue::shipped().unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!(catalogue.latest().len(), SHIPPED.len());
}

#[test]
fn a_definition_with_an_error_is_refused_naming_its_file_and_field() {
    let (name, text) = SHIPPED[0];
    let broken = text.replacen("type = \"date\"", "type = \"dat\"", 1);
    let errors = Catalogue::load(&[(name.to_owned(), broken)]).unwrap_err();
    let message = errors.to_string();
    assert!(message.contains(name), "{message}");
    assert!(message.contains("unknown type \"dat\""), "{message}");

    let misnamed = Catalogue::load(&[("autre.v1.toml".to_owned(), text.to_owned())]).unwrap_err();
    assert!(misnamed.to_string().contains("is named"), "{misnamed}");

    let unknown_key = text.replacen("past_only = true", "pastonly = true", 1);
    let errors = Catalogue::load(&[(name.to_owned(), unknown_key)]).unwrap_err();
    assert!(errors.to_string().contains("pastonly"), "{errors}");
}
