// ── Bearer token ─────────────────────────────────────────────────────────────────────────

{% for l in bearer_doc %}{{ l }}
{% endfor %}#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BearerToken(String);

impl BearerToken {
    /// A token from its text: surrounding whitespace and one leading `Bearer ` or
    /// `bearer ` prefix are removed.
    pub fn new(token: impl Into<String>) -> Self {
        let token: String = token.into();
        let trimmed = token.trim();
        let stripped = trimmed
            .strip_prefix("Bearer ")
            .or_else(|| trimmed.strip_prefix("bearer "))
            .map_or(trimmed, str::trim_start);
        if stripped.len() == token.len() {
            BearerToken(token)
        } else {
            BearerToken(stripped.to_owned())
        }
    }

    /// A token taken verbatim (already without scheme), as the server extracts it.
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
    pub(crate) fn from_raw(token: &str) -> Self {
        BearerToken(token.to_owned())
    }

    /// The token, without the `Bearer ` prefix.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("BearerToken(<redacted>)")
    }
}

