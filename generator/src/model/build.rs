//! Spec → [`Contract`]: resolves references and normalises OpenAPI's many spellings.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3 as oa;
use openapiv3::ReferenceOr;
use serde_json::Value;

use super::schema::*;
use super::*;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::spec::{Spec, component_name, pointer_escape};

/// Builds the contract model of a loaded spec. Problems are pushed into `diagnostics`;
/// the model is always returned (with fallbacks where something could not be understood).
pub fn build(spec: &Spec, diagnostics: &mut Diagnostics) -> Contract {
    let mut b = Builder {
        spec,
        diags: diagnostics,
        synthetic: BTreeMap::new(),
        synthetic_names: BTreeMap::new(),
    };
    let api = &spec.openapi;

    let servers = api
        .servers
        .iter()
        .map(|s| Server {
            url: server_url(s),
            description: s.description.clone(),
        })
        .collect();

    let mut schemas = BTreeMap::new();
    let mut security_schemes = BTreeMap::new();
    if let Some(components) = &api.components {
        for (name, item) in &components.schemas {
            let pointer = format!("#/components/schemas/{}", pointer_escape(name));
            let schema = b.schema(item, &pointer);
            schemas.insert(name.clone(), schema);
        }
        for (name, item) in &components.security_schemes {
            let pointer = format!("#/components/securitySchemes/{}", pointer_escape(name));
            if let Some(s) = b.resolve(item, &pointer) {
                security_schemes.insert(name.clone(), security_scheme(name, &s));
            }
        }
    }

    let mut operations = Vec::new();
    for (path, item) in &api.paths.paths {
        let path_pointer = format!("#/paths/{}", pointer_escape(path));
        let Some(item) = b.resolve(item, &path_pointer) else {
            continue;
        };
        let methods: [(Method, &Option<oa::Operation>); 8] = [
            (Method::Get, &item.get),
            (Method::Put, &item.put),
            (Method::Post, &item.post),
            (Method::Delete, &item.delete),
            (Method::Options, &item.options),
            (Method::Head, &item.head),
            (Method::Patch, &item.patch),
            (Method::Trace, &item.trace),
        ];
        for (method, op) in methods {
            if let Some(op) = op {
                let pointer = format!("{path_pointer}/{}", method.as_str().to_ascii_lowercase());
                operations.push(b.operation(
                    path,
                    method,
                    op,
                    &item.parameters,
                    &path_pointer,
                    &pointer,
                ));
            }
        }
    }
    dedupe_derived_ids(&mut operations);
    check_shared_routes(&operations, b.diags);
    for op in &operations {
        check_security_names(op, &security_schemes, b.diags);
    }

    // Schemas reached by `$ref`s into the middle of other schemas become named schemas.
    let mut schemas = schemas;
    for (name, schema) in std::mem::take(&mut b.synthetic) {
        schemas.entry(name).or_insert(schema);
    }
    let mut contract = Contract {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api.info.description.clone(),
        servers,
        security_schemes,
        schemas,
        operations,
        envelope: None,
    };
    contract.envelope = envelope::detect(&contract);
    contract
}

struct Builder<'a> {
    spec: &'a Spec,
    diags: &'a mut Diagnostics,
    /// Schemas reached by a `$ref` to a pointer that is not a component schema (into
    /// `#/paths/…`, or a property of a component), by their synthetic name. Expanding
    /// them inline at every use is exponential on specs whose refs point into each
    /// other's interiors (Azure's do); naming them once keeps the model linear.
    synthetic: BTreeMap<String, Schema>,
    /// The synthetic name of each such reference.
    synthetic_names: BTreeMap<String, String>,
}

