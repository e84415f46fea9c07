//! Integration tests of the mock server: one binary, modules by theme.
//!
//! `auth` drives the router in-process (`tower::ServiceExt::oneshot`) against the
//! embedded auth contract; `sockets` serves on 127.0.0.1 port 0; `corpus` serves every
//! real-world spec of `../shared/corpus`.

mod auth;
mod control;
mod corpus;
mod dashboard;
mod fixtures;
mod params;
mod real_world;
mod robustness;
mod sockets;
