//! The dashboard at `/__kontrat/`: content negotiation, its files, the contract view (HTML
//! from the spec stays text), `Prefer: journal`, and the server-sent events it follows.

use std::time::Duration;

use axum::body::Body;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use kontrat_mock::{Config, Mock};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::fixtures::*;

const CHROMIUM_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

fn get(path: &str, accept: Option<&str>) -> Request<Body> {
    let b = Request::builder().uri(path);
    let b = match accept {
        Some(a) => b.header("accept", a),
        None => b,
    };
    b.body(Body::empty()).unwrap()
}

fn refresh() -> http::request::Builder {
    post("/api/v1/auth/refresh").header("content-type", "application/json")
}

const REFRESH_BODY: &str = r#"{"refreshToken":"3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c"}"#;

#[tokio::test]
async fn a_browser_gets_the_page_and_everyone_else_json() {
    let mock = auth_mock(Config::default());
    for path in ["/__kontrat/", "/__kontrat"] {
        let page = send(&mock, get(path, Some(CHROMIUM_ACCEPT))).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(
            page.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(page.header("vary"), Some("Accept"));
        let policy = page.header("content-security-policy").unwrap();
        assert!(policy.contains("script-src 'self'"), "{policy}");
        assert!(
            policy.contains("require-trusted-types-for 'script'"),
            "{policy}"
        );
        let html = String::from_utf8_lossy(&page.bytes);
        assert!(html.contains(r#"<script type="module" src="/__kontrat/ui/app.js">"#));
        assert!(
            !html.contains("<script>"),
            "no inline script: the policy forbids it"
        );

        for accept in [
            None,
            Some("*/*"),
            Some("application/json"),
            Some("text/html, application/json"),
        ] {
            let info = send(&mock, get(path, accept)).await;
            assert_eq!(info.status, StatusCode::OK);
            assert_eq!(
                info.header("content-type"),
                Some("application/json"),
                "{accept:?}"
            );
            assert_eq!(info.header("vary"), Some("Accept"));
            assert_eq!(info.json()["title"], "Auth API");
        }
    }
}

#[tokio::test]
async fn the_page_files_are_served_with_types_and_validators() {
    let mock = auth_mock(Config::default());
    let script = send(&mock, get("/__kontrat/ui/app.js", None)).await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(script.header("x-content-type-options"), Some("nosniff"));
    assert!(String::from_utf8_lossy(&script.bytes).contains("import"));
    let etag = script.header("etag").unwrap().to_owned();

    let again = Request::builder()
        .uri("/__kontrat/ui/app.js")
        .header("if-none-match", &etag)
        .body(Body::empty())
        .unwrap();
    let again = send(&mock, again).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.bytes.is_empty());

    let style = send(&mock, get("/__kontrat/ui/style.css", None)).await;
    assert_eq!(
        style.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    for missing in [
        "/__kontrat/ui/nope.js",
        "/__kontrat/ui/..%2Fcontrol.rs",
        "/__kontrat/ui/",
    ] {
        let reply = send(&mock, get(missing, None)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{missing}");
    }
}

/// A spec whose texts are HTML and script.
const HOSTILE: &str = r#"
openapi: 3.0.3
info:
  title: "<img src=x onerror=alert(1)>"
  version: "1"
  description: "<script>alert('title')</script>"
servers:
  - url: https://prod.example.com
    description: Production
paths:
  /things:
    post:
      operationId: makeThing
      summary: "<b>bold</b> summary"
      description: |-
        **Production warning:** <script>alert(1)</script>

        [click](javascript:alert(1)) and [docs](https://docs.example.com) <img src=x onerror=alert(2)>
      responses:
        '201':
          description: "<i>made</i>"
"#;

#[tokio::test]
async fn the_contract_view_keeps_html_from_the_spec_as_text() {
    let (contract, _) = kontrat_generator::load_contract_str("hostile.yaml", HOSTILE).unwrap();
    let mock = Mock::new(contract, Config::default());
    let view = send(&mock, get("/__kontrat/contract", None)).await.json();
    assert_eq!(view["title"], "<img src=x onerror=alert(1)>");
    let op = &view["operations"][0];
    assert_eq!(op["summary"], "<b>bold</b> summary");
    assert_eq!(
        op["warning"],
        json!({"t": "p", "c": [{"t": "strong", "c": ["Production warning:"]}, " <script>alert(1)</script>"]})
    );
    assert_eq!(
        op["description"],
        json!([{"t": "p", "c": [
            "click and ",
            {"t": "a", "href": "https://docs.example.com", "c": ["docs"]},
            " <img src=x onerror=alert(2)>"
        ]}])
    );
    assert_eq!(
        op["responses"][0]["description"],
        json!([{"t": "p", "c": ["<i>made</i>"]}])
    );
    assert_eq!(
        view["description"],
        json!([{"t": "p", "c": ["<script>alert('title')</script>"]}])
    );
    assert!(
        !view.to_string().contains("javascript:"),
        "no unsafe link survives"
    );
    assert_eq!(view["status"], json!({"reloads": 0, "reloadError": null}));
}

#[tokio::test]
async fn prefer_journal_answers_the_number_of_the_requests_entry() {
    let mock = auth_mock(Config::default());
    let plain = send(&mock, refresh().body(Body::from(REFRESH_BODY)).unwrap()).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.header("kontrat-request-seq"), None, "only when asked");

    let asked = refresh()
        .header("prefer", "journal")
        .body(Body::from(r#"{"refreshToken":"short"}"#))
        .unwrap();
    let asked = send(&mock, asked).await;
    assert_eq!(asked.status, StatusCode::BAD_REQUEST);
    assert_eq!(asked.header("kontrat-request-seq"), Some("2"));
    assert_eq!(asked.header("preference-applied"), Some("journal"));

    let entry = send(&mock, get("/__kontrat/requests/2", None)).await.json();
    assert_eq!(entry["operation"], "refreshToken");
    assert_eq!(entry["status"], 400);
    assert!(
        entry["problems"][0]
            .as_str()
            .unwrap()
            .contains("refreshToken"),
        "{entry}"
    );
    assert_eq!(
        send(&mock, get("/__kontrat/requests/9", None)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&mock, get("/__kontrat/requests/x", None)).await.status,
        StatusCode::BAD_REQUEST
    );
}

/// Server-sent events read from a response body.
struct Events {
    body: Body,
    buffer: String,
}

#[derive(Debug)]
struct Sse {
    name: String,
    id: Option<String>,
    data: Value,
}

impl Events {
    async fn open(mock: &Mock, last_id: Option<&str>) -> Self {
        let mut request = Request::builder().uri("/__kontrat/events");
        if let Some(id) = last_id {
            request = request.header("last-event-id", id);
        }
        let response = mock
            .service()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        Self {
            body: response.into_body(),
            buffer: String::new(),
        }
    }

    /// The next event, or None when the stream ends; fails after 5 s of silence.
    async fn next(&mut self) -> Option<Sse> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut name, mut id, mut data) = (String::from("message"), None, String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event: ") {
                        name = v.into();
                    } else if let Some(v) = line.strip_prefix("id: ") {
                        id = Some(v.to_owned());
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        data.push_str(v);
                    }
                }
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                return Some(Sse {
                    name,
                    id,
                    data: serde_json::from_str(&data).unwrap(),
                });
            }
            let frame = tokio::time::timeout(Duration::from_secs(5), self.body.frame())
                .await
                .expect("an event within 5 s");
            match frame {
                Some(Ok(frame)) => {
                    if let Ok(bytes) = frame.into_data() {
                        self.buffer.push_str(&String::from_utf8_lossy(&bytes));
                    }
                }
                _ => return None,
            }
        }
    }

    async fn expect(&mut self, name: &str) -> Sse {
        let event = self
            .next()
            .await
            .unwrap_or_else(|| panic!("stream ended before `{name}`"));
        assert_eq!(event.name, name, "{event:?}");
        event
    }
}

#[tokio::test]
async fn events_follow_requests_forced_answers_clears_and_reloads() {
    let mock = auth_mock(Config::default());
    send(&mock, refresh().body(Body::from(REFRESH_BODY)).unwrap()).await;

    let mut events = Events::open(&mock, None).await;
    assert_eq!(events.expect("forced").await.data, json!({}));
    assert_eq!(
        events.expect("contract").await.data,
        json!({"reloads": 0, "reloadError": null})
    );
    let backlog = events.expect("request").await;
    assert_eq!(backlog.id.as_deref(), Some("0.1"));
    assert_eq!(backlog.data["operation"], "refreshToken");

    send(&mock, post_preferring("/api/v1/auth/logout", "code=409")).await;
    let live = events.expect("request").await;
    assert_eq!(live.id.as_deref(), Some("0.2"));
    assert_eq!(live.data["status"], 409);
    assert_eq!(live.data["reason"], "Prefer: code=409");

    let force = Request::builder()
        .method("PUT")
        .uri("/__kontrat/force/refreshToken")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"status":409}"#))
        .unwrap();
    assert_eq!(send(&mock, force).await.status, StatusCode::OK);
    assert_eq!(
        events.expect("forced").await.data,
        json!({"refreshToken": {"status": 409}})
    );

    let clear = Request::builder()
        .method("DELETE")
        .uri("/__kontrat/requests")
        .body(Body::empty())
        .unwrap();
    send(&mock, clear).await;
    events.expect("cleared").await;
    send(&mock, refresh().body(Body::from(REFRESH_BODY)).unwrap()).await;
    let after = events.expect("request").await;
    assert_eq!(
        after.id.as_deref(),
        Some("1.1"),
        "a new epoch, numbered from 1"
    );
    assert_eq!(after.data["status"], 409, "forced");

    mock.replace(auth_contract());
    assert_eq!(
        events.expect("contract").await.data,
        json!({"reloads": 1, "reloadError": null})
    );

    mock.close_event_streams();
    assert!(events.next().await.is_none(), "the stream ends at shutdown");
}

