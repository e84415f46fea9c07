//! Over real sockets on 127.0.0.1 port 0: serving, graceful shutdown, timeouts, hot reload.

use std::time::Duration;

use kontrat_mock::{Config, Mock};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::fixtures::*;

struct Running {
    url: String,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), kontrat_mock::ServeError>>,
}

async fn start(mock: &Mock, header_timeout: Duration) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let app = mock.service();
    let task = tokio::spawn(kontrat_mock::serve(
        listener,
        app,
        header_timeout,
        Duration::from_secs(5),
        async {
            let _ = stopped.await;
        },
    ));
    Running {
        url,
        stop: Some(stop),
        task,
    }
}

#[tokio::test]
async fn serves_and_shuts_down_gracefully_finishing_requests_in_flight() {
    let mut running = start(&auth_mock(Config::default()), Duration::from_secs(5)).await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/auth/logout", running.url);
    let reply = client.post(&url).bearer_auth(JWT).send().await.unwrap();
    assert_eq!(reply.status(), 200);

    // A slow request is in flight when the shutdown begins; it still gets its answer.
    let slow = tokio::spawn({
        let client = client.clone();
        let url = url.clone();
        async move {
            client
                .post(&url)
                .bearer_auth(JWT)
                .header("prefer", "delay=400")
                .send()
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    running.stop.take().unwrap().send(()).unwrap();
    let reply = slow
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(reply.status(), 200);
    let status = reply.status().as_u16();
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["statusCode"], status);
    tokio::time::timeout(Duration::from_secs(5), running.task)
        .await
        .expect("serve returns after shutdown")
        .unwrap()
        .unwrap();
    assert!(
        client.post(&url).send().await.is_err(),
        "no longer listening"
    );
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let running = start(&auth_mock(Config::default()), Duration::from_millis(300)).await;
    let mut stream = TcpStream::connect(running.url.trim_start_matches("http://"))
        .await
        .unwrap();
    stream
        .write_all(b"POST /api/v1/auth/logout HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the connection is closed by the server");
    // An idle kept-alive connection is closed the same way.
    let mut idle = TcpStream::connect(running.url.trim_start_matches("http://"))
        .await
        .unwrap();
    let read = tokio::time::timeout(Duration::from_secs(5), idle.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "an idle connection is closed");
}

#[tokio::test]
async fn hot_reload_swaps_valid_changes_and_keeps_serving_on_invalid_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("api.yaml");
    let spec = |extra: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{n: {{type: integer}}}}}}\n              example: {{n: 1}}\n{extra}"
        )
    };
    std::fs::write(&path, spec("")).unwrap();
    let contract = kontrat_generator::load_contract(&path).unwrap().0;
    let mock = Mock::new(contract, Config::default());
    let watcher = kontrat_mock::watch(mock.clone(), path.clone(), Duration::from_millis(20));
    let running = start(&mock, Duration::from_secs(5)).await;
    let client = reqwest::Client::new();
    let get = |p: &str| client.get(format!("{}{p}", running.url)).send();
    assert_eq!(get("/b").await.unwrap().status(), 404);

    // A valid change: /b appears.
    let b = "  /b:\n    get:\n      operationId: b\n      responses:\n        '200': {description: ok}\n";
    write_changed(&path, &spec(b));
    wait_for(|| async { get("/b").await.unwrap().status() == 200 }).await;

    // An invalid change (a dangling $ref): the previous contract keeps serving.
    let broken = "  /c:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Missing'}\n";
    write_changed(&path, &spec(&format!("{b}{broken}")));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        get("/b").await.unwrap().status(),
        200,
        "still serving the last good contract"
    );
    assert_eq!(get("/c").await.unwrap().status(), 404);
    let info: serde_json::Value = get("/__kontrat/").await.unwrap().json().await.unwrap();
    assert_eq!(info["reloads"], 1);
    watcher.abort();
}

/// Rewrites `path`, making sure its stamp (mtime, length) changes even on coarse clocks.
fn write_changed(path: &std::path::Path, text: &str) {
    let before = std::fs::metadata(path).unwrap().modified().unwrap();
    std::fs::write(path, text).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(before + Duration::from_secs(1)).unwrap();
}

async fn wait_for<F, Fut>(mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..200 {
        if condition().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("condition not met within 4 s");
}

#[tokio::test]
async fn every_auth_operation_and_status_over_a_socket() {
    let contract = auth_contract();
    let running = start(&auth_mock(Config::default()), Duration::from_secs(5)).await;
    let client = reqwest::Client::new();
    let mut answered = 0;
    for op in &contract.operations {
        for r in &op.responses {
            let status = r.status.to_string();
            let reply = client
                .post(format!("{}{}", running.url, op.path))
                .header("prefer", format!("code={status}"))
                .header("origin", "http://localhost:3000")
                .send()
                .await
                .unwrap();
            assert_eq!(reply.status().as_str(), status);
            assert_eq!(
                reply.headers()["access-control-allow-origin"],
                "http://localhost:3000"
            );
            let reply = Reply {
                status: reply.status(),
                headers: reply.headers().clone(),
                bytes: reply.bytes().await.unwrap(),
            };
            assert_documented(&contract, &op.id, &reply);
            assert_live_envelope(&reply);
            answered += 1;
        }
    }
    assert_eq!(answered, 18);
}
