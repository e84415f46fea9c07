//! The proxy in front of real and broken servers, as apps and browsers use it.

mod behaviour;
mod broken;
mod fixtures;
mod flow;
