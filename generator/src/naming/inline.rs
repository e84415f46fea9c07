//! Names of inline schemas, decided over the whole contract before any back-end runs.
//!
//! Why a pass of its own: a name chosen where an inline schema is first met reads wrong
//! everywhere else (GitHub's `direction` parameter, used by 41 operations, was typed
//! `SecurityAdvisoriesListGlobalAdvisoriesDirection`). So every inline schema a back-end
//! has to name is found first, with every place that uses it; schemas of one shape are
//! one type ([`shape_key`]); then each type gets the first name on its ladder that no
//! other type takes:
//!
//! 1. what it is: its property or parameter name (`Direction`, `LabelsItem`);
//! 2. with its owner's name, when every use has the same owner (`IssueState`);
//! 3. with a tag all its operations share (`IssuesState`);
//! 4. with the words its users' names share (`ListOrgSecretsOkBody` for
//!    `actions/list-org-secrets` and `agents/list-org-secrets`): for a single operation
//!    that is the operation's name; for several, never starting with the whole name of
//!    one operation, so a type several operations use is never named after one of them;
//! 5. the whole path of its first use when it has one user; else the last of these,
//!    numbered if even that is taken.
//!
//! A body has no name of its own, so it starts at rung 2. When several types want one
//! name, the one wanting it with the least context keeps it, and if several tie, none
//! does: a bare `State` beside `IssuesState` would suggest it is the general one. Owners
//! are named before what they hold, so a nested type can use its owner's final name.
//!
//! Names are language-neutral `UpperCamelCase` strings; each back-end applies its own
//! identifier rules and claims them after its own names, in [`InlineNames::order`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::ToSnakeCase;

use crate::model::{AdditionalProperties, Contract, Property, ResponseStatus, Schema, SchemaKind};

use super::{Namespace, ascii_words, status_variant};

/// Names no inline type takes: what either back-end defines itself or uses unqualified
/// (a property called `error` becomes `FooError`, not a second `Error`). One list for
/// both, so both give an inline schema the same name.
fn avoided() -> impl Iterator<Item = &'static str> {
    crate::rust::names::RESERVED
        .iter()
        .chain(crate::typescript::RESERVED)
        .copied()
}

/// Words that end no name (`IssuesListFor` → `IssuesList`).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
];

/// The inline schemas of a contract that need a name, grouped by shape, with their names.
#[derive(Debug, Clone, Default)]
pub struct InlineNames {
    /// Group of each schema met, by pointer and kind.
    sites: HashMap<(String, u8), usize>,
    /// Group of each shape.
    shapes: HashMap<String, usize>,
    /// Name of each group, in the order groups were first met.
    names: Vec<String>,
    /// How many places use each group.
    uses: Vec<usize>,
    /// The schema each group was first met as.
    first: Vec<Schema>,
}

impl InlineNames {
    /// Walks every reachable component and every operation of `contract` and names the
    /// inline schemas they hold.
    pub fn new(contract: &Contract) -> Self {
        let mut walker = Walker {
            contract,
            groups: Vec::new(),
            first: Vec::new(),
            shapes: HashMap::new(),
            sites: HashMap::new(),
        };
        walker.walk_contract();
        let names = resolve(contract, &walker.groups);
        Self {
            uses: walker.groups.iter().map(Vec::len).collect(),
            sites: walker.sites,
            shapes: walker.shapes,
            names,
            first: walker.first,
        }
    }

    /// The group (one per shape) of an inline schema, if it is one that needs a name.
    pub fn group(&self, schema: &Schema) -> Option<usize> {
        let key = (schema.pointer.clone(), kind_tag(&schema.kind));
        match self.sites.get(&key) {
            Some(&g) => Some(g),
            None => self.shapes.get(&shape_key(schema)).copied(),
        }
    }

    /// The name of group `group`.
    pub fn group_name(&self, group: usize) -> &str {
        &self.names[group]
    }

    /// The schema group `group` was first met as.
    pub fn schema(&self, group: usize) -> &Schema {
        &self.first[group]
    }

    /// The groups used in more than one place, each with its first schema, in order.
    pub fn shared(&self) -> impl Iterator<Item = (usize, &Schema)> {
        (0..self.names.len())
            .filter(|&g| self.uses[g] > 1)
            .map(|g| (g, &self.first[g]))
    }

    /// Every group's name, in the order back-ends claim them.
    pub fn order(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }
}

