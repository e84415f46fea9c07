//! Calls GitHub's generated client as a user would: required inputs as arguments,
//! optional ones through the builder's setters, then `.await` (or `.send().await`),
//! against the crate's own wiremock builders, which match only the parameters given.

use github_api::{Client, IssuesListForRepoMock, ListState, SearchReposMock};

#[tokio::main]
async fn main() {
    let server = wiremock::MockServer::start().await;
    // The mock matches only a request with exactly these parameters.
    IssuesListForRepoMock::ok()
        .with_owner("octocat")
        .with_repo("hello-world")
        .with_state(ListState::Closed)
        .with_per_page(50)
        .expect(1)
        .mount(&server)
        .await;
    SearchReposMock::ok()
        .with_q("kontrat language:rust")
        .with_per_page(5)
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::new(server.uri());
    let issues = client
        .issues_list_for_repo("octocat", "hello-world")
        .state(ListState::Closed)
        .per_page(50)
        .await
        .expect("the documented 200");
    assert_eq!(issues.status(), 200);

    // A required query parameter is an argument; the builder also sends with `send()`.
    let found = client
        .search_repos("kontrat language:rust")
        .per_page(5)
        .send()
        .await
        .expect("the documented 200");
    assert_eq!(found.status(), 200);

    // A parameter the mock does not expect: no mock matches, wiremock answers 404, which
    // `issues/list-for-repo` documents.
    let other = client.issues_list_for_repo("octocat", "hello-world").per_page(51).await;
    assert_eq!(other.err().and_then(|e| e.status()), Some(404.try_into().unwrap()));
    println!(
        "github-call: {} issues, {} search results, builder calls matched",
        issues.len(),
        found.items.len()
    );
}
