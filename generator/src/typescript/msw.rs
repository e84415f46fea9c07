//! Operations → MSW handlers (`msw.js`, `msw.d.ts`): the in-browser twin of the Rust
//! back-end's wiremock builders.
//!
//! Why a subpath export: `msw` is an optional peer dependency, so only `auth-api/msw`
//! imports it; the main entry keeps no dependencies. Per operation: one factory per
//! documented status serving the spec's example (or, when it has none, the model's
//! synthesised body), with the shared envelope made live at run time (status, success,
//! timestamp), as `kontrat mock` does; and failure paths (undocumented status, malformed
//! body, network error). Examples are embedded as JSON string literals parsed at run time
//! (a `__proto__` key stays data, big integers stay what `JSON.parse` makes of them).

use std::fmt::Write as _;

use serde_json::Value;

use crate::model::json_schema::ValidatorSet;
use crate::model::served::{Examples, default_body};
use crate::model::{
    Contract, MediaType, Operation, ResponseStatus, example, is_json_media_type, json_schema,
};
use crate::naming::Namespace;

use super::operations::{body_type, method_names, order_media};
use super::text::{comment_lines, jsdoc, key, pascal, string};
use super::types::{Direction, TypeNames};

/// Statuses tried, in order, for the `undocumented` handler (all servable by `fetch`).
const UNDOCUMENTED: &[u16] = &[418, 599, 520, 451, 299, 399, 226];

/// What one documented status serves.
struct Served<'a> {
    factory: String,
    status: &'a ResponseStatus,
    /// The status served when the caller gives none.
    code: u16,
    media: Option<(&'a str, &'a MediaType)>,
    description: &'a str,
    /// The JSON body served (for a JSON media type), and whether it is the spec's example.
    body: Option<(Value, bool)>,
}

/// Claims each operation's handler-group interface name from `ns`, in operation order.
pub(super) fn claim_groups(contract: &Contract, ns: &mut Namespace) -> Vec<String> {
    contract
        .operations
        .iter()
        .map(|op| ns.claim(&format!("{}Handlers", pascal(&op.id))))
        .collect()
}

