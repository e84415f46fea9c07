//! What `verify` sends: per operation, the documented examples, seeded valid requests
//! drawn from the schemas, and negative probes with the status the contract promises.

use kontrat_generator::model::json_schema::Direction;
use kontrat_generator::model::{
    Contract, Operation, ParameterLocation, ResponseStatus, SchemaKind, SecuritySchemeKind,
    example, is_json_media_type, sample::sample,
};
use kontrat_mock::Compiled;
use rand::SeedableRng;
use serde_json::{Map, Value, json};

/// One request of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// Index of the operation in the contract.
    pub operation: usize,
    /// Its `operationId`.
    pub operation_id: String,
    /// Why this request is sent.
    pub kind: ProbeKind,
    /// `GET`, `POST`, …
    pub method: String,
    /// Path and query, ready to append to the target URL.
    pub path: String,
    /// Headers other than credentials.
    pub headers: Vec<(String, String)>,
    /// Whether the credentials (`--token`) go with it.
    pub with_credentials: bool,
    /// `Content-Type` and bytes of the body, if any.
    pub body: Option<(String, Vec<u8>)>,
    /// What the contract promises for it.
    pub expect: Expect,
}

/// Why a probe is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeKind {
    /// A documented request example (its name; `""` for the single `example`), or a
    /// synthesised request when the operation documents none.
    Example(String),
    /// A valid request drawn from the schemas with this seed.
    Generated(u64),
    /// A secured operation called without credentials.
    NoCredentials,
    /// A JSON body that does not parse.
    MalformedJson,
    /// A valid body without this required field.
    MissingField(String),
    /// A valid body with this field of the wrong JSON type.
    WrongType(String),
    /// A valid body sent as `text/plain`.
    WrongContentType,
}

impl std::fmt::Display for ProbeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProbeKind::Example(name) if name.is_empty() => f.write_str("documented example"),
            ProbeKind::Example(name) => write!(f, "example `{name}`"),
            ProbeKind::Generated(seed) => write!(f, "generated request (seed {seed})"),
            ProbeKind::NoCredentials => f.write_str("no credentials"),
            ProbeKind::MalformedJson => f.write_str("malformed JSON"),
            ProbeKind::MissingField(name) => write!(f, "missing required field `{name}`"),
            ProbeKind::WrongType(name) => write!(f, "wrong type for `{name}`"),
            ProbeKind::WrongContentType => f.write_str("wrong content type"),
        }
    }
}

/// What the contract promises for a probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Any documented response.
    Documented,
    /// This documented status.
    Status(u16),
    /// A documented 4xx (the operation documents no specific status for the failure).
    ClientError,
}

/// How many requests and from which seed.
#[derive(Debug, Clone, Copy)]
pub struct PlanOptions {
    /// Seed of generated requests: the same seed plans the same requests.
    pub seed: u64,
    /// Generated valid requests per operation.
    pub generated: usize,
}

/// The probes for every operation (or only `only`), negative ones first: they are refused
/// before anything changes, so the state-changing valid requests cannot spoil them. Among
/// the valid requests, those of sign-out operations go last: they end the session the
/// credentials belong to, and every later secured request would only see a 401.
pub fn plan(compiled: &Compiled, options: PlanOptions, only: Option<&str>) -> Vec<Probe> {
    let contract = &compiled.contract;
    let mut negative = Vec::new();
    let mut positive = Vec::new();
    let mut order: Vec<usize> = (0..contract.operations.len()).collect();
    order.sort_by_key(|&i| ends_session(&contract.operations[i]));
    for i in order {
        let op = &contract.operations[i];
        if only.is_some_and(|id| id != op.id) {
            continue;
        }
        let planner = Planner {
            compiled,
            contract,
            op,
            index: i,
        };
        planner.negative(&mut negative);
        planner.positive(options, &mut positive);
    }
    negative.extend(positive);
    negative
}

/// Log out, sign out, sign off: by id, path or summary.
fn ends_session(op: &Operation) -> bool {
    let text = format!(
        "{} {} {}",
        op.id,
        op.path,
        op.summary.as_deref().unwrap_or_default()
    )
    .to_ascii_lowercase();
    let squashed: String = text.chars().filter(char::is_ascii_alphanumeric).collect();
    ["logout", "logoff", "signout", "signoff"]
        .iter()
        .any(|w| squashed.contains(w))
}

struct Planner<'a> {
    compiled: &'a Compiled,
    contract: &'a Contract,
    op: &'a Operation,
    index: usize,
}

