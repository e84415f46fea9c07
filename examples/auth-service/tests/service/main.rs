//! The auth service as clients see it: the whole token life cycle in-process (every answer
//! validated against the spec's JSON Schema for its operation and status), the generated
//! client over a real socket, and the binary.

mod binary;
mod flow;
mod socket;
mod support;
