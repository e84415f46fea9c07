//! The verifier against the mock (conforms), against deliberately broken servers (each
//! violation named), its plan (seeded, replayable) and its reports.

mod broken;
mod fixtures;
mod plan;
mod service;
