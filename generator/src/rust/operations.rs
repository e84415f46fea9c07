//! Operations → what the client, server stubs and mock helpers need to say about them.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Contract, Operation, ResponseStatus, SecuritySchemeKind, example};

pub use crate::naming::status_variant;

use super::doc::{doc_lines, push_paragraph};
use super::names::{Namespace, pascal, snake};
use super::types::{Ty, TypeSpace};

/// One operation, planned for rendering.
#[derive(Debug, Clone)]
pub struct OpPlan {
    /// `operationId` as in the spec.
    pub id: String,
    /// Method name in the client and the server trait.
    pub fn_name: String,
    /// The operation's `UpperCamelCase` name, prefix of its types.
    pub type_name: String,
    /// `GET`, `POST`, …
    pub method: &'static str,
    /// Lower-case method, as in `axum::routing::post`.
    pub method_lower: String,
    /// The path template as in the spec.
    pub path: String,
    /// The path in axum's syntax (`/pets/{id}` is the same in axum 0.8).
    pub route: String,
    /// Doc comment lines.
    pub doc: Vec<String>,
    /// Parameters (path, then query, then header).
    pub params: Vec<ParamPlan>,
    /// The request body, if any.
    pub body: Option<BodyPlan>,
    /// Credentials this operation takes.
    pub auth: AuthPlan,
    /// Every documented response.
    pub responses: Vec<ResponsePlan>,
    /// `{TypeName}Response`: every documented status.
    pub response_enum: String,
    /// `{TypeName}Error`: the non-success statuses.
    pub error_enum: String,
    /// `{TypeName}Success`, or the one success body type.
    pub success: SuccessPlan,
    /// `{TypeName}Mock`.
    pub mock_struct: String,
    /// `{TypeName}Builder`: the client's request builder.
    pub builder: String,
    /// `{TypeName}Params`: the parameters the server stubs pass to the implementation.
    pub params_struct: String,
    /// Regex matching the path for wiremock (anchored).
    pub path_regex: String,
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct ParamPlan {
    /// Wire name.
    pub wire: String,
    /// Rust name of the local holding it in generated function bodies.
    pub rust: String,
    /// Rust name of its field in the request builder and the server's parameters struct,
    /// of the builder's setter and of the mock's matcher (`with_…`).
    pub field: String,
    /// Type as the caller passes it (already `Option` when not required).
    pub ty: Ty,
    /// `path`, `query` or `header`.
    pub location: &'static str,
    /// Required.
    pub required: bool,
    /// Doc lines.
    pub doc: Vec<String>,
    /// The schema's `default`, as JSON text.
    pub default: Option<serde_json::Value>,
    /// An example value, from the parameter or its schema.
    pub example: Option<serde_json::Value>,
    /// `deprecated`.
    pub deprecated: bool,
}

/// The request body.
#[derive(Debug, Clone)]
pub struct BodyPlan {
    /// The Rust type.
    pub ty: Ty,
    /// The media type sent.
    pub media_type: String,
    /// `required`.
    pub required: bool,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The type the server stubs decode (`Bytes` for multipart bodies, else `ty`).
    pub server_ty: Ty,
}

/// How a request body is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded` from a struct of scalar fields.
    Form,
    /// `multipart/form-data` built by the client from a generated struct; the server stubs
    /// receive the raw bytes.
    Multipart,
    /// Raw bytes (`application/octet-stream`, text, anything else).
    Bytes,
}

/// Credentials of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthPlan {
    /// None.
    None,
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// False when an empty security alternative makes it optional.
        required: bool,
    },
}

/// One documented response.
#[derive(Debug, Clone)]
pub struct ResponsePlan {
    /// `Ok`, `Conflict`, `Status4xx`, `Default`, …
    pub variant: String,
    /// The exact status, if it is one.
    pub code: Option<u16>,
    /// For ranges: the first digit.
    pub range: Option<u16>,
    /// Body type; `None` when the response has no body.
    pub ty: Option<Ty>,
    /// The documented media type of the body.
    pub media_type: Option<String>,
    /// Whether the body is JSON (otherwise raw bytes).
    pub json: bool,
    /// 2xx.
    pub is_success: bool,
    /// Doc lines.
    pub doc: Vec<String>,
    /// The example body served by mock helpers (JSON text, or raw text).
    pub example: Option<String>,
    /// The first message of the documented example's error list, for rejections.
    pub example_message: Option<String>,
    /// Snake-case name of the mock constructor.
    pub mock_fn: String,
}

