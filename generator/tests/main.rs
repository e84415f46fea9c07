//! Integration tests of the generator crate.

mod loader;
mod render;
