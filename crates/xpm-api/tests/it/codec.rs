//! The XML and JSON codecs on the awkward inputs real XPM bodies contain, and on broken ones.

use xpm_api::model::{Client, Staff};
use xpm_api::response::{
    ResponseError, XmlList, decode_list_json, decode_single, decode_single_json, decode_status, decode_status_json,
};
use xpm_api::value::{Decimal, YesNo};
use xpm_api::xml::DecodeErrorKind;

fn client_from(xml: &str) -> Client {
    match decode_single::<Client, _>(xml.as_bytes()) {
        Ok(single) => single.item.expect("the body has a client"),
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn tolerates_bom_declaration_comments_cdata_references_crlf_and_unknown_elements() {
    let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!-- captured 2025 -->\r\n\
        <Response api-method=\"Get\" xmlns:x=\"urn:x\">\r\n  <Status>OK</Status>\r\n  <Client>\r\n\
        <UUID>01a8b481-b9ae-4b28-89e0-87e7162807a3</UUID>\r\n\
        <Name>Smith &amp; Sons &lt;Holdings&gt; &#8211; M&#x101;ori</Name>\r\n\
        <Address>Level 3\r\n12 Queen St</Address>\r\n\
        <Notes><Note><Text><![CDATA[<b>bold</b> & raw]]> then text<!-- hidden --> joined</Text><Date>2025-07-15T10:41:50</Date></Note></Notes>\r\n\
        <FutureField><Nested>ignored</Nested></FutureField>\r\n\
        <x:Namespaced>ignored too</x:Namespaced>\r\n\
        <Fax/>\r\n  </Client>\r\n</Response>\r\n";
    let client = client_from(xml);
    assert_eq!(client.name.as_deref(), Some("Smith & Sons <Holdings> – Māori"));
    assert_eq!(client.address.as_deref(), Some("Level 3\n12 Queen St"), "CRLF inside text becomes LF");
    let note = &client.notes.as_deref().expect("notes")[0];
    assert_eq!(note.text.as_deref(), Some("<b>bold</b> & raw then text joined"));
    assert_eq!(client.fax.as_deref(), Some(""));
}

#[test]
fn keeps_boolean_dialects_masked_numbers_dates_and_exact_decimals() {
    let client = client_from(
        "<Response><Status>OK</Status><Client>\
         <IsArchived>Yes</IsArchived><TaxNumber>******123</TaxNumber><DateOfBirth>1980-02-29</DateOfBirth>\
         <ProvisionalTaxRatio>0.1000000000000000055511151231</ProvisionalTaxRatio>\
         <Type><CostMarkup>12.50</CostMarkup></Type></Client></Response>",
    );
    assert_eq!(client.is_archived, Some(YesNo::Yes));
    assert_eq!(client.tax_number.as_deref(), Some("******123"), "masked tax numbers stay text");
    assert_eq!(client.date_of_birth.map(|date| date.to_string()).as_deref(), Some("1980-02-29"));
    let ratio = client.provisional_tax_ratio.expect("ratio");
    assert_eq!(ratio.to_string(), "0.1000000000000000055511151231", "no float rounding");
    let markup = client.client_type.and_then(|client_type| client_type.cost_markup).expect("markup");
    assert_eq!(markup, Decimal::new(1250, 2));
    assert_eq!(markup.to_string(), "12.50", "the scale XPM sent is kept");

    let error = decode_single::<Client, _>(
        "<Response><Status>OK</Status><Client><IsArchived>true</IsArchived></Client></Response>".as_bytes(),
    )
    .expect_err("true is not a Yes/No flag");
    let decode = error.as_decode().expect("a decode error");
    assert!(matches!(decode.kind(), DecodeErrorKind::InvalidValue { expected: "Yes/No flag", .. }), "{decode}");
    assert_eq!(decode.path(), "Response/Client/IsArchived");
}

#[test]
fn status_error_is_a_typed_error_for_every_shape() {
    let body = "<Response api-method=\"Get\"><Status>ERROR</Status><ErrorDescription>Client not found</ErrorDescription></Response>";
    let expect_xpm = |result: Result<(), ResponseError>| match result {
        Err(ResponseError::Xpm(error)) => assert_eq!(error.description, "Client not found"),
        other => panic!("expected an XPM error, got {other:?}"),
    };
    expect_xpm(decode_single::<Client, _>(body.as_bytes()).map(drop));
    expect_xpm(decode_status(body.as_bytes()).map(drop));
    expect_xpm(XmlList::<_, Client>::new(body.as_bytes()).collect_all().map(drop));
    let json = br#"{"status":"ERROR","errorDescription":"Client not found"}"#;
    expect_xpm(decode_single_json::<Client>(json).map(drop));
    expect_xpm(decode_list_json::<Client>(json).map(drop));
    expect_xpm(decode_status_json(json).map(drop));
}

#[test]
fn malformed_and_truncated_bodies_name_the_path_and_offset() {
    let truncated =
        "<Response><Status>OK</Status><StaffList><Staff><UUID>f8235e1a-d383-48b7-9139-ba97ab8ca889</UUID><Name>Jo";
    let mut list = XmlList::<_, Staff>::new(truncated.as_bytes());
    let error = match list.next() {
        Some(Err(ResponseError::Decode(error))) => error,
        other => panic!("expected a decode error, got {other:?}"),
    };
    assert!(error.is_truncated(), "{error}");
    assert_eq!(error.path(), "Response/StaffList/Staff[0]/Name");
    assert_eq!(error.offset(), truncated.len() as u64);
    assert!(list.next().is_none(), "the stream stops after an error");

    let mismatched = "<Response><Status>OK</Status><Client><Name>A</Nam></Client></Response>";
    let error = decode_single::<Client, _>(mismatched.as_bytes()).expect_err("mismatched tags");
    let decode = error.as_decode().expect("a decode error");
    assert!(matches!(decode.kind(), DecodeErrorKind::Malformed(_)), "{decode}");
    assert_eq!(decode.path(), "Response/Client/Name");
    assert!(decode.offset() > 0 && decode.offset() <= mismatched.len() as u64);

    let second_item = "<Response><Status>OK</Status><Clients><Client/><Client><IsDeleted>Maybe</IsDeleted></Client></Clients></Response>";
    let error = XmlList::<_, Client>::new(second_item.as_bytes()).collect_all().expect_err("bad flag");
    let decode = error.as_decode().expect("a decode error");
    assert_eq!(decode.path(), "Response/Clients/Client[1]/IsDeleted");
    assert_eq!(
        decode.to_string(),
        format!("invalid Yes/No flag: \"Maybe\" at Response/Clients/Client[1]/IsDeleted (byte {})", decode.offset())
    );

    for (body, expected) in [
        ("", "missing"),
        ("<Clients/>", "expected element <Response>"),
        ("<Response><Client/></Response>", "missing element <Status>"),
        ("<Response><Status>MAYBE</Status></Response>", "status OK or ERROR"),
        ("<Response><Status>OK</Status></Response><Response/>", "end of document"),
    ] {
        let error = decode_single::<Client, _>(body.as_bytes()).expect_err(body);
        assert!(error.to_string().contains(expected), "{body}: {error}");
    }
}

#[test]
fn json_bodies_decode_in_the_spec_shape() {
    let body = br#"{"status":"OK","clients":[{"uuid":"01a8b481-b9ae-4b28-89e0-87e7162807a3","name":"Test",
        "isArchived":"No","provisionalTaxRatio":12.3450,"type":{"name":"Monthly","costMarkup":10.00},
        "autoBasOptInCriteria":{"opt-out":"Yes"},"unknownFutureField":[1,2,{"a":null}]}],
        "pagination":{"links":{"first":"https://x/paged-list?pageSize=1","next":"https://x/paged-list?pageToken=abc&pageSize=1"}}}"#;
    let (clients, envelope) = decode_list_json::<Client>(body).expect("decodes");
    assert_eq!(clients.len(), 1);
    assert_eq!(clients[0].is_archived, Some(YesNo::No));
    assert_eq!(clients[0].provisional_tax_ratio.map(|ratio| ratio.to_string()).as_deref(), Some("12.3450"));
    assert_eq!(clients[0].auto_bas_opt_in_criteria.as_ref().and_then(|c| c.opt_out), Some(YesNo::Yes));
    assert_eq!(envelope.pagination.and_then(|p| p.next_page_token()).as_deref(), Some("abc"));

    let single_object = br#"{"status":"OK","staffList":{"uuid":"f8235e1a-d383-48b7-9139-ba97ab8ca889","name":"Jo"}}"#;
    let (staff, _) = decode_list_json::<Staff>(single_object).expect("a lone object is a list of one");
    assert_eq!(staff.len(), 1);

    let wrong_type = br#"{"status":"OK","clients":[{"name":"A"},{"isArchived":true}]}"#;
    let error = decode_list_json::<Client>(wrong_type).expect_err("isArchived must be a Yes/No string");
    let decode = error.as_decode().expect("a decode error");
    assert_eq!(decode.path(), "clients[1].isArchived");
    assert!(decode.offset() > 0);

    let truncated = br#"{"status":"OK","clients":[{"name":"A"#;
    let error = decode_list_json::<Client>(truncated).expect_err("truncated");
    assert!(error.as_decode().is_some_and(|decode| decode.is_truncated()), "{error}");
}
