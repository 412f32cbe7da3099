//! Feeds arbitrary bytes to every XML entry point of `xpm-api` and checks three invariants:
//!
//! 1. decoding never panics, whatever the bytes;
//! 2. a decoding error never points past the end of the input (`offset() <= input.len()`);
//! 3. whatever decodes successfully is written back with the crate's own response writers
//!    (`XmlListWriter`, `encode_single_xml`, `encode_status_xml`, which use
//!    `XmlRecord::encode_element`) and decodes again to an equal value, envelope included, so
//!    nothing is silently lost or changed.
//!
//! A list must also stop after its first error, as `XmlList` documents.

#![no_main]

use libfuzzer_sys::fuzz_target;
use xpm_api::model::{Client, Staff};
use xpm_api::response::{
    Envelope, Resource, ResponseError, Single, XmlList, XmlListWriter, decode_single, decode_status, encode_single_xml,
    encode_status_xml,
};

fuzz_target!(|input: &[u8]| {
    if let Some(list) = checked(input, decode_list(input)) {
        let encoded = encode_list(&list);
        check_round_trip(&list, &encoded, decode_list(&encoded));
    }
    check_single::<Client>(input);
    check_single::<Staff>(input);
    if let Some(envelope) = checked(input, decode_status(input)) {
        let encoded = encode_status_xml(envelope.api_method.as_deref(), &envelope);
        check_round_trip(&envelope, &encoded, decode_status(&encoded[..]));
    }
});

/// A list body decoded to its end: the clients and the envelope around them.
type ClientList = (Vec<Client>, Envelope);

/// Streams a client list to its end, the way a caller iterating `XmlList` would.
fn decode_list(input: &[u8]) -> Result<ClientList, ResponseError> {
    let mut list = XmlList::<_, Client>::new(input);
    let mut clients = Vec::new();
    while let Some(item) = list.next() {
        match item {
            Ok(client) => clients.push(client),
            Err(error) => {
                assert!(list.next().is_none(), "XmlList yielded an item after an error");
                return Err(error);
            }
        }
    }
    Ok((clients, list.envelope().clone()))
}

fn encode_list((clients, envelope): &ClientList) -> Vec<u8> {
    let written =
        XmlListWriter::<_, Client>::start(Vec::new(), envelope.api_method.as_deref()).and_then(|mut writer| {
            clients.iter().try_for_each(|client| writer.push(client))?;
            writer.finish(envelope)
        });
    match written {
        Ok(bytes) => bytes,
        Err(error) => panic!("writing to a Vec cannot fail: {error}"),
    }
}

/// Decodes a single-item response of `T` and checks it.
fn check_single<T: Resource + std::fmt::Debug + PartialEq>(input: &[u8]) {
    if let Some(single) = checked(input, decode_single::<T, _>(input)) {
        let encoded = encode_single(&single);
        check_round_trip(&single, &encoded, decode_single::<T, _>(&encoded[..]));
    }
}

fn encode_single<T: Resource>(single: &Single<T>) -> Vec<u8> {
    let api_method = single.envelope.api_method.as_deref();
    match &single.item {
        Some(item) => encode_single_xml(item, api_method, &single.envelope),
        None => encode_status_xml(api_method, &single.envelope),
    }
}

/// Checks that an error's offset lies within the input; returns the value on success.
fn checked<T>(input: &[u8], result: Result<T, ResponseError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            if let Some(decode) = error.as_decode() {
                assert!(
                    decode.offset() <= input.len() as u64,
                    "error offset {} is past the end of a {}-byte input: {decode}",
                    decode.offset(),
                    input.len(),
                );
            }
            None
        }
    }
}

/// Asserts that decoding our own encoding of `original` gives `original` back.
fn check_round_trip<T: std::fmt::Debug + PartialEq>(original: &T, encoded: &[u8], decoded: Result<T, ResponseError>) {
    let text = String::from_utf8_lossy(encoded);
    match decoded {
        Ok(decoded) => assert_eq!(&decoded, original, "round trip changed the value; re-encoded as {text}"),
        Err(error) => panic!("re-encoded value does not decode: {error}; re-encoded as {text}"),
    }
}
