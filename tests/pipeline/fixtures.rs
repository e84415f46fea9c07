//! Values shared by the pipeline tests: the spec's example values and envelope assertions.

use auth_api::ErrorEnvelope;
use chrono::{DateTime, TimeZone, Utc};

/// The access token of the spec's examples.
pub const ACCESS_TOKEN: &str =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwiaWF0IjoxNzY4NDczMDAwfQ.c2lnbmF0dXJl";
/// The refresh token of the spec's refresh request example.
pub const REFRESH_TOKEN: &str = "3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c";
/// The refresh token of the spec's refresh response and revoke request examples.
pub const NEW_REFRESH_TOKEN: &str = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f";

/// The documented error statuses of every operation, with the message of their example.
pub const ERROR_STATUSES: [(u16, &str); 5] = [
    (400, "Validation failed"),
    (401, "Authentication required"),
    (403, "Insufficient permissions"),
    (404, "Resource not found"),
    (
        409,
        "Resource already exists or cannot be changed in its current state",
    ),
];

/// The timestamp of every example: `2026-01-15T10:30:00.000Z`.
pub fn example_timestamp() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 10, 30, 0).unwrap()
}

/// The example of the documented error response `status` of any operation.
pub fn error_example(status: u16) -> &'static str {
    use auth_api::examples::refresh_token as ex;
    match status {
        400 => ex::BAD_REQUEST,
        401 => ex::UNAUTHORIZED,
        403 => ex::FORBIDDEN,
        404 => ex::NOT_FOUND,
        409 => ex::CONFLICT,
        other => panic!("no documented error example for {other}"),
    }
}

/// Asserts a decoded error envelope equals the spec's example for `status`.
pub fn assert_example_error(envelope: &ErrorEnvelope, status: u16, message: &str) {
    assert!(!envelope.is_success, "{status}: isSuccess");
    assert_eq!(envelope.status_code, i32::from(status));
    let () = envelope.data;
    assert_eq!(envelope.errors, vec![message.to_owned()]);
    assert_eq!(envelope.timestamp, example_timestamp());
}

/// Asserts a JSON error envelope as the server writes it: `isSuccess: false`, the status,
/// `data: null`, the expected `errors` and a timestamp like `2026-01-15T10:30:00.000Z`.
pub fn assert_error_json(body: &serde_json::Value, status: u16, errors: &[&str]) {
    assert_eq!(body["isSuccess"], false, "{body}");
    assert_eq!(body["statusCode"], status, "{body}");
    assert!(body["data"].is_null(), "{body}");
    let actual: Vec<&str> = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("errors is not an array: {body}"))
        .iter()
        .map(|error| error.as_str().unwrap())
        .collect();
    assert_eq!(actual, errors, "{body}");
    assert_millis_timestamp(body["timestamp"].as_str().unwrap());
    assert_eq!(body.as_object().unwrap().len(), 5, "{body}");
}

/// Asserts `text` is a UTC timestamp with exactly three fractional digits and `Z`.
pub fn assert_millis_timestamp(text: &str) {
    let bytes = text.as_bytes();
    assert_eq!(bytes.len(), 24, "{text}");
    assert_eq!(bytes[10], b'T', "{text}");
    assert_eq!(bytes[19], b'.', "{text}");
    assert_eq!(bytes[23], b'Z', "{text}");
    assert!(bytes[20..23].iter().all(u8::is_ascii_digit), "{text}");
    DateTime::parse_from_rfc3339(text).unwrap();
}
