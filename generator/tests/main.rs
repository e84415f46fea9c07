//! Integration tests of the generator crate.

mod diff;
mod fuzz;
mod lint;
mod loader;
mod naming;
mod render;
mod typescript;