/// Renders `msw.js` and `msw.d.ts`, with the group names of [`claim_groups`].
pub fn render(contract: &Contract, types: &TypeNames<'_>, groups: &[String]) -> (String, String) {
    let methods = method_names(contract);
    let mut bodies = served_bodies(contract).into_iter();
    let mut js = String::from(include_str!("../../templates/typescript/msw.js"));
    let mut dts = String::from(
        "// MSW handlers (msw >= 2, an optional peer dependency of this package).\n\nimport type { HttpHandler } from \"msw\";\n",
    );
    let imported = types.all_names();
    if !imported.is_empty() {
        let _ = writeln!(
            dts,
            "import type {{ {} }} from \"./types.js\";",
            imported.join(", ")
        );
    }
    dts.push_str(COMMON_DTS);

    let mut factory_js = String::from(
        "\n/** Handler factories per operation; see `msw.d.ts`. */\nexport function createHandlers(options = {}) {\n  const base = options.baseUrl;\n  return {\n",
    );
    let mut handlers_ty = String::from(
        "\n/** Handler factories, one group per operation (by its client method name). */\nexport interface Handlers {\n",
    );
    for (i, ((op, method), group)) in contract
        .operations
        .iter()
        .zip(&methods)
        .zip(groups)
        .enumerate()
    {
        let desc = format!("msw{i}");
        let _ = writeln!(
            js,
            "\nconst {desc} = {{ method: {}, path: {} }};",
            string(op.method.as_str()),
            string(&op.path)
        );
        let served = served(op, bodies.next().unwrap_or_default());
        let _ = writeln!(factory_js, "    {method}: {{");
        let _ = write!(
            dts,
            "\n/** MSW handlers of `{method}` (`{} {}`). */\nexport interface {group} {{\n",
            op.method,
            comment_lines(&op.path).join(" ")
        );
        for s in &served {
            let res = response_literal(contract, s);
            let _ = writeln!(
                factory_js,
                "      {}: (o = {{}}) => serve(base, {desc}, {res}, o),",
                s.factory
            );
            let body = match s.media {
                Some((m, media)) => {
                    let dir = if is_json_media_type(m) {
                        Direction::Response
                    } else {
                        Direction::Request
                    };
                    body_type(types, m, media, dir, 2)
                }
                None => "never".to_owned(),
            };
            let opts = if matches!(s.status, ResponseStatus::Code(_)) {
                format!("ServeOptions<{body}>")
            } else {
                format!(
                    "ServeOptions<{body}> & {{ /** The status to answer (default {}). */ status?: number }}",
                    s.code
                )
            };
            let what = match s.media {
                Some((m, _)) if is_json_media_type(m) => match &s.body {
                    Some((_, true)) => "the spec's example",
                    Some((_, false)) => "a body synthesised from its schema",
                    None => "no body",
                },
                Some((_, media))
                    if media.default_example().is_some_and(|e| e.value.is_string()) =>
                {
                    "the spec's example"
                }
                _ => "no body",
            };
            dts.push_str(&jsdoc(
                &[
                    format!("Answers `{}`: {}", s.status, s.description),
                    format!("Serves {what} (envelope made live: status and timestamp of the answer), or `body`."),
                ],
                2,
            ));
            let _ = writeln!(dts, "  {}(options?: {opts}): HttpHandler;", s.factory);
        }
        if let Some(code) = UNDOCUMENTED.iter().find(|c| documented(op, **c).is_none()) {
            let _ = writeln!(
                factory_js,
                "      undocumented: (o = {{}}) => undocumented(base, {desc}, {code}, o),"
            );
            let _ = writeln!(
                dts,
                "  /** Answers a status the operation does not document (default {code}): the client's `undocumented` result. */\n  undocumented(options?: UndocumentedOptions): HttpHandler;"
            );
        }
        let json_codes: Vec<&Served<'_>> = served
            .iter()
            .filter(|s| s.media.is_some_and(|(m, _)| is_json_media_type(m)))
            .collect();
        if let Some(first) = json_codes.first() {
            let status_ty = if json_codes
                .iter()
                .all(|s| matches!(s.status, ResponseStatus::Code(_)))
            {
                json_codes
                    .iter()
                    .map(|s| s.code.to_string())
                    .collect::<Vec<_>>()
                    .join(" | ")
            } else {
                "number".to_owned()
            };
            let _ = writeln!(
                factory_js,
                "      malformed: (o = {{}}) => malformed(base, {desc}, {}, o),",
                first.code
            );
            let _ = writeln!(
                dts,
                "  /** Answers a documented JSON status (default {}) with a body that is not JSON, or with `contentType`: the client's `invalid-body` result. */\n  malformed(options?: MalformedOptions<{status_ty}>): HttpHandler;",
                first.code
            );
        }
        let _ = writeln!(
            factory_js,
            "      networkError: (o = {{}}) => networkError(base, {desc}, o),\n    }},"
        );
        dts.push_str("  /** Fails the request as a network error (`HttpResponse.error()`): the client's `network` result. */\n  networkError(options?: HandlerOptions): HttpHandler;\n}\n");
        let _ = writeln!(handlers_ty, "  readonly {}: {group};", key(method));
    }
    factory_js.push_str("  };\n}\n");
    handlers_ty.push_str("}\n");
    js.push_str(&factory_js);
    dts.push_str(&handlers_ty);
    dts.push_str("\n/**\n * MSW handler factories for every operation, e.g.\n * `setupServer(createHandlers({ baseUrl }).refreshToken.status200())`.\n */\nexport declare function createHandlers(options?: MswOptions): Handlers;\n");
    (js, dts)
}

const COMMON_DTS: &str = r#"
/** Options of every handler. */
export interface HandlerOptions {
  /** Waits before answering: milliseconds, `"real"` (a realistic delay) or `"infinite"`. */
  delay?: number | "real" | "infinite";
  /** Answers one request only, then lets later requests through. */
  once?: boolean;
}

/** Options of a documented-status handler; `B` is the body type of that status. */
export interface ServeOptions<B> extends HandlerOptions {
  /** The body to serve instead of the example (served as given, not made live). */
  body?: B;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/** Options of the `undocumented` handler. */
export interface UndocumentedOptions extends HandlerOptions {
  /** The status (default: one the operation does not document). */
  status?: number;
  /** The response text (default `undocumented`). */
  body?: string;
}

/** Options of the `malformed` handler; `S` are the documented JSON statuses. */
export interface MalformedOptions<S extends number> extends HandlerOptions {
  /** The documented status to answer. */
  status?: S;
  /** The response text (default: not JSON). */
  body?: string;
  /** The content type (default `application/json`; e.g. `text/html` for a wrong one). */
  contentType?: string;
}

/** Options of `createHandlers`. */
export interface MswOptions {
  /** The base URL the client calls (default: every origin, with no path prefix). */
  baseUrl?: string;
}
"#;

fn documented(op: &Operation, code: u16) -> Option<&crate::model::Response> {
    op.responses
        .iter()
        .find(|r| r.status == ResponseStatus::Code(code))
        .or_else(|| {
            op.responses
                .iter()
                .find(|r| r.status == ResponseStatus::Range(code / 100))
        })
        .or_else(|| {
            op.responses
                .iter()
                .find(|r| r.status == ResponseStatus::Default)
        })
}

fn served(op: &Operation, bodies: Vec<Option<(Value, bool)>>) -> Vec<Served<'_>> {
    let mut names = Namespace::default();
    let mut bodies = bodies.into_iter();
    op.responses
        .iter()
        .map(|r| {
            let factory = match r.status {
                ResponseStatus::Code(c) => format!("status{c}"),
                ResponseStatus::Range(d) => format!("status{d}xx"),
                ResponseStatus::Default => "statusDefault".to_owned(),
            };
            Served {
                factory: names.claim(&factory),
                status: &r.status,
                code: default_code(&r.status),
                body: bodies.next().flatten(),
                media: order_media(&r.content).into_iter().next(),
                description: r.description.lines().next().unwrap_or(""),
            }
        })
        .collect()
}

