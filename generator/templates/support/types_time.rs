// ── Timestamps ───────────────────────────────────────────────────────────────────────────

/// Serde of `format: date-time` fields: written exactly like `2026-01-15T10:30:00.000Z`
/// (UTC, always three fractional digits, `Z`), read from any RFC 3339 date-time.
///
/// Use it as `#[serde(with = "rfc3339_millis")]` on a `DateTime<Utc>` field and
/// `#[serde(with = "rfc3339_millis::option")]` on an `Option<DateTime<Utc>>` field.
/// Sub-millisecond digits are truncated when writing.
pub mod rfc3339_millis {
    use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    /// `value` as written on the wire, e.g. `2026-01-15T10:30:00.000Z`.
    pub fn format(value: &DateTime<Utc>) -> String {
        value.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    /// Parses any RFC 3339 date-time and converts it to UTC.
    pub fn parse(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
        DateTime::parse_from_rfc3339(text).map(|value| value.with_timezone(&Utc))
    }

    /// The current time, truncated to milliseconds.
    pub fn now() -> DateTime<Utc> {
        Utc::now().trunc_subsecs(3)
    }

    /// Writes `value` like `2026-01-15T10:30:00.000Z`.
    pub fn serialize<S: Serializer>(value: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(value))
    }

    /// Reads any RFC 3339 date-time.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text).map_err(|error| {
            D::Error::custom(format!("invalid RFC 3339 date-time `{text}`: {error}"))
        })
    }

    /// The same for `Option<DateTime<Utc>>` (`null` is `None`); combine with
    /// `#[serde(default)]` for fields that may be absent.
    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes `Some` like `2026-01-15T10:30:00.000Z` and `None` as `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<DateTime<Utc>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads `null` as `None` and any RFC 3339 date-time as `Some`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            #[derive(Deserialize)]
            struct Wrapper(#[serde(with = "super")] DateTime<Utc>);
            let value = Option::<Wrapper>::deserialize(deserializer)?;
            Ok(value.map(|Wrapper(value)| value))
        }
    }
}