/// Where a walk is: who the schema belongs to and what it is called there.
#[derive(Debug, Clone)]
struct At {
    /// The component or operation the walk started from.
    root: Root,
    /// What the schema is, in words: the property or parameter name (`per page`),
    /// extended by the way down (`labels item`); for a body, its role (`ok body`).
    words: Vec<String>,
    /// The words say what the schema is only next to a context (a body, a variant).
    needs_context: bool,
    /// The component or inline type holding it, if any.
    owner: Owner,
}

impl At {
    fn with(&self, word: &str) -> At {
        let mut next = self.clone();
        next.words.extend(words(word));
        next
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Root {
    Component(usize),
    Operation(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Owner {
    None,
    Component(usize),
    /// A multipart body: not a shape of its own, named after its operation.
    Body(usize),
    Group(usize),
}

/// One use of a group.
#[derive(Debug, Clone)]
struct Site {
    root: Root,
    words: Vec<String>,
    needs_context: bool,
    owner: Owner,
}

struct Walker<'a> {
    contract: &'a Contract,
    groups: Vec<Vec<Site>>,
    first: Vec<Schema>,
    shapes: HashMap<String, usize>,
    sites: HashMap<(String, u8), usize>,
}

impl Walker<'_> {
    fn walk_contract(&mut self) {
        let contract = self.contract;
        let reachable = contract.reachable_schemas();
        for (index, (wire, schema)) in contract.schemas.iter().enumerate() {
            if reachable.contains(wire) {
                self.walk_component(index, wire, schema);
            }
        }
        for (index, op) in contract.operations.iter().enumerate() {
            let root = Root::Operation(index);
            let at = |words: Vec<String>, needs_context: bool| At {
                root,
                words,
                needs_context,
                owner: Owner::None,
            };
            for p in op.parameters_by_location() {
                self.walk(&p.schema, &at(words(&p.name), false), 0);
            }
            if let Some(body) = &op.request_body {
                let media = body.json().or_else(|| {
                    body.content
                        .iter()
                        .next()
                        .map(|(media, m)| (media.as_str(), m))
                });
                if let Some((media, m)) = media
                    && let Some(schema) = &m.schema
                {
                    let essence = crate::model::media_type_essence(media).to_ascii_lowercase();
                    let body_at = at(words("body"), true);
                    if body.json().is_some()
                        || (essence == "application/x-www-form-urlencoded"
                            && contract.is_flat_object(schema))
                    {
                        self.walk(schema, &body_at, 0);
                    } else if essence == "multipart/form-data"
                        && let SchemaKind::Object(o) = &contract.resolve(schema).kind
                    {
                        // The parts struct is the operation's own; its fields are typed as
                        // the properties of any object.
                        let parts_at = At {
                            owner: Owner::Body(index),
                            ..body_at
                        };
                        self.walk_properties(&o.properties, &parts_at, 0);
                    }
                }
            }
            let mut variants = Namespace::default();
            for r in &op.responses {
                let variant = variants.claim(&match r.status {
                    ResponseStatus::Code(c) => status_variant(c),
                    ResponseStatus::Range(d) => format!("Status{d}xx"),
                    ResponseStatus::Default => "Default".to_owned(),
                });
                if let Some((_, m)) = r.json()
                    && let Some(schema) = &m.schema
                {
                    self.walk(schema, &at(words(&format!("{variant} body")), true), 0);
                }
            }
        }
    }

    /// A component is named by the spec: only what it holds is walked.
    fn walk_component(&mut self, index: usize, wire: &str, schema: &Schema) {
        let contract = self.contract;
        let at = At {
            root: Root::Component(index),
            words: Vec::new(),
            needs_context: true,
            owner: Owner::Component(index),
        };
        if let Some(env) = &contract.envelope {
            if env.schema == wire {
                if let SchemaKind::Object(o) = &schema.kind {
                    self.walk_properties(&o.properties, &at, 0);
                }
                return;
            }
            if let Some(data) = env.specialisations.get(wire) {
                self.walk(data, &at.with("data"), 0);
                return;
            }
        }
        self.walk_named(schema, &at, 0);
    }

    /// What a named schema (a component, or an inline type once recorded) holds.
    fn walk_named(&mut self, schema: &Schema, at: &At, depth: usize) {
        let contract = self.contract;
        match &schema.kind {
            SchemaKind::Object(o) if !o.properties.is_empty() => {
                self.walk_properties(&o.properties, at, depth);
                if let AdditionalProperties::Schema(s) = &o.additional {
                    self.walk(s, &at.with("extra"), depth + 1);
                }
            }
            SchemaKind::AllOf(parts) if parts.len() > 1 => {
                if let Some(merged) = contract.all_of_properties(parts) {
                    self.walk_properties(&merged, at, depth);
                }
            }
            SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf { variants, .. }
                if non_null(variants).len() > 1 =>
            {
                for (i, v) in non_null(variants).into_iter().enumerate() {
                    if v.ref_name().is_none() {
                        self.walk(v, &at.with(&format!("variant {i}")), depth + 1);
                    }
                }
            }
            SchemaKind::String(_) | SchemaKind::Integer(_) => {}
            // An alias: what it stands for is typed under the schema's own name.
            _ if at.owner != Owner::None && at.words.is_empty() => {
                let alias = At {
                    owner: Owner::None,
                    ..at.clone()
                };
                let named = match at.owner {
                    Owner::Component(c) => words(component_name(contract, c)),
                    _ => Vec::new(),
                };
                let alias = At {
                    words: named,
                    needs_context: false,
                    ..alias
                };
                self.walk(schema, &alias, depth + 1);
            }
            _ => {}
        }
    }

    fn walk_properties(&mut self, properties: &[Property], owner: &At, depth: usize) {
        for p in properties {
            let at = At {
                root: owner.root,
                words: words(&p.name),
                needs_context: false,
                owner: owner.owner.clone(),
            };
            self.walk(&p.schema, &at, depth + 1);
        }
    }

    fn walk(&mut self, schema: &Schema, at: &At, depth: usize) {
        // Inline schemas nest only as deep as the document; this bounds hostile input.
        if depth > 64 {
            return;
        }
        let contract = self.contract;
        match &schema.kind {
            SchemaKind::Integer(i) if !i.enumeration.is_empty() => {
                self.record(schema, at);
            }
            SchemaKind::String(s) if !s.enumeration.is_empty() => {
                self.record(schema, at);
            }
            SchemaKind::Array(a) => self.walk(&a.items, &at.with("item"), depth + 1),
            SchemaKind::Object(o) if o.properties.is_empty() => {
                if let AdditionalProperties::Schema(s) = &o.additional {
                    self.walk(s, &at.with("value"), depth + 1);
                }
            }
            SchemaKind::Object(_) => self.record_and_walk(schema, at, depth),
            SchemaKind::AllOf(parts) => {
                if let Some(data) = contract.envelope_data(schema) {
                    self.walk(&data, &at.with("data"), depth + 1);
                    return;
                }
                match parts.as_slice() {
                    [only] => self.walk(only, at, depth + 1),
                    _ => self.record_and_walk(schema, at, depth),
                }
            }
            SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf { variants, .. } => {
                match non_null(variants).as_slice() {
                    [] => {}
                    [only] => self.walk(only, at, depth + 1),
                    _ => self.record_and_walk(schema, at, depth),
                }
            }
            _ => {}
        }
    }

    fn record_and_walk(&mut self, schema: &Schema, at: &At, depth: usize) {
        if let (group, true) = self.record(schema, at) {
            let inner = At {
                root: at.root,
                words: Vec::new(),
                needs_context: true,
                owner: Owner::Group(group),
            };
            self.walk_named(schema, &inner, depth + 1);
        }
    }

    /// Adds a use of `schema`; true when this schema was not met before (its content is
    /// then walked once: the types it holds are the same wherever it is used).
    fn record(&mut self, schema: &Schema, at: &At) -> (usize, bool) {
        let key = (schema.pointer.clone(), kind_tag(&schema.kind));
        let (group, first) = match self.sites.get(&key) {
            Some(&g) => (g, false),
            None => {
                let shape = shape_key(schema);
                let g = match self.shapes.get(&shape) {
                    Some(&g) => g,
                    None => {
                        self.groups.push(Vec::new());
                        self.first.push(schema.clone());
                        let g = self.groups.len() - 1;
                        self.shapes.insert(shape, g);
                        g
                    }
                };
                self.sites.insert(key, g);
                (g, true)
            }
        };
        self.groups[group].push(Site {
            root: at.root,
            words: at.words.clone(),
            needs_context: at.needs_context || at.words.is_empty(),
            owner: at.owner.clone(),
        });
        (group, first)
    }
}

fn non_null(variants: &[Schema]) -> Vec<&Schema> {
    variants
        .iter()
        .filter(|v| !matches!(v.kind, SchemaKind::Null))
        .collect()
}

fn component_name(contract: &Contract, index: usize) -> &str {
    contract
        .schemas
        .keys()
        .nth(index)
        .map_or("", String::as_str)
}

/// Tells apart the schemas the model builds at one pointer (an object and its `oneOf`
/// side by side become an `allOf` of both, all three at the same pointer).
fn kind_tag(kind: &SchemaKind) -> u8 {
    match kind {
        SchemaKind::Object(_) => 1,
        SchemaKind::AllOf(_) => 2,
        SchemaKind::OneOf { .. } => 3,
        SchemaKind::AnyOf { .. } => 4,
        SchemaKind::String(_) => 5,
        SchemaKind::Integer(_) => 6,
        _ => 0,
    }
}

/// Lower-case ASCII words of a spec name: `issues/list-for-repo` → `issues list for repo`.
pub(crate) fn words(raw: &str) -> Vec<String> {
    ascii_words(raw)
        .to_snake_case()
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `UpperCamelCase` of words.
fn camel(words: &[String]) -> String {
    let mut out = String::new();
    for w in words {
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The kinds of context a name can take, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rung {
    Bare,
    Owner,
    Tag,
    Shared,
    Path,
}

/// Decides every group's name (see the module documentation).
fn resolve(contract: &Contract, groups: &[Vec<Site>]) -> Vec<String> {
    let levels = levels(groups);
    let users = users(groups, &levels);
    let op_words: BTreeSet<Vec<String>> =
        contract.operations.iter().map(|o| words(&o.id)).collect();
    let mut taken: BTreeSet<String> = avoided().map(str::to_owned).collect();
    taken.extend(contract.schemas.keys().map(|k| camel(&words(k))));
    let mut names: Vec<Option<String>> = vec![None; groups.len()];
    let max_level = levels.iter().copied().max().unwrap_or(0);
    for level in 0..=max_level {
        let members: Vec<usize> = (0..groups.len()).filter(|&g| levels[g] == level).collect();
        let ladders: BTreeMap<usize, Vec<(Rung, String)>> = members
            .iter()
            .map(|&g| {
                let ladder = ladder(contract, &groups[g], &users[g], &names, &op_words);
                (g, ladder)
            })
            .collect();
        let mut rung: BTreeMap<usize, usize> = members.iter().map(|&g| (g, 0)).collect();
        // Each round moves every loser of a contested name one rung up; a group only ever
        // climbs, so rounds end.
        loop {
            let mut wanted: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for &g in &members {
                wanted.entry(&ladders[&g][rung[&g]].1).or_default().push(g);
            }
            let mut climbers = Vec::new();
            for (name, claimants) in &wanted {
                if taken.contains(*name) {
                    climbers.extend(claimants.iter().copied());
                } else if claimants.len() > 1 {
                    let least = claimants
                        .iter()
                        .map(|g| ladders[g][rung[g]].0)
                        .min()
                        .unwrap_or(Rung::Path);
                    let keepers: Vec<usize> = claimants
                        .iter()
                        .copied()
                        .filter(|g| ladders[g][rung[g]].0 == least)
                        .collect();
                    climbers.extend(
                        claimants
                            .iter()
                            .copied()
                            .filter(|g| keepers.len() > 1 || !keepers.contains(g)),
                    );
                }
            }
            let mut moved = false;
            for g in climbers {
                if let Some(r) = rung.get_mut(&g)
                    && *r + 1 < ladders[&g].len()
                {
                    *r += 1;
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        // What is still contested is numbered, in the order groups were met.
        let mut ns = Namespace::default();
        for name in &taken {
            ns.claim(name);
        }
        for &g in &members {
            let name = ns.claim(&ladders[&g][rung[&g]].1);
            taken.insert(name.clone());
            names[g] = Some(name);
        }
    }
    names.into_iter().map(Option::unwrap_or_default).collect()
}

/// How deep each group sits below groups holding it (0: held by no inline type).
fn levels(groups: &[Vec<Site>]) -> Vec<usize> {
    fn level(g: usize, groups: &[Vec<Site>], memo: &mut [Option<usize>], depth: usize) -> usize {
        if let Some(l) = memo[g] {
            return l;
        }
        // Shapes cannot hold themselves; the bound only guards against a bug.
        if depth > 128 {
            return 0;
        }
        let l = groups[g]
            .iter()
            .filter_map(|s| match s.owner {
                Owner::Group(p) if p != g => Some(level(p, groups, memo, depth + 1) + 1),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        memo[g] = Some(l);
        l
    }
    let mut memo = vec![None; groups.len()];
    (0..groups.len())
        .map(|g| level(g, groups, &mut memo, 0))
        .collect()
}

/// The components and operations each group is used by, through its owners.
fn users(groups: &[Vec<Site>], levels: &[usize]) -> Vec<BTreeSet<Root>> {
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| (levels[g], g));
    let mut users: Vec<BTreeSet<Root>> = vec![BTreeSet::new(); groups.len()];
    for g in order {
        let mut mine = BTreeSet::new();
        for s in &groups[g] {
            match s.owner {
                Owner::Group(p) if p != g => mine.extend(users[p].iter().copied()),
                _ => {
                    mine.insert(s.root);
                }
            }
        }
        users[g] = mine;
    }
    users
}

/// The names a group may take, least context first, each once.
fn ladder(
    contract: &Contract,
    sites: &[Site],
    users: &BTreeSet<Root>,
    names: &[Option<String>],
    op_words: &BTreeSet<Vec<String>>,
) -> Vec<(Rung, String)> {
    let root_words = |root: Root| match root {
        Root::Component(c) => words(component_name(contract, c)),
        Root::Operation(o) => words(&contract.operations[o].id),
    };
    // What it is: the words most of its uses give it (the first of equals).
    let mut counts: Vec<(&Vec<String>, bool, usize)> = Vec::new();
    for s in sites {
        match counts.iter_mut().find(|(w, _, _)| **w == s.words) {
            Some(entry) => entry.2 += 1,
            None => counts.push((&s.words, s.needs_context, 1)),
        }
    }
    let most = counts.iter().map(|c| c.2).max().unwrap_or(0);
    let (what, needs_context) = counts
        .iter()
        .find(|c| c.2 == most)
        .map_or((Vec::new(), true), |c| (c.0.clone(), c.1));
    let with = |context: &[String]| {
        let mut all = context.to_vec();
        all.extend(what.iter().cloned());
        camel(&all)
    };
    let mut out: Vec<(Rung, String)> = Vec::new();
    let push = |out: &mut Vec<(Rung, String)>, rung: Rung, name: String| {
        if !name.is_empty() && !out.iter().any(|(_, n)| *n == name) {
            out.push((rung, name));
        }
    };
    if !needs_context {
        push(&mut out, Rung::Bare, camel(&what));
    }
    let owner_words = |owner: &Owner| match owner {
        Owner::None => None,
        Owner::Component(c) => Some(words(component_name(contract, *c))),
        Owner::Body(o) => {
            let mut w = words(&contract.operations[*o].id);
            w.push("body".to_owned());
            Some(w)
        }
        Owner::Group(g) => names[*g].as_deref().map(words),
    };
    let first_owner = sites.first().and_then(|s| owner_words(&s.owner));
    if let Some(owner) = &first_owner
        && sites
            .iter()
            .all(|s| owner_words(&s.owner).as_ref() == Some(owner))
    {
        push(&mut out, Rung::Owner, with(owner));
    }
    let tag = common_tag(contract, users);
    // For several users, words they share but never the whole name of one operation.
    let shared = common_words(users.iter().map(|&u| root_words(u)).collect()).and_then(|w| {
        if users.len() == 1 {
            Some(w)
        } else {
            not_after_an_operation(w, op_words, tag.as_deref())
        }
    });
    let tag_rung = tag.filter(|_| !(needs_context && users.len() == 1));
    if needs_context {
        if let Some(w) = &shared {
            push(&mut out, Rung::Shared, with(w));
        }
        if let Some(t) = &tag_rung {
            push(&mut out, Rung::Tag, with(t));
        }
    } else {
        if let Some(t) = &tag_rung {
            push(&mut out, Rung::Tag, with(t));
        }
        if let Some(w) = &shared {
            push(&mut out, Rung::Shared, with(w));
        }
    }
    // The last resort: the path of the first use, unless that names a type several
    // operations use after one of them; then what it is, numbered if need be.
    let first = sites.first();
    let single = users.len() == 1 || first.is_some_and(|f| matches!(f.root, Root::Component(_)));
    match first {
        Some(first) if single => {
            let mut path = root_words(first.root);
            if let Owner::Body(_) = first.owner {
                path.push("body".to_owned());
            }
            path.extend(first.words.iter().cloned());
            push(&mut out, Rung::Path, camel(&path));
        }
        _ if out.is_empty() => push(&mut out, Rung::Path, camel(&what)),
        _ => {}
    }
    if out.is_empty() {
        push(&mut out, Rung::Path, "Inline".to_owned());
    }
    out
}

/// The tag every user is an operation of, the first in the first user's order.
fn common_tag(contract: &Contract, users: &BTreeSet<Root>) -> Option<Vec<String>> {
    let mut tag_sets = Vec::new();
    for u in users {
        match u {
            Root::Operation(o) => tag_sets.push(&contract.operations[*o].tags),
            Root::Component(_) => return None,
        }
    }
    let (first, rest) = tag_sets.split_first()?;
    first
        .iter()
        .find(|t| rest.iter().all(|tags| tags.contains(t)))
        .map(|t| words(t))
        .filter(|w| !w.is_empty())
}

/// The words all `names` have in common, in order (a longest common subsequence, taken
/// pairwise), without stop words at either end: `list org secrets` for
/// `actions/list-org-secrets` and `agents/list-org-secrets`, `list secrets` for
/// `actions/list-repo-secrets` and `actions/list-environment-secrets`.
fn common_words(names: Vec<Vec<String>>) -> Option<Vec<String>> {
    let mut names = names.into_iter();
    let mut common = names.next()?;
    for name in names {
        common = subsequence(&common, &name);
    }
    trim_stop_words(common)
}

fn trim_stop_words(mut words: Vec<String>) -> Option<Vec<String>> {
    let is_stop = |w: &String| STOP_WORDS.contains(&w.as_str());
    while words.last().is_some_and(is_stop) {
        words.pop();
    }
    let lead = words.iter().take_while(|w| is_stop(w)).count();
    words.drain(..lead);
    (!words.is_empty()).then_some(words)
}

/// A longest common subsequence of two word lists.
fn subsequence(a: &[String], b: &[String]) -> Vec<String> {
    // lengths[i][j]: the answer for a[i..] and b[j..].
    let mut lengths = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lengths[i][j] = if a[i] == b[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(a[i].clone());
            i += 1;
            j += 1;
        } else if lengths[i + 1][j] >= lengths[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// `words` without the leading words that spell a whole operation name: a type several
/// operations use is not named `OrgsUpdate…` when `orgs/update` is an operation.
fn not_after_an_operation(
    mut words: Vec<String>,
    op_words: &BTreeSet<Vec<String>>,
    tag: Option<&[String]>,
) -> Option<Vec<String>> {
    let after_an_operation =
        |words: &[String]| (1..=words.len()).any(|k| op_words.contains(&words[..k]));
    // `agent-tasks/list-tasks` and `agent-tasks/list-tasks-for-repo` share `list tasks`
    // once their tag is left out.
    if let Some(tag) = tag
        && after_an_operation(&words)
        && words.starts_with(tag)
    {
        words.drain(..tag.len());
        words = trim_stop_words(words)?;
    }
    while after_an_operation(&words) {
        words.remove(0);
        words = trim_stop_words(words)?;
    }
    (!words.is_empty()).then_some(words)
}

/// A key equal for schemas that differ only in annotations (descriptions, titles,
/// examples, defaults, where they were written): such schemas are one type.
pub fn shape_key(schema: &Schema) -> String {
    fn strip(s: &Schema) -> Schema {
        let mut s = s.clone();
        s.title = None;
        s.description = None;
        s.example = None;
        s.default = None;
        s.deprecated = false;
        s.pointer = String::new();
        s.kind = match s.kind {
            SchemaKind::Object(mut o) => {
                for p in &mut o.properties {
                    p.schema = strip(&p.schema);
                }
                if let AdditionalProperties::Schema(inner) = &o.additional {
                    o.additional = AdditionalProperties::Schema(Box::new(strip(inner)));
                }
                SchemaKind::Object(o)
            }
            SchemaKind::Array(mut a) => {
                a.items = Box::new(strip(&a.items));
                SchemaKind::Array(a)
            }
            SchemaKind::AllOf(parts) => SchemaKind::AllOf(parts.iter().map(strip).collect()),
            SchemaKind::OneOf {
                variants,
                discriminator,
            } => SchemaKind::OneOf {
                variants: variants.iter().map(strip).collect(),
                discriminator,
            },
            SchemaKind::AnyOf {
                variants,
                discriminator,
            } => SchemaKind::AnyOf {
                variants: variants.iter().map(strip).collect(),
                discriminator,
            },
            SchemaKind::Not(inner) => SchemaKind::Not(Box::new(strip(&inner))),
            other => other,
        };
        s
    }
    format!("{:?}", strip(schema))
}
