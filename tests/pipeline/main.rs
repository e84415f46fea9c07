//! The pipeline tests: the reference output of the generator for `spec/auth.yaml`
//! (`generated/auth-api`) exercised as its users would use it.
//!
//! - `client`: the typed client against wiremock, every operation × every documented
//!   status, plus undocumented statuses, invalid bodies and transport errors;
//! - `server`: the axum server stubs in-process (`tower::ServiceExt::oneshot`), every
//!   malformed input answered with the documented envelope, and a client ↔ server
//!   roundtrip over a real socket;
//! - `mock_helpers`: the typed wiremock builders, as a client team would use them;
//! - `contract`: every body the crate can send validates against the spec's JSON Schemas;
//! - `cli`: the `kontrat` binary: exit codes, atomic writes, the drift check;
//! - `proxy`: `kontrat proxy` around a command and until SIGTERM, with its exit codes;
//! - `readme`: the README's tour, verbatim.

mod cli;
mod client;
mod contract;
mod fixtures;
mod mock_helpers;
mod proxy;
mod readme;
mod server;
