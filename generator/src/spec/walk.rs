//! Where things live in an OpenAPI document.
//!
//! A generic "find every `$ref` key" walk is wrong: `$ref`, `type` or `const`
//! may be property *names* (`properties: {type: …}`) or literal data inside
//! `example`, `default` and `x-…` extensions. So the loader walks the raw tree
//! structurally: [`child_kind`] says what each child of a node of a given
//! [`Kind`] is, and the walk only descends into children it knows. One table
//! serves normalisation (which needs to find every schema), the `$ref` check
//! and the refinement of shape errors.

use serde_json::Value;

use super::pointer::push_segment;

/// What a node of the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Document,
    Paths,
    PathItem,
    Operation,
    ParameterList,
    Parameter,
    RequestBody,
    Responses,
    Response,
    Content,
    MediaType,
    EncodingMap,
    Encoding,
    Header,
    Schema,
    SchemaList,
    Discriminator,
    Mapping,
    Example,
    Link,
    Callback,
    SecurityScheme,
    Components,
    /// `name → item` map whose items are `.0` (components, `properties`, …).
    MapOf(Named),
    /// Anything the walk does not look into.
    Other,
}

/// The kinds that can appear as items of a name map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Named {
    Schema,
    Response,
    Parameter,
    Example,
    RequestBody,
    Header,
    SecurityScheme,
    Link,
    Callback,
    PathItem,
}

impl Named {
    fn kind(self) -> Kind {
        match self {
            Named::Schema => Kind::Schema,
            Named::Response => Kind::Response,
            Named::Parameter => Kind::Parameter,
            Named::Example => Kind::Example,
            Named::RequestBody => Kind::RequestBody,
            Named::Header => Kind::Header,
            Named::SecurityScheme => Kind::SecurityScheme,
            Named::Link => Kind::Link,
            Named::Callback => Kind::Callback,
            Named::PathItem => Kind::PathItem,
        }
    }
}

impl Kind {
    /// Nodes that may be a Reference Object instead.
    pub(crate) fn is_referable(self) -> bool {
        self.component_kind().is_some()
    }

    /// The `#/components/<kind>` section holding nodes of this kind.
    pub(crate) fn component_kind(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Response => "responses",
            Kind::Parameter => "parameters",
            Kind::Example => "examples",
            Kind::RequestBody => "requestBodies",
            Kind::Header => "headers",
            Kind::SecurityScheme => "securitySchemes",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::PathItem => "pathItems",
            _ => return None,
        })
    }

    /// Human name for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::Response => "response",
            Kind::Parameter => "parameter",
            Kind::Example => "example",
            Kind::RequestBody => "request body",
            Kind::Header => "header",
            Kind::SecurityScheme => "security scheme",
            Kind::Link => "link",
            Kind::Callback => "callback",
            Kind::PathItem => "path item",
            Kind::Operation => "operation",
            Kind::MediaType => "media type",
            _ => "node",
        }
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The kind of the child `key` (an object key or an array index) of a `parent` node.
pub(crate) fn child_kind(parent: Kind, key: &str, child: &Value) -> Kind {
    let extension = key.starts_with("x-");
    match parent {
        Kind::Document => match key {
            "paths" => Kind::Paths,
            "components" => Kind::Components,
            _ => Kind::Other,
        },
        Kind::Paths if !extension => Kind::PathItem,
        Kind::PathItem => match key {
            "parameters" => Kind::ParameterList,
            k if METHODS.contains(&k) => Kind::Operation,
            _ => Kind::Other,
        },
        Kind::Operation => match key {
            "parameters" => Kind::ParameterList,
            "requestBody" => Kind::RequestBody,
            "responses" => Kind::Responses,
            "callbacks" => Kind::MapOf(Named::Callback),
            _ => Kind::Other,
        },
        Kind::ParameterList => Kind::Parameter,
        Kind::Parameter | Kind::Header => match key {
            "schema" => Kind::Schema,
            "content" => Kind::Content,
            "examples" => Kind::MapOf(Named::Example),
            _ => Kind::Other,
        },
        Kind::RequestBody => match key {
            "content" => Kind::Content,
            _ => Kind::Other,
        },
        Kind::Responses if !extension => Kind::Response,
        Kind::Response => match key {
            "headers" => Kind::MapOf(Named::Header),
            "content" => Kind::Content,
            "links" => Kind::MapOf(Named::Link),
            _ => Kind::Other,
        },
        Kind::Content => Kind::MediaType,
        Kind::MediaType => match key {
            "schema" => Kind::Schema,
            "examples" => Kind::MapOf(Named::Example),
            "encoding" => Kind::EncodingMap,
            _ => Kind::Other,
        },
        Kind::EncodingMap => Kind::Encoding,
        Kind::Encoding => match key {
            "headers" => Kind::MapOf(Named::Header),
            _ => Kind::Other,
        },
        Kind::Callback if !extension => Kind::PathItem,
        Kind::Components => match key {
            "schemas" => Kind::MapOf(Named::Schema),
            "responses" => Kind::MapOf(Named::Response),
            "parameters" => Kind::MapOf(Named::Parameter),
            "examples" => Kind::MapOf(Named::Example),
            "requestBodies" => Kind::MapOf(Named::RequestBody),
            "headers" => Kind::MapOf(Named::Header),
            "securitySchemes" => Kind::MapOf(Named::SecurityScheme),
            "links" => Kind::MapOf(Named::Link),
            "callbacks" => Kind::MapOf(Named::Callback),
            "pathItems" => Kind::MapOf(Named::PathItem),
            _ => Kind::Other,
        },
        Kind::MapOf(item) => item.kind(),
        Kind::Schema => match key {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                Kind::MapOf(Named::Schema)
            }
            "allOf" | "oneOf" | "anyOf" | "prefixItems" => Kind::SchemaList,
            "items" if child.is_array() => Kind::SchemaList,
            "items" | "not" | "contains" | "propertyNames" | "if" | "then" | "else"
            | "additionalItems" | "unevaluatedItems" => Kind::Schema,
            // `true`/`false` are meaningful as they are there (openapiv3 reads the boolean).
            "additionalProperties" | "unevaluatedProperties" if child.is_object() => Kind::Schema,
            "discriminator" => Kind::Discriminator,
            _ => Kind::Other,
        },
        Kind::SchemaList => Kind::Schema,
        Kind::Discriminator => match key {
            "mapping" => Kind::Mapping,
            _ => Kind::Other,
        },
        _ => Kind::Other,
    }
}

