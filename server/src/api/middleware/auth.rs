//! Authenticates protected HTTP routes, applies the key's route restrictions, and hands the
//! [`Principal`](crate::auth::Principal) to handlers.
//! Errors on Anthropic routes use Anthropic's error shape; all others OpenAI's.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::http::anthropic::AnthropicError;
use crate::auth::credential_from_headers;
use crate::auth::routes::check_route;
use crate::state::AppState;

pub async fn require_auth(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let credential = credential_from_headers(req.headers()).map(str::to_owned);
    let checked = match state.authenticate(credential.as_deref()).await {
        Ok(principal) => check_route(&principal, req.uri().path()).map(|()| principal),
        Err(err) => Err(err),
    };
    match checked {
        Ok(principal) => {
            req.extensions_mut().insert(principal);
            next.run(req).await
        }
        Err(err) if is_anthropic_route(req.uri().path()) => AnthropicError(err).into_response(),
        Err(err) => err.into_response(),
    }
}

fn is_anthropic_route(path: &str) -> bool {
    path.ends_with("/messages") || path.ends_with("/messages/count_tokens")
}
