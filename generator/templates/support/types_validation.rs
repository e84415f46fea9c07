// ── Validation ───────────────────────────────────────────────────────────────────────────

/// Checks the constraints the spec states for a value (`minLength`, `maxLength`,
/// `minimum`, `maximum`, `enum`).
///
/// Decoding checks the shape (types, required and unknown fields); `Validate` checks the
/// rest. The server stubs call it on every decoded request body and answer violations
/// with the documented 400 envelope.
pub trait Validate {
    /// Appends one message per violated constraint to `errors`, like
    /// `refreshToken: must be at least 16 characters`.
    ///
    /// `at` is the path of `self` in the document (`""` for the root; fields are joined
    /// with `.`, array items as `[i]`) and prefixes every message.
    fn validate(&self, at: &str, errors: &mut Vec<String>);
}

impl Validate for () {
    fn validate(&self, _at: &str, _errors: &mut Vec<String>) {}
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &str, errors: &mut Vec<String>) {
        if let Some(value) = self {
            value.validate(at, errors);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, at: &str, errors: &mut Vec<String>) {
        for (index, item) in self.iter().enumerate() {
            item.validate(&validation::index(at, index), errors);
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, at: &str, errors: &mut Vec<String>) {
        (**self).validate(at, errors);
    }
}

impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
    fn validate(&self, at: &str, errors: &mut Vec<String>) {
        for (key, value) in self {
            value.validate(&validation::path(at, key), errors);
        }
    }
}

/// Values without constraints of their own: nothing to check.
macro_rules! no_constraints {
    ($($ty:ty),* $(,)?) => {
        $(impl Validate for $ty {
            fn validate(&self, _at: &str, _errors: &mut Vec<String>) {}
        })*
    };
}

no_constraints!(
    bool, i32, i64, f32, f64, String, serde_json::Value, bytes::Bytes,
    chrono::DateTime<chrono::Utc>, chrono::NaiveDate,
);

/// The checks behind [`Validate`]; each appends a message `<path>: <what is wrong>`.
pub mod validation {
    use std::fmt::Display;

    /// The path of field `field` of the value at `at`.
    pub fn path(at: &str, field: &str) -> String {
        if at.is_empty() {
            field.to_owned()
        } else {
            format!("{at}.{field}")
        }
    }

    /// The path of item `index` of the array at `at`.
    pub fn index(at: &str, index: usize) -> String {
        format!("{at}[{index}]")
    }

    fn subject(path: &str) -> &str {
        if path.is_empty() {
            "value"
        } else {
            path
        }
    }

    fn characters(count: usize) -> &'static str {
        if count == 1 {
            "character"
        } else {
            "characters"
        }
    }

    /// `minLength`: at least `min` characters (Unicode scalar values, as JSON Schema counts).
    pub fn min_length(path: &str, value: &str, min: usize, errors: &mut Vec<String>) {
        if value.chars().count() < min {
            errors.push(format!(
                "{}: must be at least {min} {}",
                subject(path),
                characters(min)
            ));
        }
    }

    /// `maxLength`: at most `max` characters (Unicode scalar values, as JSON Schema counts).
    pub fn max_length(path: &str, value: &str, max: usize, errors: &mut Vec<String>) {
        if value.chars().count() > max {
            errors.push(format!(
                "{}: must be at most {max} {}",
                subject(path),
                characters(max)
            ));
        }
    }

    /// `minimum` (inclusive).
    pub fn minimum<N: PartialOrd + Display>(path: &str, value: N, min: N, errors: &mut Vec<String>) {
        if value < min {
            errors.push(format!(
                "{}: must be greater than or equal to {min}",
                subject(path)
            ));
        }
    }

    /// `maximum` (inclusive).
    pub fn maximum<N: PartialOrd + Display>(path: &str, value: N, max: N, errors: &mut Vec<String>) {
        if value > max {
            errors.push(format!(
                "{}: must be less than or equal to {max}",
                subject(path)
            ));
        }
    }

    /// `exclusiveMinimum`.
    pub fn exclusive_minimum<N: PartialOrd + Display>(path: &str, value: N, min: N, errors: &mut Vec<String>) {
        if value <= min {
            errors.push(format!("{}: must be greater than {min}", subject(path)));
        }
    }

    /// `exclusiveMaximum`.
    pub fn exclusive_maximum<N: PartialOrd + Display>(path: &str, value: N, max: N, errors: &mut Vec<String>) {
        if value >= max {
            errors.push(format!("{}: must be less than {max}", subject(path)));
        }
    }

    /// `minItems`.
    pub fn min_items(path: &str, len: usize, min: usize, errors: &mut Vec<String>) {
        if len < min {
            errors.push(format!("{}: must have at least {min} items", subject(path)));
        }
    }

    /// `maxItems`.
    pub fn max_items(path: &str, len: usize, max: usize, errors: &mut Vec<String>) {
        if len > max {
            errors.push(format!("{}: must have at most {max} items", subject(path)));
        }
    }

    /// `enum`: the value is not one of `allowed`.
    pub fn one_of<T: Display>(path: &str, allowed: &[T], errors: &mut Vec<String>) {
        let allowed: Vec<String> = allowed.iter().map(ToString::to_string).collect();
        errors.push(format!(
            "{}: must be one of: {}",
            subject(path),
            allowed.join(", ")
        ));
    }
}