#[tokio::test]
async fn a_reconnecting_browser_gets_only_what_it_missed() {
    let mock = auth_mock(Config::default());
    for _ in 0..3 {
        send(&mock, refresh().body(Body::from(REFRESH_BODY)).unwrap()).await;
    }
    let mut events = Events::open(&mock, Some("0.2")).await;
    events.expect("forced").await;
    events.expect("contract").await;
    assert_eq!(events.expect("request").await.id.as_deref(), Some("0.3"));

    // An id from before a clear (or from another mock process): start over.
    let mut stale = Events::open(&mock, Some("0.7")).await;
    stale.expect("forced").await;
    stale.expect("contract").await;
    stale.expect("cleared").await;
    assert_eq!(stale.expect("request").await.id.as_deref(), Some("0.1"));
}

#[tokio::test]
async fn a_spec_that_stops_loading_is_reported_located_until_it_loads_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auth.yaml");
    let good = std::fs::read_to_string(workspace().join("spec/auth.yaml")).unwrap();
    std::fs::write(&path, &good).unwrap();
    let (contract, _) = kontrat_generator::load_contract(&path).unwrap();
    let mock = Mock::new(contract, Config::default());
    let watcher = kontrat_mock::watch(mock.clone(), path.clone(), Duration::from_millis(20));
    // Let the watcher take its first look at the file before it changes.
    tokio::time::sleep(Duration::from_millis(100)).await;

    let broken = good.replace(
        "$ref: '#/components/responses/Conflict'",
        "$ref: '#/components/responses/Missing'",
    );
    // Not the same length: the watcher compares modification time and length.
    std::fs::write(&path, format!("{broken}\n")).unwrap();
    let status = wait_for(&mock, |s| !s["reloadError"].is_null()).await;
    let problem = &status["reloadError"]["problems"][0];
    assert_eq!(problem["code"], "unresolved-ref", "{status}");
    let location = problem["location"].as_str().unwrap();
    assert!(
        location.starts_with(&format!("{}:", path.display())) && location.matches(':').count() == 2,
        "file:line:column, got {location}"
    );
    assert_eq!(
        status["reloads"], 0,
        "the previous contract is still served"
    );

    std::fs::write(&path, good.replace("Çıkış yap", "Log out")).unwrap();
    let status = wait_for(&mock, |s| s["reloadError"].is_null()).await;
    assert_eq!(status["reloads"], 1);
    let view = send(&mock, get("/__kontrat/contract", None)).await.json();
    assert_eq!(view["operations"][0]["summary"], "Log out");
    watcher.abort();
}

async fn wait_for(mock: &Mock, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..250 {
        let view = send(mock, get("/__kontrat/contract", None)).await.json();
        if done(&view["status"]) {
            return view["status"].clone();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the watcher did not report within 5 s");
}
