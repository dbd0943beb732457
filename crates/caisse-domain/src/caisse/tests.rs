use std::collections::HashSet;

use super::*;

#[test]
fn the_directory_has_107_funds_of_the_expected_kinds() {
    assert_eq!(FUNDS.len(), 107);
    let count = |kind| FUNDS.iter().filter(|f| f.kind() == kind).count();
    assert_eq!(count(FundKind::Cpam), 101);
    assert_eq!(count(FundKind::Ccss), 1);
    assert_eq!(count(FundKind::Cgss), 4);
    assert_eq!(count(FundKind::Css), 1);
}

#[test]
fn codes_and_names_are_unique() {
    let codes: HashSet<_> = FUNDS.iter().map(|f| f.code().as_str()).collect();
    assert_eq!(codes.len(), FUNDS.len());
    let names: HashSet<_> = FUNDS.iter().map(|f| f.name()).collect();
    assert_eq!(names.len(), FUNDS.len());
}

#[test]
fn every_department_is_covered() {
    let departments: HashSet<_> = FUNDS.iter().map(|f| f.department()).collect();
    let mut expected: Vec<String> = (1..=95)
        .filter(|d| *d != 20)
        .map(|d| format!("{d:02}"))
        .collect();
    expected.extend(["2A", "2B", "971", "972", "973", "974", "976"].map(String::from));
    for department in &expected {
        assert!(departments.contains(department.as_str()), "{department}");
    }
    assert_eq!(departments.len(), expected.len());
    assert_eq!(Fund::in_department("2A").count(), 1);
    assert_eq!(Fund::in_department("2B").count(), 1);
    assert_eq!(Fund::in_department("20").count(), 0);
}

#[test]
fn multi_fund_departments_have_their_funds() {
    let codes = |d| {
        Fund::in_department(d)
            .map(|f| f.code().as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(codes("59"), ["591", "592", "593", "594"]);
    assert_eq!(codes("62"), ["621", "622"]);
    assert_eq!(codes("64"), ["641", "642"]);
    assert_eq!(codes("76"), ["761", "762"]);
    assert_eq!(codes("75"), ["751"]);
}

#[test]
fn each_fund_has_the_calendar_of_its_department() {
    for fund in FUNDS {
        assert_eq!(
            fund.calendar(),
            HolidayZone::for_department(fund.department()),
            "{}",
            fund.name()
        );
    }
    let moselle = Fund::by_code(&CaisseCode::parse("571").unwrap());
    assert_eq!(moselle.calendar(), HolidayZone::AlsaceMoselle);
}

#[test]
fn codes_parse_and_lead_to_their_fund() {
    for fund in FUNDS {
        let code = CaisseCode::parse(fund.code().as_str()).unwrap();
        assert_eq!(code, fund.code());
        assert_eq!(Fund::by_code(&code), fund);
    }
    let paris = Fund::by_code(&"751".parse().unwrap());
    assert_eq!(paris.name(), "CPAM de Paris");
    assert_eq!(paris.department_name(), "Paris");
    let corse = CaisseCode::parse(" 2a1 ").unwrap();
    assert_eq!(corse.as_str(), "2A1");
    assert_eq!(Fund::by_code(&corse).name(), "CPAM de la Corse-du-Sud");
    assert_eq!(
        Fund::by_code(&CaisseCode::parse("971").unwrap()).kind(),
        FundKind::Cgss
    );
    assert_eq!(
        Fund::by_code(&CaisseCode::parse("481").unwrap()).kind(),
        FundKind::Ccss
    );
    assert_eq!(format!("{corse:?}"), "CaisseCode(\"2A1\")");
    assert_eq!(corse.to_string(), "2A1");
}

#[test]
fn unknown_or_malformed_codes_are_refused() {
    assert_eq!(CaisseCode::parse("999"), Err(CaisseCodeError::Unknown));
    assert_eq!(CaisseCode::parse("201"), Err(CaisseCodeError::Unknown));
    assert_eq!(CaisseCode::parse("595"), Err(CaisseCodeError::Unknown));
    assert_eq!(CaisseCode::parse("75"), Err(CaisseCodeError::BadFormat));
    assert_eq!(CaisseCode::parse("7511"), Err(CaisseCodeError::BadFormat));
    assert_eq!(CaisseCode::parse("7-1"), Err(CaisseCodeError::BadFormat));
    assert_eq!(CaisseCode::parse("é1"), Err(CaisseCodeError::BadFormat));
    assert!(!CaisseCodeError::Unknown.message_fr().is_empty());
}