impl ResponsePlan {
    /// The status a mock or stub uses for this response.
    pub fn representative_status(&self) -> u16 {
        match (self.code, self.range) {
            (Some(c), _) => c,
            (None, Some(r)) => r * 100,
            _ => 500,
        }
    }
}

/// The success side of an operation in the client.
#[derive(Debug, Clone)]
pub enum SuccessPlan {
    /// One 2xx: its body type (`()` when bodiless).
    One(Ty),
    /// Several 2xx: an enum named here.
    Many(String),
}

/// The names of one operation: its method and the prefix of its types.
#[derive(Debug, Clone)]
pub struct OpNames {
    /// Method name in the client and the server trait.
    pub fn_name: String,
    /// The operation's `UpperCamelCase` name, prefix of its types.
    pub type_name: String,
}

/// Claims every operation's names, in order, before any inline type is named, so
/// operations keep theirs (`LogoutError`, not `Logout2Error`).
pub fn claim_names(contract: &Contract, types: &mut TypeSpace<'_>) -> Vec<OpNames> {
    let mut fns = Namespace::with_reserved(&[
        "new",
        "for_server",
        "with_http_client",
        "with_bearer_token",
        "base_url",
        "http_client",
    ]);
    contract
        .operations
        .iter()
        .map(|op| OpNames {
            type_name: claim_group(&mut types.names, &pascal(&op.id)),
            fn_name: fns.claim(&snake(&op.id)),
        })
        .collect()
}

