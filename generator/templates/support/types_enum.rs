// ── Enums ─────────────────────────────────────────────────────────────────────────────

mod enum_support {
    /// The error of serializing the `Unknown` variant of a string or integer enum.
    pub(super) fn undocumented<E: serde::ser::Error>(
        enum_name: &str,
        value: &impl std::fmt::Debug,
        allowed: &[impl std::fmt::Display],
    ) -> E {
        let allowed: Vec<String> = allowed.iter().map(ToString::to_string).collect();
        E::custom(format!(
            "{enum_name}::Unknown({value:?}) is not a documented value and is never sent; \
             documented values: {}",
            allowed.join(", ")
        ))
    }
}

