//! The proxy in front of real and broken servers.
