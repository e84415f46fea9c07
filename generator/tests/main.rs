//! Integration tests of the generator crate.

mod fuzz;
mod lint;
mod loader;
mod render;
