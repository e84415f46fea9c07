//! Operations → the client: a descriptor per operation (`client.js`) and its typed
//! method, input and result (`client.d.ts`).
//!
//! Why descriptors: the machinery (parameters, credentials, decoding by status) is one
//! hand-written runtime, tested once; what varies per operation is data. Each result is
//! a union with one variant per documented status, so narrowing `kind` then `status`
//! gives the exact body type.

use std::fmt::Write as _;

use crate::model::{
    Contract, MediaType, Operation, ParameterLocation, ParameterStyle, ResponseStatus,
    SecuritySchemeKind, is_json_media_type,
};
use crate::naming::Namespace;

use super::text::{camel, jsdoc, key, pascal, string};
use super::types::{Direction, TypeNames};
use super::validators::Emitter;

/// One operation's generated names.
pub(super) struct Names {
    method: String,
    input: String,
    result: String,
}

/// Claims each operation's input and result type names from `ns`, in operation order.
pub(super) fn claim_names(contract: &Contract, ns: &mut Namespace) -> Vec<Names> {
    contract
        .operations
        .iter()
        .zip(method_names(contract))
        .map(|(op, method)| {
            let base = pascal(&op.id);
            Names {
                input: claim_first(ns, &[format!("{base}Input"), format!("{base}Args")]),
                result: claim_first(ns, &[format!("{base}Result"), format!("{base}Outcome")]),
                method,
            }
        })
        .collect()
}

