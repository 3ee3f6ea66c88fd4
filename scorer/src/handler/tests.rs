//! Handler tests: real ALB target-group events parsed by lambda_http, as Lambda would deliver them.

use super::*;
use chrono::TimeZone;
use serde_json::json;

const ADDRESS: &str = "0x1234567890ABCDEF1234567890abcdef12345678";

fn app() -> App {
    let weights = Weights::parse(
        r#"{"scorers": {
              "1": {"threshold": 20, "weights": {"Google": 2.25, "Github": 20.25, "Ens": 1.5}},
              "2": {"weights": {"Google": 1}}}}"#,
    )
    .unwrap();
    App { weights, clock: Box::new(|| Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap()) }
}

fn alb_event(method: &str, path: &str, body: Option<&str>) -> Request {
    let event = json!({
        "requestContext": {"elb": {"targetGroupArn":
            "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/l-rust-scorer/6d0ecf831eec9f09"}},
        "httpMethod": method,
        "path": path,
        "queryStringParameters": {},
        "headers": {"host": "api.passport.xyz", "content-type": "application/json", "x-use-rust-scorer": "true"},
        "body": body.unwrap_or(""),
        "isBase64Encoded": false
    });
    lambda_http::request::from_str(&event.to_string()).expect("valid ALB event")
}

fn call(method: &str, path: &str, body: Option<&str>) -> (u16, Value, Handled) {
    let handled = handle(&app(), &alb_event(method, path, body));
    let status = handled.response.status().as_u16();
    let text = String::from_utf8_lossy(handled.response.body().as_ref()).into_owned();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value, handled)
}

fn score_path(scorer: &str, address: &str) -> String {
    format!("/v2/stamps/{scorer}/score/{address}")
}

#[test]
fn health_answers_ok() {
    let (status, body, handled) = call("GET", "/health", None);
    assert_eq!(status, 200);
    assert_eq!(body, Value::String("OK".into()));
    assert_eq!(handled.route, HEALTH_ROUTE);
}

#[test]
fn health_rejects_post_with_405_and_allow_header() {
    let (status, body, handled) = call("POST", "/health", None);
    assert_eq!(status, 405);
    assert_eq!(handled.response.headers()[ALLOW], "GET");
    assert!(body["error"].as_str().unwrap().contains("POST"));
}

#[test]
fn scores_a_request() {
    let stamps = json!([
        {"provider": "Google", "nullifiers": ["v0.0.0:g"], "expiration_date": "2025-03-01T00:00:00Z", "credential": {}},
        {"provider": "Github", "nullifiers": ["v0.0.0:h"], "expiration_date": "2025-02-01T00:00:00+02:00"},
        {"provider": "Ens", "nullifiers": ["v0.0.0:g"], "expiration_date": "2025-03-01T00:00:00Z"},
        {"provider": "Twitter", "nullifiers": ["v0.0.0:t"], "expiration_date": "2024-03-01T00:00:00Z"}
    ]);
    let (status, body, handled) = call("POST", &score_path("1", ADDRESS), Some(&stamps.to_string()));
    assert_eq!(status, 200, "{body}");
    assert_eq!(handled.route, SCORE_ROUTE);
    assert_eq!(handled.response.headers()[CONTENT_TYPE], "application/json");
    assert_eq!(
        body,
        json!({
            "address": ADDRESS.to_ascii_lowercase(),
            "score": "22.50000",
            "passing_score": true,
            "threshold": "20.00000",
            "last_score_timestamp": "2025-01-01T12:00:00Z",
            "expiration_timestamp": "2025-01-31T22:00:00Z",
            "stamps": {
                "Google": {"score": "2.25000", "dedup": false, "expiration_date": "2025-03-01T00:00:00Z"},
                "Github": {"score": "20.25000", "dedup": false, "expiration_date": "2025-01-31T22:00:00Z"},
                "Ens": {"score": "0.00000", "dedup": true, "expiration_date": "2025-03-01T00:00:00Z"},
                "Twitter": {"score": "0.00000", "dedup": false, "expiration_date": "2024-03-01T00:00:00Z"}
            }
        })
    );
}

#[test]
fn accepts_wrapped_stamps_and_trailing_slash() {
    let body =
        r#"{"stamps": [{"provider": "Google", "nullifiers": ["n"], "expiration_date": "2026-01-01T00:00:00Z"}]}"#;
    let (status, json, _) = call("POST", &format!("{}/", score_path("2", ADDRESS)), Some(body));
    assert_eq!(status, 200, "{json}");
    assert_eq!(json["score"], "1.00000");
    assert_eq!(json["passing_score"], false);
    assert_eq!(json["threshold"], "20.00000");
}

