//! Random values drawn from schemas, for the mock's `Prefer: dynamic=true` and for the
//! verifier's generated requests.
//!
//! [`synthesize`](super::example::synthesize) gives *the* plausible value of a schema;
//! this gives *a* value, different per draw and reproducible from the RNG's seed (callers
//! use a seeded `ChaCha8Rng`, whose stream is the same on every platform and version).
//! Values aim to be valid for the constructs listed in [`super::example`], plus `pattern`
//! (strings drawn from the regular expression); callers that must send only valid data
//! validate the draw and fall back to the synthesised value.

use rand::{Rng, RngExt, distr::Distribution};
use serde_json::{Map, Number, Value, json};

use super::json_schema::Direction;
use super::{AdditionalProperties, Contract, Schema, SchemaKind, StringSchema};

/// How deep sampling follows nested schemas before it stops at the smallest value.
const MAX_DEPTH: usize = 8;

/// A random value for `schema`, as `direction`'s sender would send it.
pub fn sample<R: Rng + ?Sized>(
    contract: &Contract,
    schema: &Schema,
    direction: Direction,
    rng: &mut R,
) -> Value {
    Sampler {
        contract,
        direction,
        stack: Vec::new(),
        wanted: Vec::new(),
        objects: 0,
    }
    .value(schema, 0, rng)
}

/// A string matching `pattern` (an ECMA 262 regular expression, read as Rust `regex`
/// syntax) with a length in `min..=max` characters, if one is found in a few draws.
pub fn pattern_string<R: Rng + ?Sized>(
    pattern: &str,
    min: usize,
    max: Option<usize>,
    rng: &mut R,
) -> Option<String> {
    // rand_regex draws from anchor-free expressions only. A string drawn from the body of
    // `^body$` matches the anchored pattern; one drawn from an unanchored pattern matches
    // it anywhere, which is what JSON Schema's `pattern` asks.
    let body = pattern.strip_prefix('^').unwrap_or(pattern);
    let body = match body.strip_suffix('$') {
        Some(b) if !b.ends_with('\\') => b,
        _ => body,
    };
    // ASCII classes first (ECMA's `\d` and `\w` are ASCII); Unicode mode only when the
    // pattern needs it (`.` or non-ASCII classes cannot be ASCII-only in UTF-8 mode).
    let parse = |unicode| {
        regex_syntax::ParserBuilder::new()
            .unicode(unicode)
            .build()
            .parse(body)
            .ok()
    };
    let hir = parse(false).or_else(|| parse(true))?;
    let regex = rand_regex::Regex::with_hir(hir, 6).ok()?;
    (0..16).find_map(|_| {
        let s: String = regex.sample(rng);
        let n = s.chars().count();
        (n >= min && max.is_none_or(|m| n <= m)).then_some(s)
    })
}

struct Sampler<'a> {
    contract: &'a Contract,
    direction: Direction,
    stack: Vec<&'a str>,
    /// Property names an enclosing `allOf` part requires of its siblings.
    wanted: Vec<&'a str>,
    /// Objects entered: optional properties thin out by object nesting, not by schema
    /// depth (a `$ref` to an `allOf` inside a `oneOf` is still the top object).
    objects: usize,
}

