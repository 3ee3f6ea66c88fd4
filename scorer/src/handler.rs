//! HTTP layer: routes ALB requests, validates input, renders JSON. Never panics on input:
//! every bad request becomes a 4xx with `{"error": "..."}`.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use lambda_http::http::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use lambda_http::http::{Method, StatusCode};
use lambda_http::{Body, Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::scoring::{self, Stamp};
use crate::weights::Weights;

/// Route templates, also used as the span's `http.route`.
pub const HEALTH_ROUTE: &str = "/health";
pub const SCORE_ROUTE: &str = "/v2/stamps/{scorer_id}/score/{address}";
/// Label for requests that match no route (keeps span cardinality bounded).
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// Everything a request needs: the weights and the clock (injected so tests are deterministic).
pub struct App {
    pub weights: Weights,
    pub clock: Box<dyn Fn() -> DateTime<Utc> + Send + Sync>,
}

/// A response plus the route template it was served by.
pub struct Handled {
    pub route: &'static str,
    pub response: Response<Body>,
}

/// Serves one request.
pub fn handle(app: &App, req: &Request) -> Handled {
    let path = req.uri().path();
    let path = if path.len() > 1 { path.strip_suffix('/').unwrap_or(path) } else { path };
    let segments: Vec<&str> = path.split('/').collect();
    match segments.as_slice() {
        ["", "health"] => Handled { route: HEALTH_ROUTE, response: health(req.method()) },
        ["", "v2", "stamps", scorer_id, "score", address] => {
            Handled { route: SCORE_ROUTE, response: score(app, req, scorer_id, address) }
        }
        _ => Handled {
            route: UNMATCHED_ROUTE,
            response: error(
                StatusCode::NOT_FOUND,
                format!(
                    "no route for {} {path}; the routes are GET {HEALTH_ROUTE} and POST {SCORE_ROUTE}",
                    req.method()
                ),
            ),
        },
    }
}

fn health(method: &Method) -> Response<Body> {
    if method != Method::GET && method != Method::HEAD {
        return method_not_allowed(method, HEALTH_ROUTE, "GET");
    }
    let mut resp = Response::new(Body::from("OK"));
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    resp
}

fn score(app: &App, req: &Request, scorer_id: &str, address: &str) -> Response<Body> {
    if req.method() != Method::POST {
        return method_not_allowed(req.method(), SCORE_ROUTE, "POST");
    }
    if !is_address(address) {
        return error(
            StatusCode::BAD_REQUEST,
            format!("invalid address {:?}: expected 0x followed by 40 hex digits", truncate(address, 64)),
        );
    }
    let Some(scorer) = app.weights.scorer(scorer_id) else {
        return error(
            StatusCode::NOT_FOUND,
            format!("unknown scorer {:?}: no such id in weights.json", truncate(scorer_id, 64)),
        );
    };
    let stamps = match parse_stamps(req.body().as_ref()) {
        Ok(stamps) => stamps,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let now = (app.clock)();
    let result = scoring::score(scorer, &stamps, now);
    let body = ScoreResponse {
        address: address.to_ascii_lowercase(),
        score: result.score.to_string(),
        passing_score: result.passing,
        threshold: result.threshold.to_string(),
        last_score_timestamp: timestamp(now),
        expiration_timestamp: result.expiration.map(timestamp),
        stamps: result
            .stamps
            .iter()
            .map(|(provider, line)| {
                let out = StampLine {
                    score: line.score.to_string(),
                    dedup: line.dedup(),
                    expiration_date: timestamp(line.expiration_date),
                };
                (provider.clone(), out)
            })
            .collect(),
    };
    json(StatusCode::OK, &body)
}

/// `0x` followed by exactly 40 hex digits (either case).
pub fn is_address(s: &str) -> bool {
    s.len() == 42 && s.starts_with("0x") && s.as_bytes()[2..].iter().all(u8::is_ascii_hexdigit)
}

/// The body is either a JSON array of stamps or an object with a `stamps` array.
/// Extra fields on a stamp (credential, proof, ...) are ignored.
pub fn parse_stamps(body: &[u8]) -> Result<Vec<Stamp>, String> {
    const SHAPE: &str = "expected a JSON array of stamps or {\"stamps\": [...]}, each \
                         {\"provider\", \"nullifiers\": [...], \"expiration_date\": RFC 3339}";
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(format!("request body is empty: {SHAPE}"));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("request body is not JSON ({e}): {SHAPE}"))?;
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("stamps") {
            Some(Value::Array(items)) => items,
            _ => return Err(format!("request body has no \"stamps\" array: {SHAPE}")),
        },
        _ => return Err(format!("request body is neither an array nor an object: {SHAPE}")),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let raw: RawStamp = serde_json::from_value(item).map_err(|e| format!("stamps[{i}]: {e}: {SHAPE}"))?;
            if raw.provider.trim().is_empty() {
                return Err(format!("stamps[{i}].provider is empty"));
            }
            if raw.nullifiers.is_empty() {
                return Err(format!("stamps[{i}].nullifiers is empty: list at least one nullifier"));
            }
            let expiration_date = DateTime::parse_from_rfc3339(&raw.expiration_date)
                .map_err(|e| {
                    format!(
                        "stamps[{i}].expiration_date {:?} is not an RFC 3339 date-time ({e}), e.g. 2025-06-30T00:00:00Z",
                        truncate(&raw.expiration_date, 64)
                    )
                })?
                .with_timezone(&Utc);
            Ok(Stamp { provider: raw.provider, nullifiers: raw.nullifiers, expiration_date })
        })
        .collect()
}

#[derive(Deserialize)]
struct RawStamp {
    provider: String,
    nullifiers: Vec<String>,
    expiration_date: String,
}

#[derive(Serialize)]
struct ScoreResponse {
    address: String,
    score: String,
    passing_score: bool,
    threshold: String,
    last_score_timestamp: String,
    expiration_timestamp: Option<String>,
    stamps: BTreeMap<String, StampLine>,
}

#[derive(Serialize)]
struct StampLine {
    score: String,
    dedup: bool,
    expiration_date: String,
}

fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

fn method_not_allowed(method: &Method, route: &str, allowed: &'static str) -> Response<Body> {
    let mut resp =
        error(StatusCode::METHOD_NOT_ALLOWED, format!("method {method} not allowed on {route}; use {allowed}"));
    resp.headers_mut().insert(ALLOW, HeaderValue::from_static(allowed));
    resp
}

fn error(status: StatusCode, message: String) -> Response<Body> {
    json(status, &serde_json::json!({ "error": message }))
}

fn json<T: Serialize>(status: StatusCode, value: &T) -> Response<Body> {
    // Serializing plain structs and strings cannot fail; fall back to a fixed body rather than panic.
    let (status, text) = match serde_json::to_string(value) {
        Ok(text) => (status, text),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, r#"{"error":"internal serialization error"}"#.to_string()),
    };
    let mut resp = Response::new(Body::from(text));
    *resp.status_mut() = status;
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

#[cfg(test)]
mod tests;