/// What the walk reports.
pub(crate) trait Hook {
    /// Every schema position, before its `$ref` is looked at and before its
    /// children are visited; may rewrite the node.
    fn schema(&mut self, _pointer: &str, _node: &mut Value) {}
    /// A Reference Object at `pointer` (the object, not its `$ref` key).
    fn reference(&mut self, _pointer: &str, _kind: Kind, _reference: &str) {}
    /// A discriminator mapping value at `pointer`.
    fn mapping(&mut self, _pointer: &str, _target: &str) {}
    /// An operation's `operationId`; `pointer` is the operation.
    fn operation_id(&mut self, _pointer: &str, _id: &str) {}
}

/// Walks `node` of kind `kind` at `pointer` (restored on return).
pub(crate) fn walk(node: &mut Value, kind: Kind, pointer: &mut String, hook: &mut impl Hook) {
    if kind == Kind::Schema {
        hook.schema(pointer, node);
    }
    if kind.is_referable()
        && let Some(Value::String(reference)) = node.get("$ref")
    {
        hook.reference(pointer, kind, reference);
        return;
    }
    if kind == Kind::Operation
        && let Some(Value::String(id)) = node.get("operationId")
    {
        hook.operation_id(pointer, id);
    }
    let len = pointer.len();
    match node {
        Value::Object(map) if kind == Kind::Mapping => {
            for (key, value) in map.iter() {
                if let Value::String(target) = value {
                    push_segment(pointer, key);
                    hook.mapping(pointer, target);
                    pointer.truncate(len);
                }
            }
        }
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let ck = child_kind(kind, key, child);
                if ck != Kind::Other {
                    push_segment(pointer, key);
                    walk(child, ck, pointer, hook);
                    pointer.truncate(len);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                let index = i.to_string();
                let ck = child_kind(kind, &index, child);
                if ck != Kind::Other {
                    push_segment(pointer, &index);
                    walk(child, ck, pointer, hook);
                    pointer.truncate(len);
                }
            }
        }
        _ => {}
    }
}

/// The kind of the node at `segments` (following the raw tree, which decides
/// whether `items` is one schema or a list).
pub(crate) fn kind_at(root: &Value, segments: &[String]) -> Kind {
    let mut kind = Kind::Document;
    let mut node = root;
    for seg in segments {
        let Some(child) = super::pointer::child(node, seg) else {
            return Kind::Other;
        };
        kind = child_kind(kind, seg, child);
        if kind == Kind::Other {
            return kind;
        }
        node = child;
    }
    kind
}