/// Renders `client.js` and `client.d.ts`, with the names of [`claim_names`].
pub fn render(contract: &Contract, types: &TypeNames<'_>, names: &[Names]) -> (String, String) {
    let mut emitter = Emitter::imported_as_v(contract, types);
    let mut js = String::from(
        "// The client: one descriptor per operation; `runtime.js` does the rest.\n\nimport { call } from \"./runtime.js\";\nimport * as v from \"./validators.js\";\n",
    );
    let mut dts = String::from(
        "import type { CommonOptions, ExtraHeaders, Failure, HeaderValue, Ok, Unexpected } from \"./runtime.js\";\n",
    );
    let imported = types.all_names();
    if !imported.is_empty() {
        dts.insert_str(
            0,
            &format!(
                "import type {{ {} }} from \"./types.js\";\n",
                imported.join(", ")
            ),
        );
    }

    // Servers.
    let mut server_names = Namespace::default();
    let servers: Vec<(String, String)> = contract
        .servers
        .iter()
        .map(|s| {
            let name = s
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .unwrap_or(&s.url);
            (server_names.claim(name), s.url.clone())
        })
        .collect();
    js.push_str("\n/** The spec's servers by name (variables filled with their defaults). */\nexport const servers = Object.freeze({\n");
    dts.push_str("\n/** The spec's servers by name (variables filled with their defaults). */\nexport declare const servers: {\n");
    for (name, url) in &servers {
        let _ = writeln!(js, "  {}: {},", key(name), string(url));
        let _ = writeln!(dts, "  readonly {}: {};", key(name), string(url));
    }
    js.push_str("});\n");
    dts.push_str("};\n");
    let server_union = if servers.is_empty() {
        "never".to_owned()
    } else {
        servers
            .iter()
            .map(|(n, _)| string(n))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let _ = write!(
        dts,
        "\n/** A server of the spec, by its description. */\nexport type ServerName = {server_union};\n\n/** Where the client sends requests: a base URL, or a server of the spec by name. */\nexport type ClientOptions = CommonOptions &\n  ({{ baseUrl: string; server?: never }} | {{ server: ServerName; baseUrl?: never }});\n"
    );

    // Descriptors and per-operation types.
    let mut client_type = String::from(
        "\n/** The API: one method per operation; every call resolves, never rejects. */\nexport interface Client {\n",
    );
    let mut client_js = String::from(
        "\n/** A client for the API; see `ClientOptions`. */\nexport function createClient(options) {\n  const baseUrl = options.baseUrl ?? servers[options.server];\n  if (typeof baseUrl !== \"string\") throw new TypeError(\"createClient: give `baseUrl` or the name of a server\");\n  const client = { ...options, baseUrl };\n  return {\n",
    );
    for (i, (op, n)) in contract.operations.iter().zip(names).enumerate() {
        let desc = format!("op{i}");
        js.push_str(&descriptor(contract, op, &desc, &mut emitter));
        let (input_ty, input_optional) = input(contract, types, op);
        let _ = write!(
            dts,
            "\n/** The arguments of `{}`. */\nexport interface {} {input_ty}\n",
            n.method, n.input
        );
        let _ = write!(
            dts,
            "\n/** What `{}` resolves to. */\nexport type {} =\n{};\n",
            n.method,
            n.result,
            result(types, op)
        );
        client_type.push_str(&jsdoc(&method_doc(contract, op), 2));
        let q = if input_optional { "?" } else { "" };
        let _ = writeln!(
            client_type,
            "  {}(input{q}: {}): Promise<{}>;",
            n.method, n.input, n.result
        );
        let _ = writeln!(
            client_js,
            "    {}: (input) => call(client, {desc}, input),",
            n.method
        );
    }
    client_type.push_str("}\n");
    client_js.push_str("  };\n}\n");
    js.push_str(&client_js);
    dts.push_str(&client_type);
    dts.push_str("\n/** A client for the API: `createClient({ baseUrl })` or `createClient({ server: \"…\" })`. */\nexport declare function createClient(options: ClientOptions): Client;\n");
    (js, dts)
}

/// The client's method name of each operation, in order (lowerCamelCase operationIds).
pub(super) fn method_names(contract: &Contract) -> Vec<String> {
    let mut methods = Namespace::default();
    contract
        .operations
        .iter()
        .map(|op| methods.claim(&camel(&op.id)))
        .collect()
}

fn media_entry(media_type: &str, media: &MediaType, emitter: &mut Emitter<'_>) -> String {
    let json = is_json_media_type(media_type);
    let essence = crate::model::media_type_essence(media_type).to_ascii_lowercase();
    let mut out = format!("{{ type: {}", string(&essence));
    if json {
        out.push_str(", json: true");
        if let Some(schema) = &media.schema {
            if let Some(name) = schema.ref_name() {
                let _ = write!(out, ", check: v.{}", emitter.check_name(name));
            } else {
                let mut body = String::new();
                emitter.check(schema, "value", "p", 8, &mut body);
                if !body.is_empty() {
                    let _ = write!(out, ", check: (value, p, c) => {{\n{body}      }}");
                }
            }
        }
    } else if !is_text(&essence) {
        out.push_str(", binary: true");
    }
    out.push_str(" }");
    out
}

fn is_text(essence: &str) -> bool {
    essence.starts_with("text/")
        || essence.ends_with("+xml")
        || essence == "application/xml"
        || essence == "application/x-www-form-urlencoded"
}

fn descriptor(
    contract: &Contract,
    op: &Operation,
    name: &str,
    emitter: &mut Emitter<'_>,
) -> String {
    let mut out = format!(
        "\nconst {name} = {{\n  method: {},\n  path: {},\n",
        string(op.method.as_str()),
        string(&op.path)
    );
    // Security alternatives, each a list of schemes.
    out.push_str("  security: [");
    let alts: Vec<String> = op
        .security
        .iter()
        .map(|alt| {
            let schemes: Vec<String> = alt
                .keys()
                .filter_map(|s| contract.security_schemes.get(s))
                .map(|s| match &s.kind {
                    SecuritySchemeKind::Bearer { .. } | SecuritySchemeKind::OAuth2 => {
                        "{ type: \"bearer\" }".to_owned()
                    }
                    SecuritySchemeKind::Basic => "{ type: \"basic\" }".to_owned(),
                    SecuritySchemeKind::ApiKey { location, name } => format!(
                        "{{ type: \"apiKey\", scheme: {}, in: {}, name: {} }}",
                        string(&s.name),
                        string(location.as_str()),
                        string(name)
                    ),
                    SecuritySchemeKind::OtherHttp { scheme } => {
                        format!("{{ type: \"other\", scheme: {} }}", string(scheme))
                    }
                })
                .collect();
            format!("[{}]", schemes.join(", "))
        })
        .collect();
    out.push_str(&alts.join(", "));
    out.push_str("],\n  params: [");
    if !op.parameters.is_empty() {
        out.push('\n');
    }
    for p in &op.parameters {
        let style = match p.style {
            ParameterStyle::Form => "form",
            ParameterStyle::Simple => "simple",
            ParameterStyle::Label => "label",
            ParameterStyle::Matrix => "matrix",
            ParameterStyle::SpaceDelimited => "spaceDelimited",
            ParameterStyle::PipeDelimited => "pipeDelimited",
            ParameterStyle::DeepObject => "deepObject",
        };
        let json = p.media_type.as_deref().is_some_and(is_json_media_type);
        let _ = writeln!(
            out,
            "    {{ name: {}, in: {}, style: {}, explode: {}, json: {json} }},",
            string(&p.name),
            string(p.location.as_str()),
            string(style),
            p.explode
        );
    }
    out.push_str(if op.parameters.is_empty() {
        "],\n"
    } else {
        "  ],\n"
    });
    if let Some((media, encoding)) = op.request_body.as_ref().and_then(|b| pick_body(b)) {
        let _ = writeln!(
            out,
            "  body: {{ media: {}, encoding: {} }},",
            string(&media),
            string(encoding)
        );
    }
    let accept: Vec<String> = {
        let mut a: Vec<String> = op
            .responses
            .iter()
            .flat_map(|r| r.content.keys().cloned())
            .collect();
        a.sort();
        a.dedup();
        a
    };
    if !accept.is_empty() {
        let _ = writeln!(out, "  accept: {},", string(&accept.join(", ")));
    }
    out.push_str("  responses: [\n");
    for r in &op.responses {
        let status = match r.status {
            ResponseStatus::Code(c) => format!("status: {c}"),
            ResponseStatus::Range(d) => format!("range: {d}"),
            ResponseStatus::Default => "default: true".to_owned(),
        };
        let content: Vec<String> = order_media(&r.content)
            .into_iter()
            .map(|(m, media)| media_entry(m, media, emitter))
            .collect();
        let _ = writeln!(
            out,
            "    {{ {status}, content: [{}] }},",
            content.join(", ")
        );
    }
    out.push_str("  ],\n};\n");
    out
}

/// JSON media types first, then the others in order: the first match wins at run time.
pub(super) fn order_media(
    content: &std::collections::BTreeMap<String, MediaType>,
) -> Vec<(&str, &MediaType)> {
    let mut v: Vec<(&str, &MediaType)> = content.iter().map(|(k, m)| (k.as_str(), m)).collect();
    v.sort_by_key(|(k, _)| !is_json_media_type(k));
    v
}

/// The request media type the client sends, and how it encodes it.
fn pick_body(body: &crate::model::RequestBody) -> Option<(String, &'static str)> {
    if let Some((m, _)) = body.json() {
        return Some((m.to_owned(), "json"));
    }
    let (m, _) = body.content.iter().next()?;
    let essence = m
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let encoding = if essence == "application/x-www-form-urlencoded" {
        "form"
    } else if essence == "multipart/form-data" {
        "multipart"
    } else if is_text(&essence) {
        "text"
    } else {
        "binary"
    };
    Some((m.clone(), encoding))
}

pub(super) fn body_type(
    types: &TypeNames<'_>,
    media_type: &str,
    media: &MediaType,
    dir: Direction,
    indent: usize,
) -> String {
    let essence = crate::model::media_type_essence(media_type).to_ascii_lowercase();
    if is_json_media_type(media_type)
        || essence == "application/x-www-form-urlencoded"
        || essence == "multipart/form-data"
    {
        media
            .schema
            .as_ref()
            .map_or_else(|| "unknown".to_owned(), |s| types.ty(s, dir, indent))
    } else if is_text(&essence) {
        "string".to_owned()
    } else if dir == Direction::Request {
        "Blob | ArrayBuffer | Uint8Array | string".to_owned()
    } else {
        "Blob".to_owned()
    }
}

/// The input interface body, and whether the whole input may be left out.
fn input(contract: &Contract, types: &TypeNames<'_>, op: &Operation) -> (String, bool) {
    let _ = contract;
    let mut out = String::from("{\n");
    let mut optional = true;
    if let Some((body, (media, _))) = op
        .request_body
        .as_ref()
        .and_then(|b| pick_body(b).map(|m| (b, m)))
    {
        let ty = body_type(types, &media, &body.content[&media], Direction::Request, 2);
        out.push_str(&jsdoc(&[body.description.clone().unwrap_or_default()], 2));
        let q = if body.required { "" } else { "?" };
        optional &= !body.required;
        let _ = writeln!(out, "  body{q}: {ty};");
    }
    for (loc, field) in [
        (ParameterLocation::Path, "path"),
        (ParameterLocation::Query, "query"),
        (ParameterLocation::Header, "headers"),
        (ParameterLocation::Cookie, "cookies"),
    ] {
        let params: Vec<_> = op.parameters_in(loc).collect();
        if params.is_empty() && loc == ParameterLocation::Header {
            // One shared type rather than a literal per operation: less for tsc to check.
            out.push_str(
                "  /** Header parameters, and any other header to send. */\n  headers?: ExtraHeaders;\n",
            );
            continue;
        }
        if params.is_empty() {
            continue;
        }
        let required = params.iter().any(|p| p.required);
        optional &= !required;
        let mut group = String::from("{\n");
        for p in &params {
            let mut doc = vec![p.description.clone().unwrap_or_default()];
            if p.deprecated {
                doc.push("@deprecated".to_owned());
            }
            group.push_str(&jsdoc(&doc, 4));
            let q = if p.required { "" } else { "?" };
            let _ = writeln!(
                group,
                "    {}{q}: {};",
                key(&p.name),
                types.ty(&p.schema, Direction::Request, 4)
            );
        }
        if loc == ParameterLocation::Header {
            // Extra headers (e.g. `Prefer: code=409` for the mock) ride along; `unknown`
            // because declared parameters must fit the index signature.
            group.push_str("    /** Any other header to send. */\n    [name: string]: unknown;\n");
        }
        group.push_str("  }");
        let doc = match field {
            "path" => "Path parameters.",
            "query" => "Query parameters.",
            "headers" => "Header parameters, and any other header to send.",
            _ => {
                "Cookie parameters (browsers do not let scripts set `Cookie`; use them from Node)."
            }
        };
        let q = if required { "" } else { "?" };
        let _ = writeln!(out, "  /** {doc} */\n  {field}{q}: {group};");
    }
    out.push_str("  /** Cancels the call (a `network` result). */\n  signal?: AbortSignal;\n}");
    (out, optional)
}

fn result(types: &TypeNames<'_>, op: &Operation) -> String {
    let has_success = op.responses.iter().any(|r| r.status.is_success());
    let mut variants: Vec<String> = Vec::new();
    for r in &op.responses {
        let body = if r.content.is_empty() {
            "undefined".to_owned()
        } else {
            let mut parts: Vec<String> = order_media(&r.content)
                .into_iter()
                .map(|(m, media)| body_type(types, m, media, Direction::Response, 2))
                .collect();
            parts.dedup();
            parts.join(" | ")
        };
        match r.status {
            ResponseStatus::Code(c) if (200..300).contains(&c) => {
                variants.push(format!("Ok<{c}, {body}>"))
            }
            ResponseStatus::Code(c) => variants.push(format!("Failure<{c}, {body}>")),
            ResponseStatus::Range(2) => variants.push(format!("Ok<number, {body}>")),
            ResponseStatus::Range(_) => variants.push(format!("Failure<number, {body}>")),
            ResponseStatus::Default => {
                if !has_success {
                    variants.push(format!("Ok<number, {body}>"));
                }
                variants.push(format!("Failure<number, {body}>"));
            }
        }
    }
    variants.push("Unexpected".to_owned());
    variants
        .iter()
        .map(|v| format!("  | {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn method_doc(contract: &Contract, op: &Operation) -> Vec<String> {
    let mut doc = Vec::new();
    if let Some(s) = &op.summary {
        doc.push(s.clone());
    }
    if let Some(d) = &op.description {
        doc.push(d.clone());
    }
    doc.push(format!("`{} {}`", op.method, op.path));
    if op.requires_credentials() {
        let schemes: Vec<String> = op
            .security
            .iter()
            .map(|alt| {
                alt.keys()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" + ")
            })
            .collect();
        doc.push(format!("Sends credentials: {}.", schemes.join(" or ")));
    }
    let _ = contract;
    let statuses: Vec<String> = op
        .responses
        .iter()
        .map(|r| {
            format!(
                "- {}: {}",
                r.status,
                r.description.lines().next().unwrap_or("")
            )
        })
        .collect();
    doc.push(format!("Documented statuses:\n{}", statuses.join("\n")));
    if op.deprecated {
        doc.push("@deprecated".to_owned());
    }
    doc
}

/// The first free name of `candidates`, else the first one with a number.
fn claim_first(ns: &mut Namespace, candidates: &[String]) -> String {
    match candidates.iter().find(|c| !ns.is_taken(c)) {
        Some(free) => ns.claim(free),
        None => ns.claim(&candidates[0]),
    }
}
