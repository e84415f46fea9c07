//! The resolved contract model: what a spec promises, independent of any target language.
//!
//! [`build`] turns a loaded [`Spec`](crate::spec::Spec) into a [`Contract`]. Every `$ref`
//! that is not a named component schema is resolved in place, so consumers (the Rust
//! back-end, the mock server, the verifier, the linter) never look at the raw document
//! again. Named component schemas stay references ([`SchemaKind::Ref`]) because they are
//! the units code generators name and recursive schemas need a place to stop.
//!
//! Nothing here knows about Rust: names are wire names, types are JSON Schema types.
//! Ordering is deterministic by construction: operations keep document order, everything
//! keyed by name is a `BTreeMap`.

mod build;
mod envelope;
pub mod example;
pub mod json_schema;
pub mod sample;
mod schema;
pub mod served;

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

pub use build::build;
pub use envelope::{Envelope, EnvelopeRoles};
pub use schema::{
    AdditionalProperties, ArraySchema, Discriminator, IntegerSchema, NumberSchema, ObjectSchema,
    Property, Schema, SchemaKind, StringSchema,
};

/// A whole API contract.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Servers in document order; `name` comes from the server's description.
    pub servers: Vec<Server>,
    /// Security schemes by name.
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    /// Named schemas by wire name: the component schemas, plus every schema reached by a
    /// `$ref` into the middle of another one or into `#/paths` (named after its pointer's
    /// meaningful segments, e.g. `Pet.owner`), so nothing is ever expanded twice.
    pub schemas: BTreeMap<String, Schema>,
    /// Operations in document order (paths in order, then get, put, post, delete, options,
    /// head, patch, trace).
    pub operations: Vec<Operation>,
    /// The shared response envelope, when the spec wraps its responses in one.
    pub envelope: Option<Envelope>,
}

/// One entry of `servers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The URL, with variables replaced by their defaults.
    pub url: String,
    /// The server's description (`Production`, `Development`, …), if any.
    pub description: Option<String>,
}

impl Server {
    /// True when the description names a production environment.
    pub fn is_production(&self) -> bool {
        self.description
            .as_deref()
            .is_some_and(|d| d.to_ascii_lowercase().contains("production"))
    }
}

/// A security scheme from `components.securitySchemes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's key in `components.securitySchemes`.
    pub name: String,
    /// What kind of credential it takes.
    pub kind: SecuritySchemeKind,
    /// The scheme's description.
    pub description: Option<String>,
}

/// The kinds of credentials a [`SecurityScheme`] takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecuritySchemeKind {
    /// `type: http, scheme: bearer`.
    Bearer {
        /// `bearerFormat`, e.g. `JWT`.
        format: Option<String>,
    },
    /// `type: http, scheme: basic`.
    Basic,
    /// `type: apiKey`.
    ApiKey {
        /// Where the key goes.
        location: ParameterLocation,
        /// The header, query or cookie name.
        name: String,
    },
    /// `oauth2` or `openIdConnect`: an `Authorization: Bearer` token obtained elsewhere.
    OAuth2,
    /// Any other `http` scheme.
    OtherHttp {
        /// The scheme name.
        scheme: String,
    },
}

/// One security requirement alternative: all of its schemes must be satisfied together.
pub type SecurityRequirement = BTreeMap<String, Vec<String>>;