/// The code a status serves when the caller gives none.
fn default_code(status: &ResponseStatus) -> u16 {
    match *status {
        ResponseStatus::Code(c) => c,
        ResponseStatus::Range(d) => d * 100,
        ResponseStatus::Default => 500,
    }
}

/// Per operation, per response: the JSON body it serves (see [`served_value`]), `None`
/// when its first media type is not JSON. Computed on the worker pool: validating the
/// examples of a big spec is the costly part of the package.
fn served_bodies(contract: &Contract) -> Vec<Vec<Option<(Value, bool)>>> {
    fn json_media(r: &crate::model::Response) -> Option<&MediaType> {
        order_media(&r.content)
            .into_iter()
            .next()
            .filter(|(m, _)| is_json_media_type(m))
            .map(|(_, media)| media)
    }
    let schemas = contract
        .operations
        .iter()
        .flat_map(|op| &op.responses)
        .filter_map(|r| json_media(r)?.schema.as_ref());
    let validators = ValidatorSet::compile(contract, schemas, json_schema::Direction::Response);
    let of = |op: &Operation| -> Vec<Option<(Value, bool)>> {
        op.responses
            .iter()
            .map(|r| {
                let media = json_media(r)?;
                Some(served_value(
                    contract,
                    &validators,
                    media,
                    default_code(&r.status),
                ))
            })
            .collect()
    };
    let bodies = crate::pool::run(|| {
        use rayon::prelude::*;
        contract.operations.par_iter().map(of).collect()
    })
    .unwrap_or_else(|| contract.operations.iter().map(of).collect());
    // Freeing thousands of compiled validators is a few percent of a big spec's run.
    crate::pool::drop_later(validators);
    bodies
}

/// The JSON body a status serves, and whether it is the spec's example: the body
/// `kontrat mock` serves ([`default_body`]: the default example when it validates
/// against its schema, else a valid value made from the schema), envelope status and
/// success flag agreeing with `code`; `{}` for JSON with no schema.
fn served_value(
    contract: &Contract,
    validators: &ValidatorSet,
    media: &MediaType,
    code: u16,
) -> (Value, bool) {
    let Some(schema) = &media.schema else {
        // JSON with no schema: the example as written, else any JSON.
        return match media.default_example() {
            Some(e) => (e.value.clone(), true),
            None => (Value::Object(serde_json::Map::new()), false),
        };
    };
    // A schema the validator cannot compile is judged by the shallow check alone.
    let validator = validators.get(schema, json_schema::Direction::Response);
    let resolved = contract.resolve(schema);
    let is_valid = |v: &Value| match &validator {
        Some(validator) => validator.is_valid(v),
        None => example::fits(resolved, v),
    };
    match default_body(contract, media, code, Examples::Live, &is_valid) {
        Some(b) => {
            let from_spec = b.name != "generated" && b.replaces.is_none();
            (b.value, from_spec)
        }
        None => (Value::Object(serde_json::Map::new()), false),
    }
}

/// The JS literal describing what a status serves.
fn response_literal(contract: &Contract, s: &Served<'_>) -> String {
    let mut out = format!("{{ status: {}", s.code);
    if let Some((m, media)) = s.media {
        let json = is_json_media_type(m);
        let ty = if m.contains('*') {
            if json {
                "application/json".to_owned()
            } else if m.starts_with("*/") {
                "application/octet-stream".to_owned()
            } else {
                format!("{}octet-stream", m.split('*').next().unwrap_or(""))
            }
        } else {
            m.to_owned()
        };
        let _ = write!(out, ", type: {}", string(&ty));
        if json {
            out.push_str(", json: true");
            if let Some((v, _)) = &s.body {
                let text = serde_json::to_string(&v).unwrap_or_default();
                let _ = write!(out, ", example: {}", string(&text));
            }
            if let (Some(env), Some(schema)) = (&contract.envelope, &media.schema)
                && contract.envelope_data(schema).is_some()
            {
                let roles: Vec<String> = [
                    ("success", &env.roles.success),
                    ("status", &env.roles.status),
                    ("timestamp", &env.roles.timestamp),
                ]
                .into_iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {}", string(v))))
                .collect();
                if !roles.is_empty() {
                    let _ = write!(out, ", live: {{ {} }}", roles.join(", "));
                }
            }
        } else if let Some(text) = media.default_example().and_then(|e| e.value.as_str()) {
            let _ = write!(out, ", example: {}", string(text));
        }
    }
    out.push_str(" }");
    out
}
