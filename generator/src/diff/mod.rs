//! Breaking-change detection: what changed between two versions of a contract, and whom
//! each change breaks.
//!
//! [`compare`] matches operations by `operationId` (falling back to method and path),
//! then compares parameters, request bodies, responses, security and, through `$ref`s and
//! `allOf`s, every schema they use. Each [`Change`] says whether it is breaking for
//! clients and for servers:
//!
//! - **breaks clients**: a client written against OLD can fail against a server that
//!   implements NEW (a request it sends is now rejected, an answer it gets is now
//!   something it does not expect);
//! - **breaks servers**: a server written against OLD does not implement NEW (a request
//!   valid under NEW is rejected or not understood by it, or an answer it sends is not
//!   valid under NEW).
//!
//! For schemas this is one rule applied everywhere: in requests, accepting fewer values
//! breaks clients and accepting more breaks servers; in responses, promising more
//! possible values (a field removed, made optional or nullable, an enum value added)
//! breaks clients and promising fewer breaks servers.

mod output;
mod schema;

pub use output::to_json;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{
    Contract, Operation, Parameter, ParameterLocation, RequestBody, Response, ResponseStatus,
    SecurityRequirement, SecuritySchemeKind,
};

/// Who a change breaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Breaking {
    /// Clients written against the old contract can fail against the new one.
    pub client: bool,
    /// Servers written against the old contract do not implement the new one.
    pub server: bool,
}

impl Breaking {
    /// Breaks nobody.
    pub const NONE: Breaking = Breaking {
        client: false,
        server: false,
    };
    /// Breaks clients only.
    pub const CLIENT: Breaking = Breaking {
        client: true,
        server: false,
    };
    /// Breaks servers only.
    pub const SERVER: Breaking = Breaking {
        client: false,
        server: true,
    };
    /// Breaks both sides.
    pub const BOTH: Breaking = Breaking {
        client: true,
        server: true,
    };

    /// True when it breaks anyone.
    pub fn any(self) -> bool {
        self.client || self.server
    }

    fn or(self, other: Breaking) -> Breaking {
        Breaking {
            client: self.client || other.client,
            server: self.server || other.server,
        }
    }
}

/// What kind of change, with a stable kebab-case code ([`ChangeKind::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// An operation of OLD is not in NEW.
    OperationRemoved,
    /// NEW has an operation OLD does not.
    OperationAdded,
    /// The operation (same operationId) moved to another path or method.
    OperationMoved,
    /// The operation (same method and path) has another operationId.
    OperationIdChanged,
    /// The operation became deprecated.
    OperationDeprecated,
    /// An optional parameter was added.
    ParameterAdded,
    /// A required parameter was added.
    RequiredParameterAdded,
    /// A parameter was removed.
    ParameterRemoved,
    /// An optional parameter became required.
    ParameterMadeRequired,
    /// A required parameter became optional.
    ParameterMadeOptional,
    /// The operation takes a request body now.
    RequestBodyAdded,
    /// The operation takes no request body any more.
    RequestBodyRemoved,
    /// The request body became required.
    RequestBodyMadeRequired,
    /// The request body became optional.
    RequestBodyMadeOptional,
    /// A media type of a request body or response was added.
    MediaTypeAdded,
    /// A media type of a request body or response was removed.
    MediaTypeRemoved,
    /// A documented response status (or range, or `default`) was added.
    ResponseStatusAdded,
    /// A documented response status (or range, or `default`) was removed.
    ResponseStatusRemoved,
    /// The operation needs credentials now.
    SecurityAdded,
    /// The operation needs no credentials any more.
    SecurityRemoved,
    /// The accepted credentials changed (schemes, scopes, or a scheme's definition).
    SecurityChanged,
    /// An optional property was added to an object.
    PropertyAdded,
    /// A required property was added to an object.
    RequiredPropertyAdded,
    /// A property was removed from an object.
    PropertyRemoved,
    /// An optional property became required.
    PropertyMadeRequired,
    /// A required property became optional.
    PropertyMadeOptional,
    /// The type changed (widened, narrowed or replaced).
    TypeChanged,
    /// `null` is allowed now.
    NullableAdded,
    /// `null` is not allowed any more.
    NullableRemoved,
    /// An enum gained values.
    EnumValueAdded,
    /// An enum lost values.
    EnumValueRemoved,
    /// A bound, length, pattern or format changed.
    ConstraintChanged,
    /// `additionalProperties` changed (closed, opened, or its schema).
    AdditionalPropertiesChanged,
    /// A `oneOf`/`anyOf` variant was added.
    VariantAdded,
    /// A `oneOf`/`anyOf` variant was removed.
    VariantRemoved,
}