/// Plans every operation of the contract under the names of [`claim_names`].
pub fn plan(
    contract: &Contract,
    names: Vec<OpNames>,
    types: &mut TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Vec<OpPlan> {
    contract
        .operations
        .iter()
        .zip(names)
        .map(|(op, n)| plan_one(contract, op, n.fn_name, n.type_name, types, diags))
        .collect()
}

/// The types every operation has: `{base}Response`, `{base}Error`, … .
const GROUP: [&str; 6] = ["Response", "Error", "Success", "Mock", "Builder", "Params"];

/// Claims the names of [`GROUP`] as a group: the first suffix-free base for which all are
/// free.
fn claim_group(names: &mut Namespace, base: &str) -> String {
    let mut n = 1;
    loop {
        let candidate = if n == 1 {
            base.to_owned()
        } else {
            format!("{base}{n}")
        };
        let all_free = GROUP
            .iter()
            .all(|s| !names.is_taken(&format!("{candidate}{s}")));
        if all_free {
            for s in GROUP {
                names.claim(&format!("{candidate}{s}"));
            }
            return candidate;
        }
        n += 1;
    }
}

fn plan_one(
    contract: &Contract,
    op: &Operation,
    fn_name: String,
    type_name: String,
    types: &mut TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> OpPlan {
    let mut doc = doc_lines(op.summary.as_deref(), op.description.as_deref());
    let warned = [op.summary.as_deref(), op.description.as_deref()]
        .iter()
        .flatten()
        .any(|t| t.to_ascii_lowercase().contains("production"));
    if op.method.is_mutating() && !warned && contract.servers.iter().any(|s| s.is_production()) {
        push_paragraph(
            &mut doc,
            "**Production warning:** this operation changes data. With the Production server selected, real production data is affected; use a development server for testing.",
        );
    }
    push_paragraph(&mut doc, &format!("`{} {}`", op.method, op.path));
    if op.deprecated {
        push_paragraph(&mut doc, "**Deprecated** in the contract.");
    }

    // Locals of the generated `send` methods and server handlers.
    let mut arg_names = Namespace::with_reserved(&[
        "self",
        "client",
        "params",
        "body",
        "auth",
        "path",
        "request",
        "raw",
        "api",
        "parts",
        "path_params",
        "value",
        "rejection",
        "status",
        "response",
    ]);
    // Fields of the request builder and the server's parameters struct, and so the names
    // of the builder's setters and the mock's matchers: the parameter's own name, unless
    // the builder has a method or field of that name.
    let mut field_names = Namespace::with_reserved(&[
        "client",
        "body",
        "send",
        "into_future",
        // A setter `fn add(mut self, add: T) -> Self` reads to clippy as `Add::add`.
        "add",
        "sub",
        "mul",
        "div",
        "rem",
        "shl",
        "shr",
        "bitand",
        "bitor",
        "bitxor",
    ]);
    let mut params = Vec::new();
    for p in op.parameters_by_location() {
        let location = p.location;
        let rust = arg_names.claim(&snake(&p.name));
        let field = field_names.claim(&snake(&p.name));
        let ty = types.ty(&p.schema, &format!("{type_name}{}", pascal(&p.name)));
        let ty = if p.required { ty } else { wrap_option(ty) };
        let resolved = contract.resolve(&p.schema);
        params.push(ParamPlan {
            wire: p.name.clone(),
            rust,
            field,
            ty,
            location: location.as_str(),
            required: p.required,
            doc: doc_lines(None, p.description.as_deref()),
            default: p
                .schema
                .default
                .clone()
                .or_else(|| resolved.default.clone()),
            example: p
                .example
                .clone()
                .or_else(|| p.schema.example.clone())
                .or_else(|| resolved.example.clone()),
            deprecated: p.deprecated,
        });
    }
    let body = op.request_body.as_ref().and_then(|rb| {
        let (media, m) = match rb.json() {
            Some((media, m)) => (media.to_owned(), m),
            None => {
                let (media, m) = rb.content.iter().next()?;
                (media.clone(), m)
            }
        };
        let essence = crate::model::media_type_essence(&media).to_ascii_lowercase();
        let hint = format!("{type_name}Body");
        let untyped = |why: &str| {
            Diagnostic::warning(
                "untyped-form-body",
                format!("{}/requestBody", op.pointer),
                format!(
                    "`{media}` body of `{}` is passed as raw bytes (bytes::Bytes), not as a typed struct: {why}",
                    op.id
                ),
            )
            .with_hint("encode the form in the caller, or offer an application/json body too")
        };
        let (ty, encoding, server_ty) = if rb.json().is_some() {
            let ty = match &m.schema {
                Some(s) => types.ty(s, &hint),
                None => Ty::Json,
            };
            (ty.clone(), BodyEncoding::Json, ty)
        } else if essence == "application/x-www-form-urlencoded" {
            match m.schema.as_ref().filter(|s| contract.is_flat_object(s)) {
                Some(s) => {
                    let ty = types.ty(s, &hint);
                    (ty.clone(), BodyEncoding::Form, ty)
                }
                None => {
                    diags.push(untyped(
                        "only an object schema whose properties are all scalars (strings, numbers, booleans, enums) is typed",
                    ));
                    (Ty::Bytes, BodyEncoding::Bytes, Ty::Bytes)
                }
            }
        } else if essence == "multipart/form-data" {
            match m.schema.as_ref().and_then(|s| types.multipart(s, &hint)) {
                Some(ty) => (ty.clone(), BodyEncoding::Multipart, ty),
                None => {
                    diags.push(untyped("only an object schema with properties is typed"));
                    (Ty::Bytes, BodyEncoding::Bytes, Ty::Bytes)
                }
            }
        } else {
            (Ty::Bytes, BodyEncoding::Bytes, Ty::Bytes)
        };
        Some(BodyPlan {
            ty,
            media_type: media,
            required: rb.required,
            encoding,
            server_ty,
        })
    });

    let auth = auth_plan(contract, op);

    let mut responses = Vec::new();
    let mut variant_names = Namespace::default();
    for r in &op.responses {
        let (variant, code, range) = match r.status {
            ResponseStatus::Code(c) => (status_variant(c), Some(c), None),
            ResponseStatus::Range(d) => (format!("Status{d}xx"), None, Some(d)),
            ResponseStatus::Default => ("Default".to_owned(), None, None),
        };
        let variant = variant_names.claim(&variant);
        let (ty, media_type, json, example, example_message) = match r.json() {
            Some((media, m)) => {
                let ty = match &m.schema {
                    Some(s) => types.ty(s, &format!("{type_name}{variant}Body")),
                    None => Ty::Json,
                };
                let status = code.unwrap_or(range.map_or(500, |d| d * 100));
                let value = m.default_example().map(|e| e.value.clone()).or_else(|| {
                    m.schema
                        .as_ref()
                        .map(|s| example::response_body(contract, s, status))
                });
                let message = value
                    .as_ref()
                    .and_then(|v| first_error_message(contract, v));
                let text = value.map(|v| serde_json::to_string(&v).unwrap_or_default());
                (Some(ty), Some(media.to_owned()), true, text, message)
            }
            None => match r.content.iter().next() {
                Some((media, m)) => {
                    let text = m
                        .default_example()
                        .and_then(|e| e.value.as_str().map(str::to_owned));
                    (Some(Ty::Bytes), Some(media.clone()), false, text, None)
                }
                None => (None, None, false, None, None),
            },
        };
        let mut rdoc = doc_lines(None, Some(&r.description));
        push_paragraph(&mut rdoc, &format!("Status `{}`.", r.status));
        responses.push(ResponsePlan {
            // `default()` would read as `Default::default` (and clippy says so).
            mock_fn: if variant == "Default" {
                "default_response".to_owned()
            } else {
                snake(&variant)
            },
            variant,
            code,
            range,
            ty,
            media_type,
            json,
            is_success: r.status.is_success(),
            doc: rdoc,
            example,
            example_message,
        });
    }

    let successes: Vec<&ResponsePlan> = responses.iter().filter(|r| r.is_success).collect();
    let success = match successes.as_slice() {
        [] => SuccessPlan::One(Ty::Unit),
        [one] => SuccessPlan::One(one.ty.clone().unwrap_or(Ty::Unit)),
        _ => SuccessPlan::Many(format!("{type_name}Success")),
    };

    OpPlan {
        id: op.id.clone(),
        fn_name,
        method: op.method.as_str(),
        method_lower: op.method.as_str().to_ascii_lowercase(),
        path: op.path.clone(),
        route: op.path.clone(),
        doc,
        params,
        body,
        auth,
        responses,
        response_enum: format!("{type_name}Response"),
        error_enum: format!("{type_name}Error"),
        success,
        mock_struct: format!("{type_name}Mock"),
        builder: format!("{type_name}Builder"),
        params_struct: format!("{type_name}Params"),
        path_regex: path_regex(&op.path),
        type_name,
    }
}

fn wrap_option(ty: Ty) -> Ty {
    match ty {
        Ty::Option(_) => ty,
        other => Ty::Option(Box::new(other)),
    }
}

fn auth_plan(contract: &Contract, op: &Operation) -> AuthPlan {
    let bearer = op.security.iter().any(|alt| {
        alt.keys().any(|name| {
            contract.security_schemes.get(name).is_some_and(|s| {
                matches!(
                    s.kind,
                    SecuritySchemeKind::Bearer { .. } | SecuritySchemeKind::OAuth2
                )
            })
        })
    });
    if bearer {
        AuthPlan::Bearer {
            required: op.requires_credentials(),
        }
    } else {
        AuthPlan::None
    }
}

/// The first entry of the envelope's error list in an example, e.g. `Validation failed`.
fn first_error_message(contract: &Contract, value: &serde_json::Value) -> Option<String> {
    let key = contract.envelope.as_ref()?.roles.errors.as_ref()?;
    value
        .get(key)?
        .as_array()?
        .first()?
        .as_str()
        .map(str::to_owned)
}

/// `^/pets/[^/]+$` for `/pets/{id}`, with literal parts escaped.
fn path_regex(path: &str) -> String {
    let mut out = String::from("^");
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&regex_escape(&rest[..start]));
        match rest[start..].find('}') {
            Some(end) => {
                out.push_str("[^/]+");
                rest = &rest[start + end + 1..];
            }
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(&regex_escape(rest));
    out.push('$');
    out
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~ ".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
