//! Token paging for `client.api/paged-list` and `client.api/contacts`.
//!
//! `pageSize` is 1–500 (default 50). The `pageToken` is opaque and URL-safe; it carries the
//! position after the last item returned, so paging never repeats or skips an item even when
//! items are added or archived between calls. `Pagination/Links/First` carries only
//! `pageSize`; `Next` carries `pageToken` and `pageSize` and is absent on the last page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use xpm_api::catalog::API_PATH_PREFIX;
use xpm_api::response::{Pagination, PaginationLinks};

use crate::api::{ApiError, ApiRequest};

/// The default and largest page sizes XPM documents.
const DEFAULT_PAGE_SIZE: usize = 50;
const MAX_PAGE_SIZE: usize = 500;
/// Scrambles token bytes so that tokens look as opaque as XPM's.
const MASK: [u8; 8] = [0x5a, 0x17, 0xc3, 0x8e, 0x29, 0xf4, 0x61, 0xb0];
const VERSION: u8 = 1;

/// Which list a token belongs to; a token from one list is refused by the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Listing {
    /// `client.api/paged-list`.
    Clients,
    /// `client.api/contacts`.
    Contacts,
}

impl Listing {
    fn tag(self) -> u8 {
        match self {
            Self::Clients => b'c',
            Self::Contacts => b'k',
        }
    }

    fn path(self) -> &'static str {
        match self {
            Self::Clients => "/client.api/paged-list",
            Self::Contacts => "/client.api/contacts",
        }
    }
}

/// Where a page starts and how long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PageRequest {
    pub(super) start: usize,
    pub(super) size: usize,
}

/// Reads `pageSize` and `pageToken`.
pub(super) fn page_request(request: &ApiRequest, listing: Listing) -> Result<PageRequest, ApiError> {
    let size = match request.query("pageSize").map(str::trim).filter(|text| !text.is_empty()) {
        None => DEFAULT_PAGE_SIZE,
        Some(text) => {
            text.parse::<usize>().ok().filter(|size| (1..=MAX_PAGE_SIZE).contains(size)).ok_or_else(|| {
                ApiError::bad_request(format!("pageSize must be between 1 and {MAX_PAGE_SIZE}, not '{text}'"))
            })?
        }
    };
    let start = match request.query("pageToken").map(str::trim).filter(|text| !text.is_empty()) {
        None => 0,
        Some(token) => {
            decode_token(token, listing).ok_or_else(|| ApiError::bad_request("the pageToken is not valid"))?
        }
    };
    Ok(PageRequest { start, size })
}

/// The `Pagination` element: `First`, and `Next` when another page follows.
pub(super) fn pagination(request: &ApiRequest, listing: Listing, size: usize, next: Option<usize>) -> Pagination {
    let base = format!("{}{API_PATH_PREFIX}{}", request.base_url, listing.path());
    let mut links = PaginationLinks::default();
    links.first = Some(format!("{base}?pageSize={size}"));
    links.next = next.map(|start| format!("{base}?pageToken={}&pageSize={size}", encode_token(start, listing)));
    let mut pagination = Pagination::default();
    pagination.links = Some(links);
    pagination
}

fn encode_token(start: usize, listing: Listing) -> String {
    let mut bytes = [0u8; 11];
    bytes[0] = VERSION;
    bytes[1] = listing.tag();
    for (index, (byte, mask)) in (start as u64).to_be_bytes().iter().zip(MASK).enumerate() {
        bytes[2 + index] = byte ^ mask;
    }
    bytes[10] = checksum(&bytes[..10]);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn decode_token(token: &str, listing: Listing) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    let bytes: [u8; 11] = bytes.try_into().ok()?;
    if bytes[0] != VERSION || bytes[1] != listing.tag() || bytes[10] != checksum(&bytes[..10]) {
        return None;
    }
    let mut position = [0u8; 8];
    for (index, mask) in MASK.iter().enumerate() {
        position[index] = bytes[2 + index] ^ mask;
    }
    usize::try_from(u64::from_be_bytes(position)).ok()
}

fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0x6bu8, |sum, byte| sum.rotate_left(3) ^ byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_belong_to_one_listing() {
        for start in [0, 1, 50, 14_999, usize::from(u16::MAX)] {
            let token = encode_token(start, Listing::Clients);
            assert!(token.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'), "{token}");
            assert_eq!(decode_token(&token, Listing::Clients), Some(start));
            assert_eq!(decode_token(&token, Listing::Contacts), None);
        }
        assert_eq!(decode_token("not-a-token", Listing::Clients), None);
        let mut tampered = encode_token(7, Listing::Clients).into_bytes();
        tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
        assert_eq!(decode_token(&String::from_utf8_lossy(&tampered), Listing::Clients), None);
    }
}
