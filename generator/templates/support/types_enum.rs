// ── String enums ─────────────────────────────────────────────────────────────────────────

mod enum_support {
    /// The error of serializing the `Unknown` variant of a string enum.
    pub(super) fn undocumented<E: serde::ser::Error>(
        enum_name: &str,
        value: &str,
        allowed: &[&str],
    ) -> E {
        E::custom(format!(
            "{enum_name}::Unknown({value:?}) is not a documented value and is never sent; \
             documented values: {}",
            allowed.join(", ")
        ))
    }
}

