//! `GET /__kontrat/contract`: the served contract as the dashboard shows it. Descriptions
//! come as Markdown trees ([`markdown`](super::markdown)), examples as values, and schemas
//! both as field lists and as JSON Schema documents.

use std::sync::{Arc, Mutex, Weak};

use axum::extract::State;
use axum::response::IntoResponse;
use http::header;
use kontrat_generator::model::json_schema::{self, Direction};
use kontrat_generator::model::{
    Contract, MediaType, Operation, Parameter, RequestBody, Response, ResponseStatus,
    SecuritySchemeKind, example,
};
use serde_json::{Value, json};

use super::{fields, markdown};
use crate::{Compiled, Mock};

pub(crate) async fn contract(State(mock): State<Mock>) -> axum::response::Response {
    let compiled = mock.contract();
    let view = mock.shared.dashboard.view_of(&compiled);
    // The cached view is an object; the status (which changes without the contract) is
    // appended as its last member.
    let open = view.strip_suffix('}').unwrap_or("{");
    let separator = if open.len() > 1 { "," } else { "" };
    let body = format!("{open}{separator}\"status\":{}}}", mock.status_json());
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// The last view made, kept until the contract is replaced: views take milliseconds to
/// make (a JSON Schema document per body), and every dashboard load asks for one.
#[derive(Default)]
pub(crate) struct ViewCache {
    last: Mutex<Option<(Weak<Compiled>, Arc<str>)>>,
}

impl ViewCache {
    fn view_of(&self, compiled: &Arc<Compiled>) -> Arc<str> {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((of, view)) = last.as_ref()
            && Weak::ptr_eq(of, &Arc::downgrade(compiled))
        {
            return view.clone();
        }
        let view: Arc<str> = contract_view(&compiled.contract).to_string().into();
        *last = Some((Arc::downgrade(compiled), view.clone()));
        view
    }
}

/// The whole view of `contract`.
pub(crate) fn contract_view(contract: &Contract) -> Value {
    let servers: Vec<Value> = contract
        .servers
        .iter()
        .map(|s| {
            json!({
                "url": s.url,
                "description": s.description,
                "production": s.is_production(),
            })
        })
        .collect();
    let schemes: serde_json::Map<String, Value> = contract
        .security_schemes
        .iter()
        .map(|(name, s)| {
            let (kind, label) = scheme_kind(&s.kind);
            let mut v = json!({
                "kind": kind,
                "label": label,
                "description": md(s.description.as_deref()),
            });
            if let SecuritySchemeKind::ApiKey { location, name } = &s.kind {
                v["in"] = Value::from(location.as_str());
                v["param"] = Value::from(name.as_str());
            }
            (name.clone(), v)
        })
        .collect();
    json!({
        "title": contract.title,
        "version": contract.version,
        "description": md(contract.description.as_deref()),
        "servers": servers,
        "securitySchemes": schemes,
        "operations": contract.operations.iter().map(|op| operation(contract, op)).collect::<Vec<_>>(),
    })
}

fn md(text: Option<&str>) -> Vec<Value> {
    text.map(markdown::blocks).unwrap_or_default()
}

fn scheme_kind(kind: &SecuritySchemeKind) -> (&'static str, String) {
    match kind {
        SecuritySchemeKind::Bearer { format } => (
            "bearer",
            match format {
                Some(f) => format!("HTTP bearer ({f}) in the Authorization header"),
                None => "HTTP bearer in the Authorization header".into(),
            },
        ),
        SecuritySchemeKind::Basic => ("basic", "HTTP basic in the Authorization header".into()),
        SecuritySchemeKind::ApiKey { location, name } => (
            "apiKey",
            format!("API key in the {} `{name}`", location.as_str()),
        ),
        SecuritySchemeKind::OAuth2 => (
            "bearer",
            "OAuth 2 / OpenID Connect bearer token in the Authorization header".into(),
        ),
        SecuritySchemeKind::OtherHttp { scheme } => (
            "other",
            format!("HTTP `{scheme}` in the Authorization header"),
        ),
    }
}

fn operation(contract: &Contract, op: &Operation) -> Value {
    let (warning, description) = markdown::split_warning(md(op.description.as_deref()));
    let security: Vec<Vec<&str>> = op
        .security
        .iter()
        .map(|alt| alt.keys().map(String::as_str).collect())
        .collect();
    json!({
        "id": op.id,
        "method": op.method.as_str(),
        "path": op.path,
        "summary": op.summary,
        "description": description,
        "warning": warning,
        "tags": op.tags,
        "deprecated": op.deprecated,
        "mutating": op.method.is_mutating(),
        "security": security,
        "parameters": op.parameters.iter().map(|p| parameter(contract, p)).collect::<Vec<_>>(),
        "requestBody": op.request_body.as_ref().map(|b| request_body(contract, b)),
        "responses": op.responses.iter().map(|r| response(contract, r)).collect::<Vec<_>>(),
    })
}

fn parameter(contract: &Contract, p: &Parameter) -> Value {
    let resolved = contract.resolve(&p.schema);
    let example = p
        .example
        .clone()
        .or_else(|| p.schema.example.clone())
        .or_else(|| resolved.example.clone())
        .or_else(|| {
            p.required
                .then(|| example::synthesize(contract, &p.schema, Direction::Request))
        });
    json!({
        "name": p.name,
        "in": p.location.as_str(),
        "required": p.required,
        "deprecated": p.deprecated,
        "description": md(p.description.as_deref().or(resolved.description.as_deref())),
        "type": fields::type_text(contract, &p.schema),
        "rules": fields::rules_text(contract, &p.schema),
        "array": matches!(resolved.kind, kontrat_generator::model::SchemaKind::Array(_)),
        "explode": p.explode,
        "example": example,
    })
}

fn request_body(contract: &Contract, body: &RequestBody) -> Value {
    let chosen = body
        .json()
        .or_else(|| body.content.iter().next().map(|(k, v)| (k.as_str(), v)));
    let (media_type, media) = match chosen {
        Some((k, v)) => (Some(k), Some(v)),
        None => (None, None),
    };
    let schema = media.and_then(|m| m.schema.as_ref());
    let example = media.and_then(|m| {
        m.default_example()
            .map(|e| e.value.clone())
            .or_else(|| schema.map(|s| example::synthesize(contract, s, Direction::Request)))
    });
    json!({
        "required": body.required,
        "description": md(body.description.as_deref()),
        "mediaType": media_type,
        "mediaTypes": body.content.keys().collect::<Vec<_>>(),
        "example": example,
        "fields": schema.map(|s| fields::fields(contract, s, &markdown::blocks)).unwrap_or_default(),
        "schema": schema.map(|s| json_schema::document(contract, s, Direction::Request)),
    })
}

fn response(contract: &Contract, r: &Response) -> Value {
    let status = match r.status {
        ResponseStatus::Code(c) => c,
        ResponseStatus::Range(d) => d * 100,
        ResponseStatus::Default => 500,
    };
    let content: Vec<Value> = r
        .content
        .iter()
        .map(|(media_type, media)| content(contract, media_type, media, status))
        .collect();
    json!({
        "status": r.status.to_string(),
        "success": r.status.is_success(),
        "description": markdown::blocks(&r.description),
        "content": content,
    })
}

fn content(contract: &Contract, media_type: &str, media: &MediaType, status: u16) -> Value {
    let mut examples: Vec<Value> = media
        .examples
        .iter()
        .map(|(name, e)| json!({"name": name, "summary": e.summary, "value": e.value}))
        .collect();
    if examples.is_empty()
        && let Some(schema) = &media.schema
    {
        examples.push(json!({
            "name": "",
            "summary": "synthesised from the schema",
            "value": example::response_body(contract, schema, status),
        }));
    }
    json!({
        "mediaType": media_type,
        "examples": examples,
        "schema": media.schema.as_ref().map(|s| json_schema::document(contract, s, Direction::Response)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_auth_contract_reads_as_the_reference_page() {
        let text = include_str!("../../../spec/auth.yaml");
        let (contract, _) = kontrat_generator::load_contract_str("auth.yaml", text).unwrap();
        let view = contract_view(&contract);
        let ops = view["operations"].as_array().unwrap();
        assert_eq!(ops.len(), 3);
        let refresh = &ops[1];
        assert_eq!(refresh["id"], "refreshToken");
        assert!(
            markdown::plain(&refresh["warning"]).starts_with("Production uyarisi:"),
            "{}",
            refresh["warning"]
        );
        assert_eq!(
            markdown::plain(&refresh["description"]),
            "Refresh token kullanarak yeni access token ve refresh token alır."
        );
        assert_eq!(
            refresh["requestBody"]["example"]["refreshToken"],
            "3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c"
        );
        let statuses: Vec<&str> = refresh["responses"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["status"].as_str())
            .collect();
        assert_eq!(statuses, ["200", "400", "401", "403", "404", "409"]);
        assert_eq!(
            ops[0]["security"],
            json!([["JWT-auth"]]),
            "logout needs the bearer"
        );
        assert_eq!(
            markdown::plain(&Value::Array(
                view["securitySchemes"]["JWT-auth"]["description"]
                    .as_array()
                    .unwrap()
                    .clone()
            )),
            "Paste the JWT access token without the Bearer prefix."
        );
        assert_eq!(view["servers"][0]["production"], true);
        assert_eq!(view["servers"][1]["production"], false);
    }
}