impl ChangeKind {
    /// The stable code, e.g. `required-property-added`.
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::OperationRemoved => "operation-removed",
            ChangeKind::OperationAdded => "operation-added",
            ChangeKind::OperationMoved => "operation-moved",
            ChangeKind::OperationIdChanged => "operation-id-changed",
            ChangeKind::OperationDeprecated => "operation-deprecated",
            ChangeKind::ParameterAdded => "parameter-added",
            ChangeKind::RequiredParameterAdded => "required-parameter-added",
            ChangeKind::ParameterRemoved => "parameter-removed",
            ChangeKind::ParameterMadeRequired => "parameter-made-required",
            ChangeKind::ParameterMadeOptional => "parameter-made-optional",
            ChangeKind::RequestBodyAdded => "request-body-added",
            ChangeKind::RequestBodyRemoved => "request-body-removed",
            ChangeKind::RequestBodyMadeRequired => "request-body-made-required",
            ChangeKind::RequestBodyMadeOptional => "request-body-made-optional",
            ChangeKind::MediaTypeAdded => "media-type-added",
            ChangeKind::MediaTypeRemoved => "media-type-removed",
            ChangeKind::ResponseStatusAdded => "response-status-added",
            ChangeKind::ResponseStatusRemoved => "response-status-removed",
            ChangeKind::SecurityAdded => "security-added",
            ChangeKind::SecurityRemoved => "security-removed",
            ChangeKind::SecurityChanged => "security-changed",
            ChangeKind::PropertyAdded => "property-added",
            ChangeKind::RequiredPropertyAdded => "required-property-added",
            ChangeKind::PropertyRemoved => "property-removed",
            ChangeKind::PropertyMadeRequired => "property-made-required",
            ChangeKind::PropertyMadeOptional => "property-made-optional",
            ChangeKind::TypeChanged => "type-changed",
            ChangeKind::NullableAdded => "nullable-added",
            ChangeKind::NullableRemoved => "nullable-removed",
            ChangeKind::EnumValueAdded => "enum-value-added",
            ChangeKind::EnumValueRemoved => "enum-value-removed",
            ChangeKind::ConstraintChanged => "constraint-changed",
            ChangeKind::AdditionalPropertiesChanged => "additional-properties-changed",
            ChangeKind::VariantAdded => "variant-added",
            ChangeKind::VariantRemoved => "variant-removed",
        }
    }
}

impl Serialize for ChangeKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// Which operation a change belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationRef {
    /// The operationId (in NEW when the operation is in both).
    pub id: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template.
    pub path: String,
}

impl OperationRef {
    fn of(op: &Operation) -> Self {
        Self {
            id: op.id.clone(),
            method: op.method.as_str().to_owned(),
            path: op.path.clone(),
        }
    }
}

/// One change between the two contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// The operation it belongs to.
    pub operation: Option<OperationRef>,
    /// Where in the operation, in words: `request body (application/json) .items[].id`,
    /// `query parameter limit`, `response 200 (application/json) .data`; empty for the
    /// operation itself.
    #[serde(rename = "where")]
    pub location: String,
    /// JSON pointer of the changed node in OLD, when it exists there.
    pub old_pointer: Option<String>,
    /// JSON pointer of the changed node in NEW, when it exists there.
    pub new_pointer: Option<String>,
    /// Who it breaks.
    pub breaking_for: Breaking,
    /// What changed, in one sentence.
    pub message: String,
}