impl<'a> Sampler<'a> {
    fn value<R: Rng + ?Sized>(&mut self, schema: &'a Schema, depth: usize, rng: &mut R) -> Value {
        if schema.nullable && rng.random_bool(0.1) {
            return Value::Null;
        }
        match &schema.kind {
            SchemaKind::Ref(name) => {
                let Some(target) = self.contract.schemas.get(name) else {
                    return Value::Null;
                };
                if depth > MAX_DEPTH || self.stack.iter().filter(|n| **n == name).count() > 1 {
                    return super::example::synthesize(self.contract, schema, self.direction);
                }
                self.stack.push(name);
                let v = self.value(target, depth + 1, rng);
                self.stack.pop();
                v
            }
            SchemaKind::Any => match schema.example.as_ref().or(schema.default.as_ref()) {
                Some(v) => v.clone(),
                None => json!(alnum(rng, 1, 8)),
            },
            SchemaKind::Null | SchemaKind::Not(_) => Value::Null,
            SchemaKind::Boolean => json!(rng.random_bool(0.5)),
            SchemaKind::Integer(i) => {
                if !i.enumeration.is_empty() {
                    return json!(i.enumeration[rng.random_range(0..i.enumeration.len())]);
                }
                let lo = i
                    .minimum
                    .map_or(0, |m| m.saturating_add(i64::from(i.exclusive_minimum)));
                let hi = i.maximum.map_or(lo.saturating_add(1000).max(1000), |m| {
                    m.saturating_sub(i64::from(i.exclusive_maximum))
                });
                let hi = if i.maximum.is_none() && i.minimum.is_none() {
                    1000
                } else {
                    hi
                };
                if lo > hi {
                    return json!(lo);
                }
                let mut v = rng.random_range(lo..=hi);
                if let Some(m) = i.multiple_of.filter(|m| *m > 0) {
                    v = v.div_euclid(m).saturating_mul(m);
                    if v < lo {
                        v = v.saturating_add(m);
                    }
                }
                json!(v)
            }
            SchemaKind::Number(n) => {
                if !n.enumeration.is_empty() {
                    return json!(n.enumeration[rng.random_range(0..n.enumeration.len())]);
                }
                let lo = n.minimum.unwrap_or(0.0);
                let hi = n.maximum.unwrap_or(lo + 1000.0);
                if lo >= hi || lo.is_nan() || hi.is_nan() {
                    return json!(lo);
                }
                if let Some(m) = n.multiple_of.filter(|m| *m > 0.0) {
                    let k =
                        rng.random_range((lo / m).ceil()..=(hi / m).floor().max((lo / m).ceil()));
                    return Number::from_f64(k.round() * m).map_or(json!(lo), Value::Number);
                }
                // Two decimals keep values readable; strictly inside for exclusive bounds.
                let v = (rng.random_range(lo..hi) * 100.0).round() / 100.0;
                let v = if v <= lo || v >= hi {
                    (lo + hi) / 2.0
                } else {
                    v
                };
                Number::from_f64(v).map_or(json!(lo), Value::Number)
            }
            SchemaKind::String(s) => json!(self.string(s, rng)),
            SchemaKind::Array(a) => {
                let min = a.min_items.unwrap_or(0);
                let max = a.max_items.unwrap_or(min + 3).max(min).min(min + 3);
                let n = if depth > MAX_DEPTH {
                    min
                } else {
                    rng.random_range(min..=max)
                };
                let mut items: Vec<Value> = Vec::with_capacity(n);
                for _ in 0..n * 4 {
                    if items.len() == n {
                        break;
                    }
                    let v = self.value(&a.items, depth + 1, rng);
                    if !a.unique_items || !items.contains(&v) {
                        items.push(v);
                    }
                }
                Value::Array(items)
            }
            SchemaKind::Object(o) => {
                let mut map = Map::new();
                let deep = self.objects > 3 || depth > MAX_DEPTH;
                self.objects += 1;
                for p in &o.properties {
                    let skip = match self.direction {
                        Direction::Request => p.schema.read_only,
                        Direction::Response => p.schema.write_only,
                    };
                    let required = p.required || self.wanted.contains(&p.name.as_str());
                    if skip || (!required && (deep || rng.random_bool(0.3))) {
                        continue;
                    }
                    map.insert(p.name.clone(), self.value(&p.schema, depth + 1, rng));
                }
                self.objects -= 1;
                // Required without a schema here: any value does (a sibling allOf part that
                // declares the name supplies the real one, see the merge below).
                for name in &o.required_elsewhere {
                    if !map.contains_key(name) {
                        map.insert(name.clone(), json!(alnum(rng, 1, 8)));
                    }
                }
                if let AdditionalProperties::Schema(s) = &o.additional {
                    let room = o.max_properties.map_or(2, |m| m.saturating_sub(map.len()));
                    let want = o.min_properties.unwrap_or(0).saturating_sub(map.len());
                    let extra = rng.random_range(want..=room.max(want).min(want + 2));
                    for k in 0..extra {
                        let v = self.value(s, depth + 1, rng);
                        map.insert(format!("key{}", k + 1), v);
                    }
                }
                Value::Object(map)
            }
            SchemaKind::AllOf(parts) => {
                let mark = self.wanted.len();
                for part in parts {
                    if let SchemaKind::Object(o) = &self.contract.resolve(part).kind {
                        self.wanted
                            .extend(o.required_elsewhere.iter().map(String::as_str));
                    }
                }
                let values: Vec<Value> = parts
                    .iter()
                    .map(|p| self.value(p, depth + 1, rng))
                    .collect();
                self.wanted.truncate(mark);
                super::example::merge_all_of(self.contract, parts, values)
            }
            SchemaKind::OneOf {
                variants,
                discriminator,
            }
            | SchemaKind::AnyOf {
                variants,
                discriminator,
            } => {
                if variants.is_empty() {
                    return Value::Null;
                }
                let chosen = &variants[rng.random_range(0..variants.len())];
                let mut v = self.value(chosen, depth + 1, rng);
                super::example::tag_variant(&mut v, discriminator.as_ref(), chosen);
                v
            }
        }
    }

