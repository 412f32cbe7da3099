//! The HTTP client the `oauth2` crate sends token requests with: reqwest, but reading at most
//! [`IDENTITY_ANSWER_LIMIT`] of an answer (a 3 GB token answer was once read whole, three times).

use oauth2::{HttpClientError, HttpRequest, HttpResponse};

use crate::body_cap::{CappedError, IDENTITY_ANSWER_LIMIT, read_capped};

/// What [`HttpClientError::Other`] says when an answer is over the limit; turned into
/// [`super::OAuthError::AnswerTooLarge`] by the caller.
pub(super) const TOO_LARGE: &str = "the identity answer is over the size limit";

/// Sends `request` with `http` and reads the answer, up to the limit.
///
/// It owns its client (a cheap handle) rather than borrowing one: callers' futures must be
/// `Send` for every lifetime, which a borrow inside `oauth2`'s generic client cannot show.
pub(super) async fn send(
    http: reqwest::Client,
    request: HttpRequest,
) -> Result<HttpResponse, HttpClientError<reqwest::Error>> {
    let response = http.execute(request.try_into().map_err(Box::new)?).await.map_err(Box::new)?;
    let mut builder = oauth2::http::Response::builder().status(response.status()).version(response.version());
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    let body = match read_capped(response, IDENTITY_ANSWER_LIMIT).await {
        Ok(body) => body,
        Err(CappedError::TooLarge) => return Err(HttpClientError::Other(TOO_LARGE.to_owned())),
        Err(CappedError::Transport(error)) => return Err(HttpClientError::Reqwest(Box::new(error))),
    };
    builder.body(body.to_vec()).map_err(HttpClientError::Http)
}
