//! Reading an answer's body into memory with a ceiling.
//!
//! A server decides how long its answers are. Without a ceiling a broken or hostile one makes
//! the client hold whatever it sends (a 2 GB list answer once took 19.9 GB). Every body this
//! crate buffers is read through here; lists too large to buffer are streamed instead
//! ([`XpmClient::send_stream`](crate::XpmClient::send_stream)).

use bytes::{Bytes, BytesMut};

/// The ceiling for the token endpoint, `/connections`, the JWKS and other identity answers:
/// all are a few KiB, and none should ever come near this.
pub(crate) const IDENTITY_ANSWER_LIMIT: u64 = 1024 * 1024;

/// The most of an error answer's body kept: enough for any `ErrorDescription` or problem text.
pub(crate) const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// Why a body was not read.
#[derive(Debug)]
pub(crate) enum CappedError {
    /// The body is longer than the ceiling (by its `Content-Length`, or once that many bytes came).
    TooLarge,
    /// The body could not be read.
    Transport(reqwest::Error),
}

/// Reads the whole body, or fails as soon as it is known to exceed `limit` bytes.
pub(crate) async fn read_capped(mut response: reqwest::Response, limit: u64) -> Result<Bytes, CappedError> {
    if response.content_length().is_some_and(|length| length > limit) {
        return Err(CappedError::TooLarge);
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(CappedError::Transport)? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(CappedError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Reads at most `limit` bytes of the body and drops the rest: for error answers, where the
/// start says what went wrong.
pub(crate) async fn read_truncated(mut response: reqwest::Response, limit: u64) -> Result<Bytes, reqwest::Error> {
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        let room = usize::try_from(limit).unwrap_or(usize::MAX).saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() as u64 >= limit {
            break;
        }
    }
    Ok(body.freeze())
}