#[test]
fn empty_stamp_list_scores_zero_with_null_expiration() {
    let (status, json, _) = call("POST", &score_path("1", ADDRESS), Some("[]"));
    assert_eq!(status, 200);
    assert_eq!(json["score"], "0.00000");
    assert_eq!(json["expiration_timestamp"], Value::Null);
    assert_eq!(json["stamps"], json!({}));
}

#[test]
fn malformed_addresses_are_400() {
    for bad in [
        "0x123",
        "1234567890abcdef1234567890abcdef1234567890",
        "0x1234567890abcdef1234567890abcdef1234567g",
        "0X1234567890abcdef1234567890abcdef12345678",
        "0x1234567890abcdef1234567890abcdef123456789",
    ] {
        let (status, json, _) = call("POST", &score_path("1", bad), Some("[]"));
        assert_eq!(status, 400, "{bad}");
        assert!(json["error"].as_str().unwrap().contains("40 hex digits"), "{json}");
    }
}

#[test]
fn unknown_scorer_is_404() {
    let (status, json, _) = call("POST", &score_path("999", ADDRESS), Some("[]"));
    assert_eq!(status, 404);
    assert!(json["error"].as_str().unwrap().contains("unknown scorer \"999\""), "{json}");
}

#[test]
fn malformed_bodies_are_400_with_the_reason() {
    let cases = [
        ("", "empty"),
        ("{not json", "not JSON"),
        ("42", "neither an array nor an object"),
        (r#"{"stamp": []}"#, "no \"stamps\" array"),
        (
            r#"[{"nullifiers": ["n"], "expiration_date": "2026-01-01T00:00:00Z"}]"#,
            "stamps[0]: missing field `provider`",
        ),
        (
            r#"[{"provider": "Google", "nullifiers": "n", "expiration_date": "2026-01-01T00:00:00Z"}]"#,
            "stamps[0]: invalid type",
        ),
        (
            r#"[{"provider": "Google", "nullifiers": [], "expiration_date": "2026-01-01T00:00:00Z"}]"#,
            "stamps[0].nullifiers is empty",
        ),
        (
            r#"[{"provider": " ", "nullifiers": ["n"], "expiration_date": "2026-01-01T00:00:00Z"}]"#,
            "stamps[0].provider is empty",
        ),
        (
            r#"[{"provider": "Google", "nullifiers": ["n"], "expiration_date": "tomorrow"}]"#,
            "stamps[0].expiration_date \"tomorrow\"",
        ),
    ];
    for (body, expected) in cases {
        let (status, json, _) = call("POST", &score_path("1", ADDRESS), Some(body));
        assert_eq!(status, 400, "{body}");
        let message = json["error"].as_str().unwrap();
        assert!(message.contains(expected), "{body}: {message}");
    }
}

#[test]
fn base64_encoded_alb_body_is_decoded() {
    use lambda_http::http::Request as HttpRequest;
    // ALB base64-encodes bodies it considers binary; lambda_http decodes to Body::Binary.
    let req: Request = HttpRequest::post(score_path("2", ADDRESS))
        .body(Body::Binary(
            br#"[{"provider":"Google","nullifiers":["n"],"expiration_date":"2026-01-01T00:00:00Z"}]"#.to_vec(),
        ))
        .unwrap();
    let handled = handle(&app(), &req);
    assert_eq!(handled.response.status(), 200);
}

#[test]
fn score_route_rejects_get_with_405() {
    let (status, _, handled) = call("GET", &score_path("1", ADDRESS), None);
    assert_eq!(status, 405);
    assert_eq!(handled.response.headers()[ALLOW], "POST");
}

#[test]
fn unknown_routes_are_404() {
    for path in ["/", "/v2/stamps/1/score", "/v2/stamps/1/score/0xabc/extra", "/healthz"] {
        let (status, json, handled) = call("GET", path, None);
        assert_eq!(status, 404, "{path}");
        assert_eq!(handled.route, UNMATCHED_ROUTE);
        assert!(json["error"].as_str().unwrap().contains("no route"), "{json}");
    }
}

#[test]
fn address_check_is_exact() {
    assert!(is_address("0x0000000000000000000000000000000000000000"));
    assert!(!is_address("0x00000000000000000000000000000000000000é0"));
    assert!(!is_address(""));
}