    fn string<R: Rng + ?Sized>(&self, s: &StringSchema, rng: &mut R) -> String {
        if !s.enumeration.is_empty() {
            return s.enumeration[rng.random_range(0..s.enumeration.len())].clone();
        }
        let min = s.min_length.unwrap_or(0);
        if let Some(p) = &s.pattern
            && let Some(v) = pattern_string(p, min, s.max_length, rng)
        {
            return v;
        }
        let formatted = match s.format.as_deref() {
            Some("date-time") => Some(format!(
                "{}T{:02}:{:02}:{:02}.{:03}Z",
                date(rng),
                rng.random_range(0..24),
                rng.random_range(0..60),
                rng.random_range(0..60),
                rng.random_range(0..1000)
            )),
            Some("date") => Some(date(rng)),
            Some("uuid") => {
                let b: u128 = rng.random();
                // Version 4, RFC 4122 variant.
                let b = (b & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
                let h = format!("{b:032x}");
                Some(format!(
                    "{}-{}-{}-{}-{}",
                    &h[..8],
                    &h[8..12],
                    &h[12..16],
                    &h[16..20],
                    &h[20..]
                ))
            }
            Some("email") => Some(format!("{}@example.com", alnum(rng, 3, 10).to_lowercase())),
            Some("uri") | Some("url") => Some(format!(
                "https://example.com/{}",
                alnum(rng, 1, 10).to_lowercase()
            )),
            Some("hostname") => Some(format!("{}.example.com", alnum(rng, 1, 8).to_lowercase())),
            Some("ipv4") => Some(format!("192.0.2.{}", rng.random_range(1..255))),
            Some("ipv6") => Some(format!("2001:db8::{:x}", rng.random_range(1..0xffff))),
            _ => None,
        };
        if let Some(v) = formatted {
            let n = v.chars().count();
            if n >= min && s.max_length.is_none_or(|m| n <= m) {
                return v;
            }
        }
        let max = s.max_length.unwrap_or(min + 16).max(min).min(min + 16);
        alnum(rng, min.max(usize::from(max > 0)), max)
    }
}

fn date<R: Rng + ?Sized>(rng: &mut R) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.random_range(2020..2031),
        rng.random_range(1..13),
        rng.random_range(1..29)
    )
}

fn alnum<R: Rng + ?Sized>(rng: &mut R, min: usize, max: usize) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let n = rng.random_range(min..=max.max(min));
    (0..n)
        .map(|_| char::from(CHARS[rng.random_range(0..CHARS.len())]))
        .collect()
}

#[cfg(test)]
mod tests {
    use rand::{SeedableRng, rngs::ChaCha8Rng};

    use super::*;

    #[test]
    fn patterns_are_honoured() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..20 {
            let s = pattern_string("^[A-Z]{3}-[0-9]{2,4}$", 0, None, &mut rng).unwrap();
            let (head, tail) = s.split_once('-').unwrap();
            assert!(
                head.len() == 3 && head.chars().all(|c| c.is_ascii_uppercase()),
                "{s}"
            );
            assert!((2..=4).contains(&tail.len()) && tail.chars().all(|c| c.is_ascii_digit()));
        }
        assert_eq!(pattern_string("(unclosed", 0, None, &mut rng), None);
    }

    #[test]
    fn same_seed_same_value() {
        let c = crate::load_contract_str(
            "t.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    P:\n      type: object\n      required: [id, tags]\n      properties:\n        id: {type: string, format: uuid}\n        tags: {type: array, items: {type: integer, minimum: 3, maximum: 9}}\n",
        )
        .unwrap()
        .0;
        let s = Schema::new(SchemaKind::Ref("P".into()), "");
        let draw = |seed| {
            sample(
                &c,
                &s,
                Direction::Response,
                &mut ChaCha8Rng::seed_from_u64(seed),
            )
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
        for tag in draw(3)["tags"].as_array().unwrap() {
            assert!((3..=9).contains(&tag.as_i64().unwrap()));
        }
    }
}