/// Every change between two contracts, operations in OLD's order, then added ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The changes.
    pub changes: Vec<Change>,
}

impl Report {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes that break clients.
    pub fn breaking_for_clients(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.breaking_for.client)
    }

    /// The changes that break servers.
    pub fn breaking_for_servers(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.breaking_for.server)
    }
}

/// Compares two versions of a contract.
pub fn compare(old: &Contract, new: &Contract) -> Report {
    let mut d = Differ {
        old,
        new,
        changes: Vec::new(),
    };
    let matched = match_operations(old, new);
    let mut new_seen = BTreeSet::new();
    for (i, o) in old.operations.iter().enumerate() {
        match matched.get(&i) {
            Some(&j) => {
                new_seen.insert(j);
                d.operation(o, &new.operations[j]);
            }
            None => d.push(
                ChangeKind::OperationRemoved,
                Some(o),
                String::new(),
                (Some(o.pointer.clone()), None),
                Breaking::CLIENT,
                format!("operation {} {} (`{}`) was removed", o.method, o.path, o.id),
            ),
        }
    }
    for (j, n) in new.operations.iter().enumerate() {
        if !new_seen.contains(&j) {
            d.push(
                ChangeKind::OperationAdded,
                Some(n),
                String::new(),
                (None, Some(n.pointer.clone())),
                Breaking::SERVER,
                format!(
                    "operation {} {} (`{}`) was added; servers must implement it",
                    n.method, n.path, n.id
                ),
            );
        }
    }
    Report { changes: d.changes }
}

/// OLD operation index → NEW operation index: by written operationId first, then by
/// method and path.
fn match_operations(old: &Contract, new: &Contract) -> BTreeMap<usize, usize> {
    let mut out = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for (i, o) in old.operations.iter().enumerate() {
        if o.id_derived {
            continue;
        }
        if let Some(j) = new
            .operations
            .iter()
            .position(|n| !n.id_derived && n.id == o.id)
        {
            out.insert(i, j);
            taken.insert(j);
        }
    }
    for (i, o) in old.operations.iter().enumerate() {
        if out.contains_key(&i) {
            continue;
        }
        if let Some(j) = new.operations.iter().enumerate().position(|(j, n)| {
            !taken.contains(&j) && n.method == o.method && same_path(&n.path, &o.path)
        }) {
            out.insert(i, j);
            taken.insert(j);
        }
    }
    out
}

/// Path templates are the same route when they differ only in parameter names.
fn same_path(a: &str, b: &str) -> bool {
    let shape = |p: &str| -> Vec<String> {
        p.split('/')
            .map(|s| {
                if s.starts_with('{') && s.ends_with('}') {
                    "{}".to_owned()
                } else {
                    s.to_owned()
                }
            })
            .collect()
    };
    shape(a) == shape(b)
}

struct Differ<'a> {
    old: &'a Contract,
    new: &'a Contract,
    changes: Vec<Change>,
}

