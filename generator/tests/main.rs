//! Integration tests of the generator crate.

mod fuzz;
mod loader;
mod render;