/// An HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// The method in upper case, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// True for methods that change state (everything but GET, HEAD, OPTIONS, TRACE).
    pub fn is_mutating(self) -> bool {
        !matches!(
            self,
            Method::Get | Method::Head | Method::Options | Method::Trace
        )
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One operation: a method on a path template.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or one derived from method and path when the spec has none.
    pub id: String,
    /// True when `id` was derived rather than written in the spec.
    pub id_derived: bool,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/pets/{petId}`.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Path-level and operation-level parameters merged (operation wins), in order.
    pub parameters: Vec<Parameter>,
    /// The request body.
    pub request_body: Option<RequestBody>,
    /// Documented responses: codes ascending, then ranges, then `default`.
    pub responses: Vec<Response>,
    /// Security alternatives (any one suffices). Empty: no credentials needed. An empty
    /// requirement among them makes credentials optional.
    pub security: Vec<SecurityRequirement>,
    /// JSON pointer of the operation in the spec.
    pub pointer: String,
}

impl Operation {
    /// The documented response for an exact status, falling back to its range, then `default`.
    pub fn response_for(&self, status: u16) -> Option<&Response> {
        self.responses
            .iter()
            .find(|r| r.status == ResponseStatus::Code(status))
            .or_else(|| {
                self.responses
                    .iter()
                    .find(|r| r.status == ResponseStatus::Range(status / 100))
            })
            .or_else(|| {
                self.responses
                    .iter()
                    .find(|r| r.status == ResponseStatus::Default)
            })
    }

    /// True when at least one security alternative needs credentials and none is empty.
    pub fn requires_credentials(&self) -> bool {
        !self.security.is_empty() && self.security.iter().all(|alt| !alt.is_empty())
    }

    /// Parameters of one location, in order.
    pub fn parameters_in(&self, location: ParameterLocation) -> impl Iterator<Item = &Parameter> {
        self.parameters
            .iter()
            .filter(move |p| p.location == location)
    }

    /// All parameters grouped by location (path, query, header, cookie), each group in
    /// document order: the order generated signatures and names are decided in.
    pub fn parameters_by_location(&self) -> impl Iterator<Item = &Parameter> {
        ParameterLocation::ALL
            .into_iter()
            .flat_map(move |location| self.parameters_in(location))
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParameterLocation {
    /// A path template segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

impl ParameterLocation {
    /// Every location, in the order generated code lists them.
    pub const ALL: [ParameterLocation; 4] = [Self::Path, Self::Query, Self::Header, Self::Cookie];

    /// `path`, `query`, `header` or `cookie`, as in the spec.
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
        }
    }
}

/// How a parameter value is serialised (`style`), OpenAPI's defaults applied: `form` for
/// query and cookie, `simple` for path and header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParameterStyle {
    /// `form`: `name=a,b` (or `name=a&name=b` exploded; object properties as own keys).
    Form,
    /// `simple`: `a,b`.
    Simple,
    /// `label`: `.a.b` (path).
    Label,
    /// `matrix`: `;name=a,b` (path).
    Matrix,
    /// `spaceDelimited`: `name=a%20b` (query arrays).
    SpaceDelimited,
    /// `pipeDelimited`: `name=a|b` (query arrays).
    PipeDelimited,
    /// `deepObject`: `name[prop]=a` (query objects).
    DeepObject,
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The wire name.
    pub name: String,
    /// Where it travels.
    pub location: ParameterLocation,
    /// Whether it must be present (always true for path parameters).
    pub required: bool,
    /// Its schema (`Any` when the spec gives `content` we cannot type).
    pub schema: Schema,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// `explode` as declared, or its default for the location.
    pub explode: bool,
    /// `style` as declared, or its default for the location.
    pub style: ParameterStyle,
    /// `allowEmptyValue` as written (query parameters only; `None` when absent).
    pub allow_empty_value: Option<bool>,
    /// The media type when the spec gives `content` instead of `schema`: the value is
    /// that media type's text (JSON for `application/json`), not a styled serialisation.
    pub media_type: Option<String>,
    /// An example value, if the spec gives one.
    pub example: Option<Value>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// `required`.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// Content by media type.
    pub content: BTreeMap<String, MediaType>,
}

/// A documented status, range or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResponseStatus {
    /// An exact status such as `409`.
    Code(u16),
    /// A range such as `4XX` (holds the first digit).
    Range(u16),
    /// `default`: any status not documented otherwise.
    Default,
}

impl ResponseStatus {
    /// True for 2xx codes and the `2XX` range.
    pub fn is_success(self) -> bool {
        match self {
            ResponseStatus::Code(c) => (200..300).contains(&c),
            ResponseStatus::Range(r) => r == 2,
            ResponseStatus::Default => false,
        }
    }

    /// True when `status` falls under this entry.
    pub fn matches(self, status: u16) -> bool {
        match self {
            ResponseStatus::Code(c) => c == status,
            ResponseStatus::Range(r) => status / 100 == r,
            ResponseStatus::Default => true,
        }
    }
}

impl fmt::Display for ResponseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseStatus::Code(c) => write!(f, "{c}"),
            ResponseStatus::Range(r) => write!(f, "{r}XX"),
            ResponseStatus::Default => f.write_str("default"),
        }
    }
}

/// One documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status it documents.
    pub status: ResponseStatus,
    /// `description`.
    pub description: String,
    /// Response headers by name.
    pub headers: BTreeMap<String, Header>,
    /// Content by media type; empty for bodiless responses.
    pub content: BTreeMap<String, MediaType>,
}

impl Response {
    /// The JSON media type of this response (`application/json` first, then any `+json`).
    pub fn json(&self) -> Option<(&str, &MediaType)> {
        json_media(&self.content)
    }
}

impl RequestBody {
    /// The JSON media type of this body (`application/json` first, then any `+json`).
    pub fn json(&self) -> Option<(&str, &MediaType)> {
        json_media(&self.content)
    }
}

fn json_media(content: &BTreeMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .get_key_value("application/json")
        .or_else(|| content.iter().find(|(k, _)| is_json_media_type(k)))
        .map(|(k, v)| (k.as_str(), v))
}

/// A media type without its parameters, case as written: `application/json; charset=utf-8`
/// → `application/json`. Compare it with `eq_ignore_ascii_case`.
#[inline]
pub fn media_type_essence(media_type: &str) -> &str {
    // A byte loop, no allocation: the mock asks this on every request, and media types
    // are too short for `str::find`'s general searcher to pay off.
    let end = media_type
        .bytes()
        .position(|b| b == b';')
        .unwrap_or(media_type.len());
    media_type[..end].trim_ascii()
}

/// True for `application/json`, `*/*+json` and `application/json; charset=…`.
pub fn is_json_media_type(media_type: &str) -> bool {
    let essence = media_type_essence(media_type);
    let ends_with = |suffix: &str| {
        essence.len() >= suffix.len()
            && essence.as_bytes()[essence.len() - suffix.len()..]
                .eq_ignore_ascii_case(suffix.as_bytes())
    };
    essence.eq_ignore_ascii_case("application/json")
        // `text/json`: ASP.NET and others still document it beside application/json.
        || essence.eq_ignore_ascii_case("text/json")
        || (ends_with("+json") && essence.bytes().any(|b| b == b'/'))
}

/// A documented response header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// `required`.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// Its schema.
    pub schema: Schema,
}

/// The content of one media type.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaType {
    /// The body's schema, if documented.
    pub schema: Option<Schema>,
    /// Examples: the single `example` under the name `""`, then named `examples`.
    pub examples: BTreeMap<String, Example>,
}

impl MediaType {
    /// The example to use by default: the single `example`, else the first named one.
    pub fn default_example(&self) -> Option<&Example> {
        self.examples
            .get("")
            .or_else(|| self.examples.values().next())
    }
}

/// A named example value.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// `summary`.
    pub summary: Option<String>,
    /// The value.
    pub value: Value,
    /// JSON pointer of the example in the spec.
    pub pointer: String,
}

impl Contract {
    /// Names of the query parameters that carry API keys (security schemes `in: query`):
    /// secrets to mask in logs, and keys no other parameter may claim.
    pub fn query_api_keys(&self) -> impl Iterator<Item = &str> {
        self.security_schemes
            .values()
            .filter_map(|s| match &s.kind {
                SecuritySchemeKind::ApiKey {
                    location: ParameterLocation::Query,
                    name,
                } => Some(name.as_str()),
                _ => None,
            })
    }

    /// The operation with this id.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }

    /// Follows `Ref`s until a non-reference schema (or a dangling/cyclic name).
    pub fn resolve<'a>(&'a self, mut schema: &'a Schema) -> &'a Schema {
        for _ in 0..64 {
            match &schema.kind {
                SchemaKind::Ref(name) => match self.schemas.get(name) {
                    Some(next) => schema = next,
                    None => return schema,
                },
                _ => return schema,
            }
        }
        schema
    }

    /// The properties of an `allOf` whose parts are all objects (through references and
    /// nested `allOf`s; a part that is `{}` adds nothing), merged in order: a later
    /// declaration of a property replaces the schema of an earlier one, and `required`
    /// anywhere makes it required. `None` when a part is not an object.
    pub fn all_of_properties(&self, parts: &[Schema]) -> Option<Vec<Property>> {
        let mut out = Vec::new();
        self.merge_all_of(parts, &mut out, 0).then_some(out)
    }

    fn merge_all_of(&self, parts: &[Schema], out: &mut Vec<Property>, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        for part in parts {
            match &self.resolve(part).kind {
                SchemaKind::Object(o) => {
                    for p in &o.properties {
                        match out.iter_mut().find(|q| q.name == p.name) {
                            Some(existing) => {
                                existing.required |= p.required;
                                existing.schema = p.schema.clone();
                            }
                            None => out.push(p.clone()),
                        }
                    }
                }
                SchemaKind::AllOf(inner) => {
                    if !self.merge_all_of(inner, out, depth + 1) {
                        return false;
                    }
                }
                SchemaKind::Any => {}
                _ => return false,
            }
        }
        true
    }

    /// True for an object schema whose properties are all scalars (booleans, numbers,
    /// strings other than binary, enums): what `application/x-www-form-urlencoded` carries.
    pub fn is_flat_object(&self, schema: &Schema) -> bool {
        match &self.resolve(schema).kind {
            SchemaKind::Object(o) => {
                !o.properties.is_empty()
                    && !matches!(o.additional, AdditionalProperties::Schema(_))
                    && o.properties
                        .iter()
                        .all(|p| is_scalar(&self.resolve(&p.schema).kind))
            }
            _ => false,
        }
    }

    /// Names of the component schemas an operation reaches (parameters, bodies, responses,
    /// response headers), following references transitively.
    pub fn reachable_schemas(&self) -> std::collections::BTreeSet<String> {
        let mut pending: Vec<String> = Vec::new();
        for op in &self.operations {
            for p in &op.parameters {
                pending.extend(json_schema::refs_of(&p.schema));
            }
            let bodies = op.request_body.iter().flat_map(|b| b.content.values());
            let responses = op.responses.iter().flat_map(|r| r.content.values());
            for media in bodies.chain(responses) {
                if let Some(s) = &media.schema {
                    pending.extend(json_schema::refs_of(s));
                }
            }
            for h in op.responses.iter().flat_map(|r| r.headers.values()) {
                pending.extend(json_schema::refs_of(&h.schema));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        while let Some(name) = pending.pop() {
            if let (true, Some(s)) = (seen.insert(name.clone()), self.schemas.get(&name)) {
                pending.extend(json_schema::refs_of(s));
            }
        }
        seen
    }

    /// A self-contained JSON Schema (2020-12) of the response body of `operation_id` for
    /// `status` and `media_type`: what a conforming server may send.
    pub fn response_schema(
        &self,
        operation_id: &str,
        status: u16,
        media_type: &str,
    ) -> Option<Value> {
        let op = self.operation(operation_id)?;
        let schema = op
            .response_for(status)?
            .content
            .get(media_type)?
            .schema
            .as_ref()?;
        Some(json_schema::document(
            self,
            schema,
            json_schema::Direction::Response,
        ))
    }

    /// A self-contained JSON Schema (2020-12) of the request body of `operation_id` for
    /// `media_type`: what a conforming client may send.
    pub fn request_schema(&self, operation_id: &str, media_type: &str) -> Option<Value> {
        let op = self.operation(operation_id)?;
        let schema = op
            .request_body
            .as_ref()?
            .content
            .get(media_type)?
            .schema
            .as_ref()?;
        Some(json_schema::document(
            self,
            schema,
            json_schema::Direction::Request,
        ))
    }
}

/// Booleans, numbers, non-binary strings (enums included): one text value on the wire.
pub fn is_scalar(kind: &SchemaKind) -> bool {
    match kind {
        SchemaKind::Boolean | SchemaKind::Integer(_) | SchemaKind::Number(_) => true,
        SchemaKind::String(s) => s.format.as_deref() != Some("binary"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{is_json_media_type, media_type_essence};

    #[test]
    fn the_essence_of_a_media_type_drops_parameters_and_keeps_case() {
        assert_eq!(media_type_essence("application/json"), "application/json");
        assert_eq!(
            media_type_essence(" Text/Plain ; charset=utf-8"),
            "Text/Plain"
        );
        assert_eq!(media_type_essence(";x=1"), "");
    }

    #[test]
    fn json_media_types_are_recognised_without_regard_to_case_or_parameters() {
        for yes in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            " application/json ;charset=utf-8",
            "application/problem+json",
            "application/vnd.api+JSON",
        ] {
            assert!(is_json_media_type(yes), "{yes:?}");
        }
        for no in [
            "",
            "json",
            "+json",
            "text/plain",
            "application/jsonx",
            "application/json-seq",
            "application/xml; profile=+json",
            "application/x-www-form-urlencoded",
        ] {
            assert!(!is_json_media_type(no), "{no:?}");
        }
    }
}