impl Planner<'_> {
    fn probe(&self, kind: ProbeKind, body: Option<(String, Vec<u8>)>, expect: Expect) -> Probe {
        let (path, headers) = self.location(None);
        Probe {
            operation: self.index,
            operation_id: self.op.id.clone(),
            kind,
            method: self.op.method.as_str().to_owned(),
            path,
            headers,
            with_credentials: self.op.requires_credentials() || !self.op.security.is_empty(),
            body,
            expect,
        }
    }

    /// The path (template filled, required query parameters added) and required headers,
    /// from examples or synthesised values; `rng` draws them instead.
    fn location(
        &self,
        mut rng: Option<&mut rand::rngs::ChaCha8Rng>,
    ) -> (String, Vec<(String, String)>) {
        let mut path = self.op.path.clone();
        let mut query = Vec::new();
        let mut headers = Vec::new();
        for p in &self.op.parameters {
            if !p.required && p.location != ParameterLocation::Path {
                continue;
            }
            let value = match (&mut rng, &p.example) {
                (Some(rng), _) => sample(self.contract, &p.schema, Direction::Request, *rng),
                (None, Some(v)) => v.clone(),
                (None, None) => example::synthesize(self.contract, &p.schema, Direction::Request),
            };
            let items: Vec<String> = match value {
                Value::Array(a) => a.iter().map(text).collect(),
                other => vec![text(&other)],
            };
            let encode = |s: &str| {
                percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            };
            match p.location {
                ParameterLocation::Path => {
                    path = path.replace(&format!("{{{}}}", p.name), &encode(&items.join(",")));
                }
                ParameterLocation::Query => {
                    if p.explode {
                        query.extend(
                            items
                                .iter()
                                .map(|i| format!("{}={}", encode(&p.name), encode(i))),
                        );
                    } else {
                        query.push(format!("{}={}", encode(&p.name), encode(&items.join(","))));
                    }
                }
                ParameterLocation::Header => headers.push((p.name.clone(), items.join(","))),
                ParameterLocation::Cookie => {
                    headers.push(("cookie".into(), format!("{}={}", p.name, items.join(","))))
                }
            }
        }
        if !query.is_empty() {
            path = format!("{path}?{}", query.join("&"));
        }
        (path, headers)
    }

    /// The JSON media type of the request body and a valid value for it.
    fn valid_body(&self) -> Option<(String, Value)> {
        let body = self.op.request_body.as_ref()?;
        let (media_type, media) = body.json()?;
        let candidates = media.examples.values().map(|e| e.value.clone()).chain(
            media
                .schema
                .iter()
                .map(|s| example::synthesize(self.contract, s, Direction::Request)),
        );
        for v in candidates {
            if self
                .compiled
                .request_body_is_valid(self.index, media_type, &v)
            {
                return Some((media_type.to_owned(), v));
            }
        }
        let schema = media.schema.as_ref()?;
        (0..64).find_map(|seed| {
            let rng = &mut rand::rngs::ChaCha8Rng::seed_from_u64(seed);
            let v = sample(self.contract, schema, Direction::Request, rng);
            self.compiled
                .request_body_is_valid(self.index, media_type, &v)
                .then(|| (media_type.to_owned(), v))
        })
    }

    fn expect_for(&self, status: u16) -> Option<Expect> {
        let documented = self.op.responses.iter().any(|r| {
            r.status == ResponseStatus::Code(status)
                || r.status == ResponseStatus::Range(status / 100)
        });
        if documented {
            Some(Expect::Status(status))
        } else if self.op.responses.iter().any(|r| {
            matches!(r.status, ResponseStatus::Range(4) | ResponseStatus::Default)
                || matches!(r.status, ResponseStatus::Code(c) if (400..500).contains(&c))
        }) {
            Some(Expect::ClientError)
        } else {
            None
        }
    }

    fn negative(&self, out: &mut Vec<Probe>) {
        if self.op.requires_credentials()
            && let Some(expect) = self.expect_for(401)
        {
            let mut p = self.probe(
                ProbeKind::NoCredentials,
                self.valid_body().map(json_bytes),
                expect,
            );
            p.with_credentials = false;
            out.push(p);
        }
        let Some(expect) = self.expect_for(400) else {
            return;
        };
        let Some((media_type, valid)) = self.valid_body() else {
            return;
        };
        out.push(self.probe(
            ProbeKind::MalformedJson,
            Some((media_type.clone(), b"{\"".to_vec())),
            expect,
        ));
        if let Some(schema) = self
            .op
            .request_body
            .as_ref()
            .and_then(|b| b.json())
            .and_then(|(_, m)| m.schema.as_ref())
            && let SchemaKind::Object(object) = &self.contract.resolve(schema).kind
            && let Value::Object(map) = &valid
        {
            if let Some(p) = object
                .properties
                .iter()
                .find(|p| p.required && !p.schema.read_only)
            {
                let mut without = map.clone();
                without.remove(&p.name);
                out.push(self.probe(
                    ProbeKind::MissingField(p.name.clone()),
                    Some(json_bytes((media_type.clone(), Value::Object(without)))),
                    expect,
                ));
            }
            if let Some((p, wrong)) = object
                .properties
                .iter()
                .find_map(|p| wrong_type(self.contract, &p.schema).map(|w| (p, w)))
            {
                let mut changed: Map<String, Value> = map.clone();
                changed.insert(p.name.clone(), wrong);
                out.push(self.probe(
                    ProbeKind::WrongType(p.name.clone()),
                    Some(json_bytes((media_type.clone(), Value::Object(changed)))),
                    expect,
                ));
            }
        }
        let only_json = self
            .op
            .request_body
            .as_ref()
            .is_some_and(|b| b.content.keys().all(|k| is_json_media_type(k)));
        if only_json {
            let bytes = serde_json::to_vec(&valid).unwrap_or_default();
            out.push(self.probe(
                ProbeKind::WrongContentType,
                Some(("text/plain".into(), bytes)),
                expect,
            ));
        }
    }

    fn positive(&self, options: PlanOptions, out: &mut Vec<Probe>) {
        let body = self.op.request_body.as_ref();
        let json = body.and_then(|b| b.json());
        match json {
            Some((media_type, media)) if !media.examples.is_empty() => {
                for (name, e) in &media.examples {
                    out.push(self.probe(
                        ProbeKind::Example(name.clone()),
                        Some(json_bytes((media_type.to_owned(), e.value.clone()))),
                        Expect::Documented,
                    ));
                }
            }
            Some(_) => {
                if let Some(valid) = self.valid_body() {
                    out.push(self.probe(
                        ProbeKind::Example("synthesised".into()),
                        Some(json_bytes(valid)),
                        Expect::Documented,
                    ));
                }
            }
            None if body.is_some_and(|b| b.required) => {
                // A non-JSON body the verifier cannot build: say so by sending none and
                // expecting the documented refusal.
            }
            None => {
                out.push(self.probe(ProbeKind::Example(String::new()), None, Expect::Documented))
            }
        }
        let mut made = 0;
        for attempt in 0..options.generated * 8 {
            if made == options.generated {
                break;
            }
            let seed = options
                .seed
                .wrapping_mul(1_000_003)
                .wrapping_add((self.index as u64) << 20)
                .wrapping_add(attempt as u64);
            let rng = &mut rand::rngs::ChaCha8Rng::seed_from_u64(seed);
            let (path, headers) = self.location(Some(rng));
            let body = match json {
                Some((media_type, media)) => {
                    let Some(schema) = &media.schema else {
                        continue;
                    };
                    let v = sample(self.contract, schema, Direction::Request, rng);
                    if !self
                        .compiled
                        .request_body_is_valid(self.index, media_type, &v)
                    {
                        continue;
                    }
                    Some(json_bytes((media_type.to_owned(), v)))
                }
                None if body.is_some() => continue,
                None => None,
            };
            let mut p = self.probe(ProbeKind::Generated(seed), body, Expect::Documented);
            p.path = path;
            p.headers = headers;
            out.push(p);
            made += 1;
        }
    }
}