impl Differ<'_> {
    fn push(
        &mut self,
        kind: ChangeKind,
        op: Option<&Operation>,
        location: String,
        (old_pointer, new_pointer): (Option<String>, Option<String>),
        breaking_for: Breaking,
        message: String,
    ) {
        self.changes.push(Change {
            kind,
            operation: op.map(OperationRef::of),
            location,
            old_pointer,
            new_pointer,
            breaking_for,
            message,
        });
    }

    fn operation(&mut self, o: &Operation, n: &Operation) {
        if o.method != n.method || !same_path(&o.path, &n.path) {
            self.push(
                ChangeKind::OperationMoved,
                Some(n),
                String::new(),
                (Some(o.pointer.clone()), Some(n.pointer.clone())),
                Breaking::BOTH,
                format!(
                    "`{}` moved from {} {} to {} {}",
                    n.id, o.method, o.path, n.method, n.path
                ),
            );
        }
        if o.id != n.id {
            self.push(
                ChangeKind::OperationIdChanged,
                Some(n),
                String::new(),
                (Some(o.pointer.clone()), Some(n.pointer.clone())),
                Breaking::NONE,
                format!(
                    "operationId `{}` became `{}` (the wire is unchanged; generated method names change)",
                    o.id, n.id
                ),
            );
        }
        if !o.deprecated && n.deprecated {
            self.push(
                ChangeKind::OperationDeprecated,
                Some(n),
                String::new(),
                (Some(o.pointer.clone()), Some(n.pointer.clone())),
                Breaking::NONE,
                format!("`{}` is deprecated", n.id),
            );
        }
        self.security(o, n);
        self.parameters(o, n);
        self.request_body(o, n);
        self.responses(o, n);
    }

    fn parameters(&mut self, o: &Operation, n: &Operation) {
        let key = |p: &Parameter| {
            let name = if p.location == ParameterLocation::Header {
                p.name.to_ascii_lowercase()
            } else {
                p.name.clone()
            };
            (p.location, name)
        };
        // Path parameters are matched by position: renaming `{id}` to `{petId}` is no change.
        let (old_path, new_path) = (template_names(&o.path), template_names(&n.path));
        let rename = |p: &Parameter| -> (ParameterLocation, String) {
            let (loc, name) = key(p);
            if loc == ParameterLocation::Path
                && let Some(i) = new_path.iter().position(|x| *x == name)
                && let Some(old_name) = old_path.get(i)
            {
                return (loc, old_name.clone());
            }
            (loc, name)
        };
        let old_params: BTreeMap<_, &Parameter> =
            o.parameters.iter().map(|p| (key(p), p)).collect();
        let new_params: BTreeMap<_, &Parameter> =
            n.parameters.iter().map(|p| (rename(p), p)).collect();
        for p in &o.parameters {
            let where_ = format!("{} parameter {}", p.location.as_str(), p.name);
            let pointers = (Some(param_pointer(p)), None);
            match new_params.get(&key(p)) {
                None => {
                    let breaking = if p.required && p.location != ParameterLocation::Path {
                        Breaking::SERVER
                    } else {
                        Breaking::NONE
                    };
                    let extra = if breaking.server {
                        "; servers written against the old contract still require it"
                    } else {
                        ""
                    };
                    self.push(
                        ChangeKind::ParameterRemoved,
                        Some(n),
                        where_,
                        pointers,
                        breaking,
                        format!(
                            "{} parameter `{}` was removed{extra}",
                            p.location.as_str(),
                            p.name
                        ),
                    );
                }
                Some(q) => {
                    let pointers = (Some(param_pointer(p)), Some(param_pointer(q)));
                    if !p.required && q.required {
                        self.push(
                            ChangeKind::ParameterMadeRequired,
                            Some(n),
                            where_.clone(),
                            pointers.clone(),
                            Breaking::CLIENT,
                            format!(
                                "{} parameter `{}` became required",
                                q.location.as_str(),
                                q.name
                            ),
                        );
                    } else if p.required && !q.required {
                        self.push(
                            ChangeKind::ParameterMadeOptional,
                            Some(n),
                            where_.clone(),
                            pointers.clone(),
                            Breaking::SERVER,
                            format!(
                                "{} parameter `{}` became optional",
                                q.location.as_str(),
                                q.name
                            ),
                        );
                    }
                    self.schema(
                        Some(n),
                        &where_,
                        &p.schema,
                        &q.schema,
                        schema::Side::Request,
                    );
                }
            }
        }
        for q in &n.parameters {
            if old_params.contains_key(&rename(q)) {
                continue;
            }
            let where_ = format!("{} parameter {}", q.location.as_str(), q.name);
            let (kind, breaking, what) = if q.required {
                (
                    ChangeKind::RequiredParameterAdded,
                    Breaking::CLIENT,
                    "required",
                )
            } else {
                (ChangeKind::ParameterAdded, Breaking::NONE, "optional")
            };
            self.push(
                kind,
                Some(n),
                where_,
                (None, Some(param_pointer(q))),
                breaking,
                format!(
                    "{what} {} parameter `{}` was added",
                    q.location.as_str(),
                    q.name
                ),
            );
        }
    }

    fn request_body(&mut self, o: &Operation, n: &Operation) {
        let body_pointer = |op: &Operation| format!("{}/requestBody", op.pointer);
        match (&o.request_body, &n.request_body) {
            (None, None) => {}
            (None, Some(b)) => self.push(
                ChangeKind::RequestBodyAdded,
                Some(n),
                "request body".into(),
                (None, Some(body_pointer(n))),
                if b.required {
                    Breaking::CLIENT
                } else {
                    Breaking::NONE
                },
                format!(
                    "the operation takes {} request body now",
                    if b.required {
                        "a required"
                    } else {
                        "an optional"
                    }
                ),
            ),
            (Some(b), None) => self.push(
                ChangeKind::RequestBodyRemoved,
                Some(n),
                "request body".into(),
                (Some(body_pointer(o)), None),
                if b.required {
                    Breaking::SERVER
                } else {
                    Breaking::NONE
                },
                "the operation takes no request body any more".into(),
            ),
            (Some(a), Some(b)) => {
                let pointers = (Some(body_pointer(o)), Some(body_pointer(n)));
                if !a.required && b.required {
                    self.push(
                        ChangeKind::RequestBodyMadeRequired,
                        Some(n),
                        "request body".into(),
                        pointers.clone(),
                        Breaking::CLIENT,
                        "the request body became required".into(),
                    );
                } else if a.required && !b.required {
                    self.push(
                        ChangeKind::RequestBodyMadeOptional,
                        Some(n),
                        "request body".into(),
                        pointers,
                        Breaking::SERVER,
                        "the request body became optional".into(),
                    );
                }
                self.body_content(n, a, b);
            }
        }
    }

    fn body_content(&mut self, n: &Operation, a: &RequestBody, b: &RequestBody) {
        let pointer = |op: &Operation, media: &str| {
            format!(
                "{}/requestBody/content/{}",
                op.pointer,
                crate::spec::pointer_escape(media)
            )
        };
        for (media, m) in &a.content {
            let where_ = format!("request body ({media})");
            match b.content.get(media) {
                None => self.push(
                    ChangeKind::MediaTypeRemoved,
                    Some(n),
                    where_,
                    (Some(pointer(n, media)), None),
                    Breaking::CLIENT,
                    format!("the request body no longer accepts `{media}`"),
                ),
                Some(m2) => {
                    if let (Some(s1), Some(s2)) = (&m.schema, &m2.schema) {
                        self.schema(Some(n), &where_, s1, s2, schema::Side::Request);
                    }
                }
            }
        }
        for media in b.content.keys().filter(|k| !a.content.contains_key(*k)) {
            self.push(
                ChangeKind::MediaTypeAdded,
                Some(n),
                format!("request body ({media})"),
                (None, Some(pointer(n, media))),
                Breaking::SERVER,
                format!("the request body accepts `{media}` too"),
            );
        }
    }

    fn responses(&mut self, o: &Operation, n: &Operation) {
        let pointer = |op: &Operation, r: &Response| {
            format!(
                "{}/responses/{}",
                op.pointer,
                crate::spec::pointer_escape(&r.status.to_string())
            )
        };
        for r in &o.responses {
            let where_ = format!("response {}", r.status);
            match n.responses.iter().find(|x| x.status == r.status) {
                None => {
                    // A status still covered by a range or `default` is still documented.
                    let still_covered = match r.status {
                        ResponseStatus::Code(c) => n.response_for(c).is_some(),
                        ResponseStatus::Range(_) => n
                            .responses
                            .iter()
                            .any(|x| x.status == ResponseStatus::Default),
                        ResponseStatus::Default => false,
                    };
                    let breaking = Breaking {
                        client: r.status.is_success(),
                        server: !still_covered,
                    };
                    let why = match (breaking.client, breaking.server) {
                        (true, true) => {
                            "; clients expecting it get another status, servers still sending it send an undocumented one"
                        }
                        (true, false) => "; clients expecting it get another status",
                        (false, true) => "; servers still sending it send an undocumented status",
                        (false, false) => "",
                    };
                    self.push(
                        ChangeKind::ResponseStatusRemoved,
                        Some(n),
                        where_,
                        (Some(pointer(o, r)), None),
                        breaking,
                        format!("the {} response is no longer documented{why}", r.status),
                    );
                }
                Some(r2) => self.response_content(n, r, r2),
            }
        }
        for r in n
            .responses
            .iter()
            .filter(|x| !o.responses.iter().any(|y| y.status == x.status))
        {
            let breaking = if r.status.is_success() {
                Breaking::CLIENT
            } else {
                Breaking::NONE
            };
            let why = if breaking.client {
                "; clients written against the old contract treat it as an error"
            } else {
                ""
            };
            self.push(
                ChangeKind::ResponseStatusAdded,
                Some(n),
                format!("response {}", r.status),
                (None, Some(pointer(n, r))),
                breaking,
                format!("the {} response is documented now{why}", r.status),
            );
        }
    }

    fn response_content(&mut self, n: &Operation, a: &Response, b: &Response) {
        let pointer = |media: &str| {
            format!(
                "{}/responses/{}/content/{}",
                n.pointer,
                crate::spec::pointer_escape(&b.status.to_string()),
                crate::spec::pointer_escape(media)
            )
        };
        for (media, m) in &a.content {
            let where_ = format!("response {} ({media})", a.status);
            match b.content.get(media) {
                None => self.push(
                    ChangeKind::MediaTypeRemoved,
                    Some(n),
                    where_,
                    (Some(pointer(media)), None),
                    Breaking::BOTH,
                    format!(
                        "the {} response is no longer sent as `{media}`; clients that ask for it get another type, servers still sending it send an undocumented one",
                        a.status
                    ),
                ),
                Some(m2) => {
                    if let (Some(s1), Some(s2)) = (&m.schema, &m2.schema) {
                        self.schema(Some(n), &where_, s1, s2, schema::Side::Response);
                    }
                }
            }
        }
        for media in b.content.keys().filter(|k| !a.content.contains_key(*k)) {
            self.push(
                ChangeKind::MediaTypeAdded,
                Some(n),
                format!("response {} ({media})", b.status),
                (None, Some(pointer(media))),
                Breaking::NONE,
                format!("the {} response may be sent as `{media}` too", b.status),
            );
        }
    }

    fn security(&mut self, o: &Operation, n: &Operation) {
        let needs = |op: &Operation| op.requires_credentials();
        let at = (
            Some(format!("{}/security", o.pointer)),
            Some(format!("{}/security", n.pointer)),
        );
        let names = |alts: &[SecurityRequirement]| {
            alts.iter()
                .map(|a| a.keys().cloned().collect::<Vec<_>>().join(" + "))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" or ")
        };
        match (needs(o), needs(n)) {
            (false, true) => {
                self.push(
                    ChangeKind::SecurityAdded,
                    Some(n),
                    "security".into(),
                    at,
                    Breaking::CLIENT,
                    format!(
                        "the operation requires credentials now ({}); clients that send none are refused",
                        names(&n.security)
                    ),
                );
                return;
            }
            (true, false) => {
                self.push(
                    ChangeKind::SecurityRemoved,
                    Some(n),
                    "security".into(),
                    at,
                    Breaking::SERVER,
                    "the operation requires no credentials any more; servers written against the old contract still refuse calls without them".into(),
                );
                return;
            }
            _ => {}
        }
        // Alternatives: one that disappeared (or needs more scopes) breaks the clients
        // using it; one that appeared is one old servers do not accept.
        let mut breaking = Breaking::NONE;
        let mut what = Vec::new();
        let covered = |alt: &SecurityRequirement, by: &[SecurityRequirement]| {
            by.iter().any(|b| {
                b.len() == alt.len()
                    && b.iter().all(|(k, scopes)| {
                        alt.get(k)
                            .is_some_and(|s| scopes.iter().all(|x| s.contains(x)))
                    })
            })
        };
        for alt in o.security.iter().filter(|a| !a.is_empty()) {
            if !covered(alt, &n.security) {
                breaking = breaking.or(Breaking::CLIENT);
                what.push(format!(
                    "`{}` no longer accepted as it was",
                    describe_alt(alt)
                ));
            }
        }
        for alt in n.security.iter().filter(|a| !a.is_empty()) {
            let is_new = !o.security.iter().any(|a| a.keys().eq(alt.keys()));
            if is_new {
                breaking = breaking.or(Breaking::SERVER);
                what.push(format!("`{}` accepted now", describe_alt(alt)));
            }
        }
        // The same scheme name with another definition breaks everyone using it.
        let used: BTreeSet<&String> = n.security.iter().flat_map(|a| a.keys()).collect();
        for name in used {
            if let (Some(a), Some(b)) = (
                self.old.security_schemes.get(name),
                self.new.security_schemes.get(name),
            ) && describe_scheme(&a.kind) != describe_scheme(&b.kind)
                && o.security.iter().any(|alt| alt.contains_key(name))
            {
                breaking = Breaking::BOTH;
                what.push(format!(
                    "scheme `{name}` changed from {} to {}",
                    describe_scheme(&a.kind),
                    describe_scheme(&b.kind)
                ));
            }
        }
        if !what.is_empty() {
            self.push(
                ChangeKind::SecurityChanged,
                Some(n),
                "security".into(),
                at,
                breaking,
                format!("the accepted credentials changed: {}", what.join("; ")),
            );
        }
    }

    fn schema(
        &mut self,
        op: Option<&Operation>,
        where_: &str,
        old: &crate::model::Schema,
        new: &crate::model::Schema,
        side: schema::Side,
    ) {
        let found = schema::compare(self.old, self.new, old, new, side);
        for c in found {
            let location = if c.path.is_empty() {
                where_.to_owned()
            } else {
                format!("{where_} {}", c.path)
            };
            self.push(
                c.kind,
                op,
                location,
                (c.old_pointer, c.new_pointer),
                c.breaking,
                c.message,
            );
        }
    }
}

fn param_pointer(p: &Parameter) -> String {
    let s = &p.schema.pointer;
    let base = s.strip_suffix("/schema").unwrap_or(s);
    match base.rfind("/content/") {
        Some(i) => base[..i].to_owned(),
        None => base.to_owned(),
    }
}

fn describe_alt(alt: &SecurityRequirement) -> String {
    alt.iter()
        .map(|(k, scopes)| {
            if scopes.is_empty() {
                k.clone()
            } else {
                format!("{k} [{}]", scopes.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn describe_scheme(kind: &SecuritySchemeKind) -> String {
    match kind {
        SecuritySchemeKind::Bearer { .. } => "bearer".into(),
        SecuritySchemeKind::Basic => "basic".into(),
        SecuritySchemeKind::ApiKey { location, name } => {
            format!("API key in {} `{name}`", location.as_str())
        }
        SecuritySchemeKind::OAuth2 => "OAuth2".into(),
        SecuritySchemeKind::OtherHttp { scheme } => format!("HTTP {scheme}"),
    }
}

/// Names between braces in a path template, in order.
fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}