impl Builder<'_> {
    fn resolve<T>(&mut self, item: &ReferenceOr<T>, _pointer: &str) -> Option<T>
    where
        T: serde::de::DeserializeOwned + Clone + crate::spec::ComponentLookup,
    {
        match self.spec.resolve(item) {
            Ok(v) => Some(v.into_owned()),
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    fn operation(
        &mut self,
        path: &str,
        method: Method,
        op: &oa::Operation,
        path_params: &[ReferenceOr<oa::Parameter>],
        path_pointer: &str,
        pointer: &str,
    ) -> Operation {
        let (id, id_derived) = match &op.operation_id {
            Some(id) if !id.trim().is_empty() => (id.clone(), false),
            _ => (derive_operation_id(method, path), true),
        };

        // Path-level parameters first; operation-level ones override by (name, in).
        let mut parameters: Vec<Parameter> = Vec::new();
        for (i, p) in path_params.iter().enumerate() {
            let ptr = format!("{path_pointer}/parameters/{i}");
            if let Some(p) = self.parameter(p, &ptr) {
                parameters.push(p);
            }
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let ptr = format!("{pointer}/parameters/{i}");
            if let Some(p) = self.parameter(p, &ptr) {
                match parameters
                    .iter_mut()
                    .find(|q| q.name == p.name && q.location == p.location)
                {
                    Some(existing) => *existing = p,
                    None => parameters.push(p),
                }
            }
        }
        let path = self.path_query_string(path, &mut parameters, pointer);
        let path = path.as_str();
        self.check_path_parameters(path, &parameters, pointer);

        let request_body = op.request_body.as_ref().and_then(|rb| {
            let ptr = format!("{pointer}/requestBody");
            let body = self.resolve(rb, &ptr)?;
            Some(RequestBody {
                required: body.required,
                description: body.description.clone(),
                content: self.content(&body.content, &format!("{ptr}/content")),
            })
        });

        let mut responses = Vec::new();
        for (status, item) in &op.responses.responses {
            let (status, key) = match status {
                oa::StatusCode::Code(c) => (ResponseStatus::Code(*c), c.to_string()),
                oa::StatusCode::Range(r) => (ResponseStatus::Range(*r), format!("{r}XX")),
            };
            let ptr = format!("{pointer}/responses/{key}");
            if let Some(r) = self.response(status, item, &ptr) {
                responses.push(r);
            }
        }
        if let Some(item) = &op.responses.default {
            let ptr = format!("{pointer}/responses/default");
            if let Some(r) = self.response(ResponseStatus::Default, item, &ptr) {
                responses.push(r);
            }
        }
        responses.sort_by_key(|r| r.status);
        if responses.is_empty() {
            self.diags.push(
                Diagnostic::warning(
                    "no-responses",
                    format!("{pointer}/responses"),
                    format!("operation `{id}` documents no response"),
                )
                .with_hint("document at least the success response"),
            );
        }

        let security = op
            .security
            .as_ref()
            .or(self.spec.openapi.security.as_ref())
            .map(|reqs| {
                reqs.iter()
                    .map(|r| r.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .collect()
            })
            .unwrap_or_default();

        Operation {
            id,
            id_derived,
            method,
            path: path.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            parameters,
            request_body,
            responses,
            security,
            pointer: pointer.to_owned(),
        }
    }

    /// `/uploads?convert={convert}`: a query string written into the path template (other
    /// tools accept it). Each `key={var}` pair becomes the query parameter `key`: the
    /// parameter the operation declares for `var` (in the path, as such templates are
    /// usually declared, or already in the query) moves there, or a required string one
    /// is added. Literal pairs (`?view=status`) stay in the path. One warning says so.
    /// Returns the path template without the moved pairs.
    fn path_query_string(
        &mut self,
        path: &str,
        parameters: &mut Vec<Parameter>,
        pointer: &str,
    ) -> String {
        let Some((base, query)) = path.split_once('?') else {
            return path.to_owned();
        };
        let mut kept: Vec<&str> = Vec::new();
        let mut moved: Vec<String> = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let vars: Vec<&str> = path_template_names(pair).collect();
            if vars.is_empty() {
                kept.push(pair);
                continue;
            }
            let literal_key = pair
                .split_once('=')
                .map(|(k, _)| k)
                .filter(|k| !k.is_empty() && !k.contains(['{', '}']));
            for var in vars {
                let wire = match (literal_key, vars_len(pair)) {
                    (Some(key), 1) => key,
                    _ => var,
                };
                if moved.iter().any(|m| m == wire) {
                    continue;
                }
                moved.push(wire.to_owned());
                let declared = parameters
                    .iter()
                    .position(|p| p.location == ParameterLocation::Path && p.name == var);
                let already_query = parameters
                    .iter()
                    .any(|p| p.location == ParameterLocation::Query && p.name == wire);
                match declared {
                    Some(i) if already_query => {
                        parameters.remove(i);
                    }
                    Some(i) => {
                        let p = &mut parameters[i];
                        p.name = wire.to_owned();
                        p.location = ParameterLocation::Query;
                        p.style = ParameterStyle::Form;
                        p.explode = true;
                    }
                    None if already_query => {}
                    None => parameters.push(Parameter {
                        name: wire.to_owned(),
                        location: ParameterLocation::Query,
                        required: true,
                        schema: Schema::new(SchemaKind::String(Default::default()), pointer),
                        description: None,
                        deprecated: false,
                        explode: true,
                        style: ParameterStyle::Form,
                        allow_empty_value: None,
                        media_type: None,
                        example: None,
                    }),
                }
            }
        }
        let rewritten = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        if !moved.is_empty() {
            let names = moved
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.diags.push(
                Diagnostic::warning(
                    "query-in-path",
                    pointer,
                    format!("path template `{path}` carries a query string; {names} read as query parameter(s) of `{rewritten}`"),
                )
                .with_hint(format!("write the path as `{rewritten}` and declare {names} with `in: query`")),
            );
        }
        rewritten
    }

    fn check_path_parameters(&mut self, path: &str, parameters: &[Parameter], pointer: &str) {
        let in_template: BTreeSet<&str> = path_template_names(path).collect();
        for name in &in_template {
            if !parameters
                .iter()
                .any(|p| p.location == ParameterLocation::Path && p.name == *name)
            {
                self.diags.push(
                    Diagnostic::error(
                        "undeclared-path-parameter",
                        pointer,
                        format!("path template `{path}` uses `{{{name}}}` but the operation declares no path parameter `{name}`"),
                    )
                    .with_hint(format!("add `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}` to parameters")),
                );
            }
        }
        for p in parameters
            .iter()
            .filter(|p| p.location == ParameterLocation::Path)
        {
            if !in_template.contains(p.name.as_str()) {
                self.diags.push(
                    Diagnostic::warning(
                        "unused-path-parameter",
                        pointer,
                        format!("path parameter `{}` does not appear in `{path}`", p.name),
                    )
                    .with_hint("remove the parameter or add it to the path template"),
                );
            }
        }
    }

    /// Reads one parameter; `None` when it is unresolvable (reported) or ignored by
    /// OpenAPI (noted).
    fn parameter(&mut self, item: &ReferenceOr<oa::Parameter>, pointer: &str) -> Option<Parameter> {
        let p = self.resolve(item, pointer)?;
        let (data, location, style, allow_empty_value) = match &p {
            oa::Parameter::Query {
                parameter_data,
                style,
                allow_empty_value,
                ..
            } => (
                parameter_data,
                ParameterLocation::Query,
                match style {
                    oa::QueryStyle::Form => ParameterStyle::Form,
                    oa::QueryStyle::SpaceDelimited => ParameterStyle::SpaceDelimited,
                    oa::QueryStyle::PipeDelimited => ParameterStyle::PipeDelimited,
                    oa::QueryStyle::DeepObject => ParameterStyle::DeepObject,
                },
                *allow_empty_value,
            ),
            oa::Parameter::Header { parameter_data, .. } => (
                parameter_data,
                ParameterLocation::Header,
                ParameterStyle::Simple,
                None,
            ),
            oa::Parameter::Path {
                parameter_data,
                style,
            } => (
                parameter_data,
                ParameterLocation::Path,
                match style {
                    oa::PathStyle::Simple => ParameterStyle::Simple,
                    oa::PathStyle::Label => ParameterStyle::Label,
                    oa::PathStyle::Matrix => ParameterStyle::Matrix,
                },
                None,
            ),
            oa::Parameter::Cookie { parameter_data, .. } => (
                parameter_data,
                ParameterLocation::Cookie,
                ParameterStyle::Form,
                None,
            ),
        };
        // OpenAPI: `explode` defaults to true for `form`, false for every other style.
        let explode_default = style == ParameterStyle::Form;
        // OpenAPI: header parameters named Accept, Content-Type or Authorization are
        // ignored (media types and security schemes say those). Dropped here, once, so no
        // consumer (client, stubs, mock, verifier) sends or demands them.
        if location == ParameterLocation::Header
            && IGNORED_HEADERS
                .iter()
                .any(|h| data.name.eq_ignore_ascii_case(h))
        {
            self.diags.push(
                Diagnostic::note(
                    "ignored-header-parameter",
                    pointer,
                    format!(
                        "header parameter `{}` is ignored, as OpenAPI specifies",
                        data.name
                    ),
                )
                .with_hint("describe it with the request body's media type or a security scheme"),
            );
            return None;
        }
        let ptr = match item {
            ReferenceOr::Reference { reference } => reference.clone(),
            ReferenceOr::Item(_) => pointer.to_owned(),
        };
        let media_type = match &data.format {
            oa::ParameterSchemaOrContent::Content(content) => content.keys().next().cloned(),
            oa::ParameterSchemaOrContent::Schema(_) => None,
        };
        let schema = match &data.format {
            oa::ParameterSchemaOrContent::Schema(s) => self.schema(s, &format!("{ptr}/schema")),
            oa::ParameterSchemaOrContent::Content(content) => {
                match content
                    .iter()
                    .next()
                    .and_then(|(media, m)| m.schema.as_ref().map(|s| (media, s)))
                {
                    Some((media, s)) => self.schema(
                        s,
                        &format!("{ptr}/content/{}/schema", pointer_escape(media)),
                    ),
                    None => Schema::new(SchemaKind::Any, &ptr),
                }
            }
        };
        let example = data.example.clone().or_else(|| {
            data.examples.values().find_map(|e| match e {
                ReferenceOr::Item(e) => e.value.clone(),
                ReferenceOr::Reference { .. } => None,
            })
        });
        Some(Parameter {
            name: data.name.clone(),
            location,
            required: data.required || location == ParameterLocation::Path,
            schema,
            description: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
            explode: data.explode.unwrap_or(explode_default),
            style,
            allow_empty_value,
            media_type,
            example,
        })
    }

    fn response(
        &mut self,
        status: ResponseStatus,
        item: &ReferenceOr<oa::Response>,
        pointer: &str,
    ) -> Option<Response> {
        let base = match item {
            ReferenceOr::Reference { reference } => reference.clone(),
            ReferenceOr::Item(_) => pointer.to_owned(),
        };
        let r = self.resolve(item, pointer)?;
        let mut headers = BTreeMap::new();
        for (name, h) in &r.headers {
            let ptr = format!("{base}/headers/{}", pointer_escape(name));
            if let Some(h) = self.resolve(h, &ptr) {
                let schema = match &h.format {
                    oa::ParameterSchemaOrContent::Schema(s) => {
                        self.schema(s, &format!("{ptr}/schema"))
                    }
                    oa::ParameterSchemaOrContent::Content(_) => Schema::new(SchemaKind::Any, &ptr),
                };
                headers.insert(
                    name.clone(),
                    Header {
                        required: h.required,
                        description: h.description.clone(),
                        schema,
                    },
                );
            }
        }
        Some(Response {
            status,
            description: r.description.clone(),
            headers,
            content: self.content(&r.content, &format!("{base}/content")),
        })
    }

    fn content(
        &mut self,
        content: &indexmap::IndexMap<String, oa::MediaType>,
        pointer: &str,
    ) -> BTreeMap<String, MediaType> {
        let mut out = BTreeMap::new();
        for (media, m) in content {
            let ptr = format!("{pointer}/{}", pointer_escape(media));
            let schema = m
                .schema
                .as_ref()
                .map(|s| self.schema(s, &format!("{ptr}/schema")));
            let mut examples = BTreeMap::new();
            if let Some(v) = &m.example {
                examples.insert(
                    String::new(),
                    Example {
                        summary: None,
                        value: v.clone(),
                        pointer: format!("{ptr}/example"),
                    },
                );
            }
            for (name, e) in &m.examples {
                let eptr = format!("{ptr}/examples/{}", pointer_escape(name));
                if let Some(e) = self.resolve(e, &eptr) {
                    match e.value {
                        Some(value) => {
                            examples.insert(
                                name.clone(),
                                Example {
                                    summary: e.summary.clone(),
                                    value,
                                    pointer: format!("{eptr}/value"),
                                },
                            );
                        }
                        None => self.diags.push(
                            Diagnostic::note(
                                "external-example",
                                eptr,
                                format!("example `{name}` has no inline `value`; it is ignored"),
                            )
                            .with_hint("inline the example with `value:`"),
                        ),
                    }
                }
            }
            out.insert(media.clone(), MediaType { schema, examples });
        }
        out
    }

    fn schema(&mut self, item: &ReferenceOr<oa::Schema>, pointer: &str) -> Schema {
        match item {
            ReferenceOr::Item(s) => self.schema_item(s, pointer),
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
        }
    }

    fn boxed(&mut self, item: &ReferenceOr<Box<oa::Schema>>, pointer: &str) -> Schema {
        match item {
            ReferenceOr::Item(s) => self.schema_item(s, pointer),
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
        }
    }

    fn schema_ref(&mut self, reference: &str, pointer: &str) -> Schema {
        if let Some(("schemas", name)) = component_name(reference)
            .as_ref()
            .map(|(k, n)| (*k, n.clone()))
        {
            let known = self
                .spec
                .openapi
                .components
                .as_ref()
                .is_some_and(|c| c.schemas.contains_key(&name));
            if known {
                return Schema::new(SchemaKind::Ref(name), pointer);
            }
        }
        // Any other pointer (into #/paths/…, or a property of a component): a named schema
        // of its own, converted once. A reference back to it while it is being converted
        // is a plain reference, so recursion needs no special case.
        if let Some(name) = self.synthetic_names.get(reference) {
            return Schema::new(SchemaKind::Ref(name.clone()), pointer);
        }
        let item: ReferenceOr<oa::Schema> = ReferenceOr::Reference {
            reference: reference.to_owned(),
        };
        let Some(resolved) = self.resolve(&item, pointer) else {
            return Schema::new(SchemaKind::Any, pointer);
        };
        let name = self.synthetic_name(reference);
        self.synthetic_names
            .insert(reference.to_owned(), name.clone());
        self.synthetic
            .insert(name.clone(), Schema::new(SchemaKind::Any, reference));
        let converted = self.schema_item(&resolved, reference);
        self.synthetic.insert(name.clone(), converted);
        Schema::new(SchemaKind::Ref(name), pointer)
    }

    /// `#/components/schemas/Pet/properties/owner` → `Pet.owner` (and
    /// `…/Item/definitions/itemType` or `…/Item/$defs/itemType` → `Item.itemType`): the meaningful segments,
    /// unique among component and synthetic names.
    fn synthetic_name(&self, reference: &str) -> String {
        let skip = [
            "#",
            "components",
            "schemas",
            "properties",
            "definitions",
            "$defs",
            "paths",
            "content",
            "schema",
        ];
        let base: Vec<String> = reference
            .split('/')
            .filter(|s| !skip.contains(s))
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect();
        let base = if base.is_empty() {
            "Inline".to_owned()
        } else {
            base.join(".")
        };
        let taken = |n: &str| {
            self.synthetic.contains_key(n)
                || self
                    .spec
                    .openapi
                    .components
                    .as_ref()
                    .is_some_and(|c| c.schemas.contains_key(n))
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while taken(&candidate) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        candidate
    }

    fn schema_item(&mut self, s: &oa::Schema, pointer: &str) -> Schema {
        let d = &s.schema_data;
        let kind = match &s.schema_kind {
            oa::SchemaKind::Type(t) => self.typed(t, pointer),
            oa::SchemaKind::OneOf { one_of } => SchemaKind::OneOf {
                variants: self.list(one_of, &format!("{pointer}/oneOf")),
                discriminator: d.discriminator.as_ref().map(discriminator),
            },
            oa::SchemaKind::AnyOf { any_of } => SchemaKind::AnyOf {
                variants: self.list(any_of, &format!("{pointer}/anyOf")),
                discriminator: d.discriminator.as_ref().map(discriminator),
            },
            oa::SchemaKind::AllOf { all_of } => {
                SchemaKind::AllOf(self.list(all_of, &format!("{pointer}/allOf")))
            }
            oa::SchemaKind::Not { not } => {
                SchemaKind::Not(Box::new(self.schema(not, &format!("{pointer}/not"))))
            }
            oa::SchemaKind::Any(a) => self.any(a, d, pointer),
        };
        let kind = match kind {
            SchemaKind::Integer(mut i) => {
                i.varnames = enum_varnames(d, i.enumeration.len());
                SchemaKind::Integer(i)
            }
            other => other,
        };
        let mut schema = Schema::new(kind, pointer);
        schema.type_implied = matches!(&s.schema_kind, oa::SchemaKind::Any(a) if a.typ.is_none())
            && matches!(
                schema.kind,
                SchemaKind::Object(_)
                    | SchemaKind::Array(_)
                    | SchemaKind::String(_)
                    | SchemaKind::Integer(_)
                    | SchemaKind::Number(_)
            );
        // `enum: [a, null]` admits null whatever `nullable` says.
        schema.nullable = d.nullable
            || matches!(&s.schema_kind, oa::SchemaKind::Any(a) if a.enumeration.iter().any(Value::is_null));
        schema.title = d.title.clone();
        schema.description = d.description.clone();
        schema.default = d.default.clone();
        schema.example = d.example.clone();
        schema.read_only = d.read_only;
        schema.write_only = d.write_only;
        schema.deprecated = d.deprecated;
        schema
    }

    fn list(&mut self, items: &[ReferenceOr<oa::Schema>], pointer: &str) -> Vec<Schema> {
        items
            .iter()
            .enumerate()
            .map(|(i, s)| self.schema(s, &format!("{pointer}/{i}")))
            .collect()
    }

    fn typed(&mut self, t: &oa::Type, pointer: &str) -> SchemaKind {
        match t {
            oa::Type::Boolean(_) => SchemaKind::Boolean,
            oa::Type::String(s) => SchemaKind::String(StringSchema {
                format: format_name(&s.format),
                min_length: s.min_length,
                max_length: s.max_length,
                pattern: s.pattern.clone(),
                enumeration: s.enumeration.iter().flatten().cloned().collect(),
            }),
            oa::Type::Integer(i) => SchemaKind::Integer(IntegerSchema {
                format: format_name(&i.format),
                minimum: i.minimum,
                maximum: i.maximum,
                exclusive_minimum: i.exclusive_minimum,
                exclusive_maximum: i.exclusive_maximum,
                multiple_of: i.multiple_of,
                enumeration: i.enumeration.iter().flatten().copied().collect(),
                varnames: Vec::new(),
            }),
            oa::Type::Number(n) => SchemaKind::Number(NumberSchema {
                format: format_name(&n.format),
                minimum: n.minimum,
                maximum: n.maximum,
                exclusive_minimum: n.exclusive_minimum,
                exclusive_maximum: n.exclusive_maximum,
                multiple_of: n.multiple_of,
                enumeration: n.enumeration.iter().flatten().copied().collect(),
            }),
            oa::Type::Array(a) => SchemaKind::Array(ArraySchema {
                items: Box::new(match &a.items {
                    Some(items) => self.boxed(items, &format!("{pointer}/items")),
                    None => Schema::new(SchemaKind::Any, format!("{pointer}/items")),
                }),
                min_items: a.min_items,
                max_items: a.max_items,
                unique_items: a.unique_items,
            }),
            oa::Type::Object(o) => SchemaKind::Object(self.object(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                o.min_properties,
                o.max_properties,
                pointer,
            )),
        }
    }

    fn object(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<oa::Schema>>>,
        required: &[String],
        additional: Option<&oa::AdditionalProperties>,
        min_properties: Option<usize>,
        max_properties: Option<usize>,
        pointer: &str,
    ) -> ObjectSchema {
        let properties: Vec<Property> = properties
            .iter()
            .map(|(name, s)| Property {
                name: name.clone(),
                schema: self.boxed(s, &format!("{pointer}/properties/{}", pointer_escape(name))),
                required: required.iter().any(|r| r == name),
            })
            .collect();
        let additional = match additional {
            None => AdditionalProperties::Unspecified,
            Some(oa::AdditionalProperties::Any(false)) => AdditionalProperties::Forbidden,
            Some(oa::AdditionalProperties::Any(true)) => AdditionalProperties::Any,
            Some(oa::AdditionalProperties::Schema(s)) => {
                let schema = self.schema(s, &format!("{pointer}/additionalProperties"));
                if matches!(schema.kind, SchemaKind::Any) && !schema.nullable {
                    AdditionalProperties::Any
                } else {
                    AdditionalProperties::Schema(Box::new(schema))
                }
            }
        };
        let required_elsewhere = required
            .iter()
            .filter(|r| !properties.iter().any(|p: &Property| p.name == **r))
            .cloned()
            .collect();
        ObjectSchema {
            properties,
            additional,
            min_properties,
            max_properties,
            required_elsewhere,
        }
    }

    /// A schema without `type` (or with one openapiv3 did not recognise): infer from its keywords.
    fn any(&mut self, a: &oa::AnySchema, d: &oa::SchemaData, pointer: &str) -> SchemaKind {
        let non_null_enum: Vec<&Value> = a.enumeration.iter().filter(|v| !v.is_null()).collect();
        if !a.enumeration.is_empty() && non_null_enum.is_empty() {
            return SchemaKind::Null;
        }
        let mut parts = Vec::new();
        if !a.all_of.is_empty() {
            parts.extend(self.list(&a.all_of, &format!("{pointer}/allOf")));
        }
        let own = match a.typ.as_deref() {
            Some("string") => Some(SchemaKind::String(StringSchema {
                format: a.format.clone(),
                min_length: a.min_length,
                max_length: a.max_length,
                pattern: a.pattern.clone(),
                enumeration: non_null_enum
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            })),
            Some("integer") => Some(SchemaKind::Integer(IntegerSchema {
                format: a.format.clone(),
                minimum: a.minimum.map(|m| m as i64),
                maximum: a.maximum.map(|m| m as i64),
                exclusive_minimum: a.exclusive_minimum.unwrap_or(false),
                exclusive_maximum: a.exclusive_maximum.unwrap_or(false),
                multiple_of: a.multiple_of.map(|m| m as i64),
                enumeration: non_null_enum.iter().filter_map(|v| v.as_i64()).collect(),
                varnames: Vec::new(),
            })),
            Some("number") => Some(SchemaKind::Number(NumberSchema {
                format: a.format.clone(),
                minimum: a.minimum,
                maximum: a.maximum,
                exclusive_minimum: a.exclusive_minimum.unwrap_or(false),
                exclusive_maximum: a.exclusive_maximum.unwrap_or(false),
                multiple_of: a.multiple_of,
                enumeration: non_null_enum.iter().filter_map(|v| v.as_f64()).collect(),
            })),
            Some("boolean") => Some(SchemaKind::Boolean),
            Some("array") | None if a.items.is_some() => Some(SchemaKind::Array(ArraySchema {
                items: Box::new(match &a.items {
                    Some(items) => self.boxed(items, &format!("{pointer}/items")),
                    None => Schema::new(SchemaKind::Any, format!("{pointer}/items")),
                }),
                min_items: a.min_items,
                max_items: a.max_items,
                unique_items: a.unique_items.unwrap_or(false),
            })),
            Some("object") | None
                if a.typ.is_some()
                    || !a.properties.is_empty()
                    || a.additional_properties.is_some() =>
            {
                Some(SchemaKind::Object(self.object(
                    &a.properties,
                    &a.required,
                    a.additional_properties.as_ref(),
                    a.min_properties,
                    a.max_properties,
                    pointer,
                )))
            }
            Some(other) => {
                self.diags.push(
                    Diagnostic::warning(
                        "unknown-type",
                        pointer,
                        format!("unknown schema type `{other}`; typed as any value"),
                    )
                    .with_hint("use one of string, number, integer, boolean, array, object"),
                );
                None
            }
            None => None,
        };
        // `enum` without `type`: its values say the type. The enum still binds (a response
        // with any other value breaks the contract); only a mix of kinds stays untyped.
        let own = match own {
            None if !non_null_enum.is_empty() => {
                let inferred = enum_kind(&non_null_enum);
                if inferred.is_none() && parts.is_empty() {
                    self.diags.push(
                        Diagnostic::note(
                            "untyped-enum",
                            pointer,
                            "`enum` without `type` mixes kinds of values; accepted as any value",
                        )
                        .with_hint("add `type:` to the schema"),
                    );
                }
                inferred
            }
            own => own,
        };
        let variants = |b: &mut Self, list: &[ReferenceOr<oa::Schema>], key: &str| {
            b.list(list, &format!("{pointer}/{key}"))
        };
        let one_of = (!a.one_of.is_empty()).then(|| SchemaKind::OneOf {
            variants: variants(self, &a.one_of, "oneOf"),
            discriminator: d.discriminator.as_ref().map(discriminator),
        });
        let any_of = (!a.any_of.is_empty()).then(|| SchemaKind::AnyOf {
            variants: variants(self, &a.any_of, "anyOf"),
            discriminator: d.discriminator.as_ref().map(discriminator),
        });
        let not = a
            .not
            .as_ref()
            .map(|n| SchemaKind::Not(Box::new(self.schema(n, &format!("{pointer}/not")))));
        let implied = a.typ.is_none();
        if let Some(kind) = own {
            let mut part = Schema::new(kind, pointer);
            part.type_implied = implied;
            parts.push(part);
        }
        for kind in [one_of, any_of, not].into_iter().flatten() {
            parts.push(Schema::new(kind, pointer));
        }
        match parts.len() {
            0 => SchemaKind::Any,
            1 if a.all_of.is_empty() => parts.remove(0).kind,
            _ => SchemaKind::AllOf(parts),
        }
    }
}

/// The kind an `enum` without `type` implies: all strings, all integers or all numbers.
fn enum_kind(values: &[&Value]) -> Option<SchemaKind> {
    if values.iter().all(|v| v.is_string()) {
        return Some(SchemaKind::String(StringSchema {
            enumeration: values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            ..StringSchema::default()
        }));
    }
    if values.iter().all(|v| v.is_i64()) {
        return Some(SchemaKind::Integer(IntegerSchema {
            enumeration: values.iter().filter_map(|v| v.as_i64()).collect(),
            ..IntegerSchema::default()
        }));
    }
    if values.iter().all(|v| v.is_number()) {
        return Some(SchemaKind::Number(NumberSchema {
            enumeration: values.iter().filter_map(|v| v.as_f64()).collect(),
            ..NumberSchema::default()
        }));
    }
    None
}

fn discriminator(d: &oa::Discriminator) -> Discriminator {
    Discriminator {
        property: d.property_name.clone(),
        mapping: d
            .mapping
            .iter()
            .map(|(tag, target)| {
                let name = component_name(target)
                    .map(|(_, n)| n)
                    .unwrap_or_else(|| target.clone());
                (tag.clone(), name)
            })
            .collect(),
    }
}

fn format_name<T: std::fmt::Debug>(f: &oa::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        oa::VariantOrUnknownOrEmpty::Item(item) => Some(kebab(&format!("{item:?}"))),
        oa::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        oa::VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// `DateTime` → `date-time`, `Int32` → `int32` (openapiv3's format variants are the
/// spec's names in CamelCase).
fn kebab(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn security_scheme(name: &str, s: &oa::SecurityScheme) -> SecurityScheme {
    let (kind, description) = match s {
        oa::SecurityScheme::HTTP {
            scheme,
            bearer_format,
            description,
            ..
        } => {
            let kind = match scheme.to_ascii_lowercase().as_str() {
                "bearer" => SecuritySchemeKind::Bearer {
                    format: bearer_format.clone(),
                },
                "basic" => SecuritySchemeKind::Basic,
                _ => SecuritySchemeKind::OtherHttp {
                    scheme: scheme.clone(),
                },
            };
            (kind, description.clone())
        }
        oa::SecurityScheme::APIKey {
            location,
            name,
            description,
            ..
        } => {
            let location = match location {
                oa::APIKeyLocation::Query => ParameterLocation::Query,
                oa::APIKeyLocation::Header => ParameterLocation::Header,
                oa::APIKeyLocation::Cookie => ParameterLocation::Cookie,
            };
            (
                SecuritySchemeKind::ApiKey {
                    location,
                    name: name.clone(),
                },
                description.clone(),
            )
        }
        oa::SecurityScheme::OAuth2 { description, .. } => {
            (SecuritySchemeKind::OAuth2, description.clone())
        }
        oa::SecurityScheme::OpenIDConnect { description, .. } => {
            (SecuritySchemeKind::OAuth2, description.clone())
        }
    };
    SecurityScheme {
        name: name.to_owned(),
        kind,
        description,
    }
}

fn check_security_names(
    op: &Operation,
    schemes: &BTreeMap<String, SecurityScheme>,
    diags: &mut Diagnostics,
) {
    for alt in &op.security {
        for name in alt.keys() {
            if !schemes.contains_key(name) {
                diags.push(
                    Diagnostic::error(
                        "unknown-security-scheme",
                        format!("{}/security", op.pointer),
                        format!("operation `{}` requires security scheme `{name}`, which components.securitySchemes does not define", op.id),
                    )
                    .with_hint(format!("define `{name}` under components.securitySchemes or fix the name")),
                );
            }
        }
    }
}

fn server_url(s: &oa::Server) -> String {
    let mut url = s.url.clone();
    if let Some(vars) = &s.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    url
}

/// Names between braces in a path template, in order.
fn vars_len(pair: &str) -> usize {
    path_template_names(pair).count()
}

pub(crate) fn path_template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// Header parameters OpenAPI says to ignore (case-insensitive).
const IGNORED_HEADERS: [&str; 3] = ["accept", "content-type", "authorization"];

/// `get /pets/{petId}/toys` → `get_pets_petId_toys`.
fn derive_operation_id(method: Method, path: &str) -> String {
    let mut id = method.as_str().to_ascii_lowercase();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let cleaned: String = segment
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '_' })
            .collect();
        let cleaned = cleaned.trim_matches('_');
        if !cleaned.is_empty() {
            id.push('_');
            if segment.starts_with('{') {
                id.push_str("by_");
            }
            id.push_str(cleaned);
        }
    }
    id
}

/// Derived ids can collide with each other or with written ones; suffix them deterministically.
/// Operations that a router cannot tell apart: the same method on path templates that
/// differ only in their variables' names. Query strings written into paths (moved to the
/// query by `query-in-path`) make such pairs. Servers route each to the first one.
fn check_shared_routes(operations: &[Operation], diags: &mut Diagnostics) {
    let mut first: BTreeMap<(String, &str), &Operation> = BTreeMap::new();
    for op in operations {
        let key = (route_shape(&op.path), op.method.as_str());
        match first.get(&key) {
            None => {
                first.insert(key, op);
            }
            Some(earlier) => diags.push(
                Diagnostic::warning(
                    "shared-route",
                    &op.pointer,
                    format!(
                        "`{}` is `{} {}`, like `{}`: a server can route one of them only, so generated servers route `{}` and not this one",
                        op.id, op.method.as_str(), op.path, earlier.id, earlier.id
                    ),
                )
                .with_hint("give each operation its own path (a query parameter does not tell routes apart)"),
            ),
        }
    }
}

/// A path template with its variables' names dropped (`/a/{id}` → `/a/{}`).
pub(crate) fn route_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_var = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_var = true;
                out.push('{');
            }
            '}' if in_var => {
                in_var = false;
                out.push('}');
            }
            _ if in_var => {}
            _ => out.push(c),
        }
    }
    out
}

fn dedupe_derived_ids(operations: &mut [Operation]) {
    let mut taken: BTreeSet<String> = operations
        .iter()
        .filter(|o| !o.id_derived)
        .map(|o| o.id.clone())
        .collect();
    for op in operations.iter_mut().filter(|o| o.id_derived) {
        let base = op.id.clone();
        let mut candidate = base.clone();
        let mut n = 2;
        while taken.contains(&candidate) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(candidate.clone());
        op.id = candidate;
    }
}

/// `x-enum-varnames` (also spelled `x-enumNames`): one string per `enum` value, or nothing.
fn enum_varnames(d: &oa::SchemaData, values: usize) -> Vec<String> {
    let names = ["x-enum-varnames", "x-enumNames"]
        .iter()
        .find_map(|k| d.extensions.get(*k))
        .and_then(Value::as_array);
    match names {
        Some(names) if names.len() == values && names.iter().all(Value::is_string) => names
            .iter()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}