/// A value of the wrong JSON type for `schema`, if there is an obviously wrong one.
fn wrong_type(contract: &Contract, schema: &kontrat_generator::model::Schema) -> Option<Value> {
    match &contract.resolve(schema).kind {
        SchemaKind::String(_) => Some(json!(12345)),
        SchemaKind::Integer(_) | SchemaKind::Number(_) => Some(json!("not a number")),
        SchemaKind::Boolean => Some(json!("yes")),
        SchemaKind::Array(_) => Some(json!({"not": "an array"})),
        SchemaKind::Object(_) => Some(json!(["not an object"])),
        _ => None,
    }
}

fn json_bytes((media_type, value): (String, Value)) -> (String, Vec<u8>) {
    (media_type, serde_json::to_vec(&value).unwrap_or_default())
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Which credentials a probe carries, as headers or query pairs, for `token`.
pub(crate) fn credentials(
    contract: &Contract,
    op: &Operation,
    token: &str,
) -> Vec<(Place, String, String)> {
    let Some(alternative) = op.security.iter().find(|a| !a.is_empty()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for name in alternative.keys() {
        match contract.security_schemes.get(name).map(|s| &s.kind) {
            Some(SecuritySchemeKind::ApiKey { location, name }) => {
                let place = match location {
                    ParameterLocation::Query => Place::Query,
                    ParameterLocation::Cookie => Place::Cookie,
                    _ => Place::Header,
                };
                out.push((place, name.clone(), token.to_owned()));
            }
            Some(SecuritySchemeKind::Basic) => out.push((
                Place::Header,
                "authorization".into(),
                format!("Basic {token}"),
            )),
            Some(SecuritySchemeKind::OtherHttp { scheme }) => out.push((
                Place::Header,
                "authorization".into(),
                format!("{scheme} {token}"),
            )),
            Some(_) => out.push((
                Place::Header,
                "authorization".into(),
                format!("Bearer {token}"),
            )),
            None => {}
        }
    }
    out
}

/// Where a credential goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Header,
    Query,
    Cookie,
}
