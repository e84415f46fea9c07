
mod support {
    //! Not every spec uses every helper.
    #![allow(dead_code)]

    use http::{Method, StatusCode};
    use serde::Serialize;
    use wiremock::matchers::{method, path, path_regex};
    use wiremock::{Match, Mock, Request, ResponseTemplate, Times};

    #[allow(unused_imports)]
    use crate::types::*;

    /// What a builder has collected.
    #[derive(Debug)]
    pub(super) struct MockSpec {
        status: StatusCode,
        body: Option<(&'static str, Vec<u8>)>,
{% if bearer %}        bearer_token: Option<BearerToken>,
{% endif %}        request_body: Option<JsonBodyMatcher>,
        params: Vec<ParamMatcher>,
        times: Option<Times>,
    }

    impl MockSpec {
        /// Serves `example` verbatim.
        pub(super) fn example(status: StatusCode, content_type: &'static str, example: &'static str) -> Self {
            Self::new(status, Some((content_type, example.as_bytes().to_vec())))
        }

        pub(super) fn typed(
            status: StatusCode,
            body: Result<Option<(&'static str, bytes::Bytes)>, serde_json::Error>,
        ) -> Self {
            match body {
                Ok(body) => Self::new(status, body.map(|(content_type, bytes)| (content_type, bytes.to_vec()))),
                Err(error) => {
{% if let Some(env) = envelope %}                    let envelope = {{ env }}::<()>::failure(
                        500,
                        vec![
                            "Internal server error".to_owned(),
                            format!("the mock response could not be serialized: {error}"),
                        ],
                    );
                    let body = serde_json::to_vec(&envelope).unwrap_or_default();
                    Self::new(StatusCode::INTERNAL_SERVER_ERROR, Some(("application/json", body)))
{% else %}                    let problem = serde_json::json!({
                        "type": "about:blank",
                        "title": "Internal Server Error",
                        "status": 500,
                        "detail": format!("the mock response could not be serialized: {error}"),
                    });
                    Self::new(StatusCode::INTERNAL_SERVER_ERROR, Some(("application/problem+json", problem.to_string().into_bytes())))
{% endif %}                }
            }
        }

        fn new(status: StatusCode, body: Option<(&'static str, Vec<u8>)>) -> Self {
            MockSpec {
                status,
                body,
{% if bearer %}                bearer_token: None,
{% endif %}                request_body: None,
                params: Vec::new(),
                times: None,
            }
        }

{% if bearer %}        pub(super) fn with_bearer_token(mut self, token: impl Into<String>) -> Self {
            self.bearer_token = Some(BearerToken::new(token));
            self
        }

{% endif %}        pub(super) fn with_body<T: Serialize>(mut self, body: &T) -> Self {
            self.request_body = Some(JsonBodyMatcher(serde_json::to_value(body).ok()));
            self
        }

        pub(super) fn with_query<T: Serialize>(mut self, name: &'static str, value: &T) -> Self {
            let values = serde_json::to_value(value).ok().map(|value| match value {
                serde_json::Value::Array(items) => items.iter().map(text).collect(),
                serde_json::Value::Null => Vec::new(),
                other => vec![text(&other)],
            });
            self.params.push(ParamMatcher::Query(name, values));
            self
        }

        pub(super) fn with_header<T: Serialize>(mut self, name: &'static str, value: &T) -> Self {
            let value = serde_json::to_value(value).ok().map(|value| text(&value));
            self.params.push(ParamMatcher::Header(name, value));
            self
        }

        pub(super) fn with_path_segment<T: Serialize>(mut self, index: usize, value: &T) -> Self {
            let value = serde_json::to_value(value).ok().map(|value| text(&value));
            self.params.push(ParamMatcher::PathSegment(index, value));
            self
        }

        pub(super) fn expect(mut self, times: impl Into<Times>) -> Self {
            self.times = Some(times.into());
            self
        }

        pub(super) fn into_mock(self, request_method: Method, request_path: &str, templated: bool) -> Mock {
            let builder = Mock::given(method(request_method));
            let mut builder = if templated {
                builder.and(path_regex(request_path))
            } else {
                builder.and(path(request_path))
            };
{% if bearer %}            if let Some(token) = self.bearer_token {
                builder = builder.and(BearerMatcher(token));
            }
{% endif %}
            if let Some(matcher) = self.request_body {
                builder = builder.and(matcher);
            }
            for matcher in self.params {
                builder = builder.and(matcher);
            }
            let response = match self.body {
                Some((content_type, body)) => ResponseTemplate::new(self.status).set_body_raw(body, content_type),
                None => ResponseTemplate::new(self.status),
            };
            let mock = builder.respond_with(response);
            match self.times {
                Some(times) => mock.expect(times),
                None => mock,
            }
        }
    }

    /// Matches `Authorization: Bearer <token>` exactly (scheme case-insensitive).
{% if bearer %}    #[derive(Debug)]
    struct BearerMatcher(BearerToken);

    impl Match for BearerMatcher {
        fn matches(&self, request: &Request) -> bool {
            let mut values = request.headers.get_all(http::header::AUTHORIZATION).iter();
            let (Some(value), None) = (values.next(), values.next()) else {
                return false;
            };
            let Ok(value) = value.to_str() else {
                return false;
            };
            match value.split_once(' ') {
                Some((scheme, token)) => {
                    scheme.eq_ignore_ascii_case("Bearer") && token == self.0.as_str()
                }
                None => false,
            }
        }
    }

    /// Matches a JSON body equal to the value (`None`: the value did not serialize, never
    /// matches).
{% endif %}    #[derive(Debug)]
    struct JsonBodyMatcher(Option<serde_json::Value>);

    impl Match for JsonBodyMatcher {
        fn matches(&self, request: &Request) -> bool {
            match &self.0 {
                Some(expected) => serde_json::from_slice::<serde_json::Value>(&request.body)
                    .is_ok_and(|actual| actual == *expected),
                None => false,
            }
        }
    }

    /// A value as the client writes it: strings as they are, other scalars as JSON,
    /// arrays comma-joined.
    fn text(value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
            other => other.to_string(),
        }
    }

    /// One parameter a request must carry, as text (`None`: the value did not serialize,
    /// never matches).
    #[derive(Debug)]
    enum ParamMatcher {
        /// Every value of the query parameter, in order (arrays are sent exploded).
        Query(&'static str, Option<Vec<String>>),
        /// The one value of the header.
        Header(&'static str, Option<String>),
        /// The path segment at this index (after splitting on `/`), percent-decoded.
        PathSegment(usize, Option<String>),
    }

    impl Match for ParamMatcher {
        fn matches(&self, request: &Request) -> bool {
            match self {
                ParamMatcher::Query(name, Some(expected)) => {
                    let actual: Vec<String> = request
                        .url
                        .query_pairs()
                        .filter(|(key, _)| key == name)
                        .map(|(_, value)| value.into_owned())
                        .collect();
                    actual == *expected
                }
                ParamMatcher::Header(name, Some(expected)) => {
                    let mut values = request.headers.get_all(*name).iter();
                    match (values.next(), values.next()) {
                        (Some(value), None) => value.to_str().is_ok_and(|value| value == expected),
                        _ => false,
                    }
                }
                ParamMatcher::PathSegment(index, Some(expected)) => request
                    .url
                    .path()
                    .split('/')
                    .nth(*index)
                    .is_some_and(|segment| {
                        percent_encoding::percent_decode_str(segment).decode_utf8_lossy() == expected.as_str()
                    }),
                _ => false,
            }
        }
    }
}
