#!/usr/bin/env python3
"""How a generated Rust crate reads at the call site (issue 14's closing figures).

    python3 benches/sdk_shape.py CRATE_DIR SPEC

Reads only the generated sources, so it measures any kontrat version the same way:

- client methods, and those taking 6 or more positional arguments (`&self` aside);
- inline types (those of `types.rs` that are not the spec's component schemas) named
  after an operation (their name starts with an operation's
  type name, e.g. `SecurityAdvisoriesListGlobalAdvisoriesDirection`), and of those the
  ones several operations use: a shared type named after a single operation.

An operation's type name is the `X` of `pub enum XResponse` in `responses.rs`. What an
operation uses is what its server trait method and its response enum name, closed over
the definitions of `types.rs`, `responses.rs` and `server.rs`.
"""

import json
import re
import sys
from pathlib import Path

IDENT = re.compile(r"\b[A-Z][A-Za-z0-9_]*\b")
ITEM = re.compile(r"^pub (?:struct|enum|type) ([A-Za-z0-9_]+)", re.M)


def balanced(text, start, open_c, close_c):
    """The text from `start` (an `open_c`) to its matching `close_c`, inclusive."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == open_c:
            depth += 1
        elif c == close_c:
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    return text[start:]


def strip_comments(text):
    return "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("//")
    )


def items(text):
    """Top-level `pub struct|enum|type` items → the identifiers their definition names."""
    out = {}
    for m in ITEM.finditer(text):
        name = m.group(1)
        end = text.find("\n}", m.end())
        semi = text.find(";\n", m.end())
        if 0 <= semi < text.find("{", m.end()) or end < 0:
            body = text[m.end() : semi]
        else:
            body = text[m.end() : end]
        out.setdefault(name, set()).update(IDENT.findall(body))
    return out


def client_methods(client):
    """Client methods (name → positional arguments besides `&self`)."""
    methods = {}
    for block in re.finditer(r"^impl Client \{", client, re.M):
        body = balanced(client, block.end() - 1, "{", "}")
        for m in re.finditer(r"\n    pub (?:async )?fn ([a-z0-9_]+)(?:<[^>]*>)?\(", body):
            args = balanced(body, m.end() - 1, "(", ")")[1:-1]
            depth, parts, cur = 0, [], ""
            for c in args:
                if c in "<([":
                    depth += 1
                elif c in ">)]":
                    depth -= 1
                if c == "," and depth == 0:
                    parts.append(cur)
                    cur = ""
                else:
                    cur += c
            parts.append(cur)
            parts = [p.strip() for p in parts if p.strip()]
            methods[m.group(1)] = len([p for p in parts if "self" not in p])
    return methods


def main():
    crate = Path(sys.argv[1])
    text = Path(sys.argv[2]).read_text()
    try:
        spec = json.loads(text)
    except ValueError:
        import yaml  # only for YAML specs

        spec = yaml.safe_load(text)
    squash = lambda name: re.sub(r"[^a-z0-9]", "", name.lower())
    components = {squash(n) for n in spec.get("components", {}).get("schemas", {})}
    src = lambda f: strip_comments((crate / "src" / f).read_text())
    client, types, responses, server = (
        src(f) for f in ("client.rs", "types.rs", "responses.rs", "server.rs")
    )
    methods = client_methods(client)
    # Library methods of `Client` are not operations.
    for own in ("new", "for_server", "with_http_client", "with_bearer_token", "base_url", "http_client"):
        methods.pop(own, None)
    many = sorted(n for n, k in methods.items() if k >= 6)

    ops = re.findall(r"^pub enum ([A-Za-z0-9_]+)Response\b", responses, re.M)
    graph = {}
    for text in (types, responses, server):
        for name, refs in items(text).items():
            graph.setdefault(name, set()).update(refs)
    defined_in_types = set(items(types))

    # Each server trait method: `fn x(&self, …) -> impl Future<Output = OpResponse> + Send;`
    uses = {op: set() for op in ops}
    for m in re.finditer(r"\n    fn [a-z0-9_]+\((.*?)\)\s*->\s*impl Future<Output = ([A-Za-z0-9_]+)Response>", server, re.S):
        op = m.group(2)
        if op in uses:
            uses[op].update(IDENT.findall(m.group(1)))
            uses[op].add(op + "Response")
    for op, seen in uses.items():
        pending = list(seen)
        while pending:
            name = pending.pop()
            for ref in graph.get(name, ()):
                if ref not in seen:
                    seen.add(ref)
                    pending.append(ref)

    users = {}
    for op, seen in uses.items():
        for name in seen & defined_in_types:
            users.setdefault(name, set()).add(op)
    # Longest operation type name first: `ReposGetBranch…` is named after `ReposGetBranch`.
    by_length = sorted(ops, key=len, reverse=True)

    def named_after(name):
        return next((op for op in by_length if name.startswith(op) and name != op), None)

    inline = {n for n in defined_in_types if squash(n) not in components}
    after_op = {n: named_after(n) for n in sorted(inline)}
    after_op = {n: op for n, op in after_op.items() if op}
    shared = sorted(n for n in after_op if len(users.get(n, ())) >= 2)

    print(f"client methods:                                {len(methods)}")
    print(f"  with >= 6 positional arguments:              {len(many)}")
    print(f"  most positional arguments:                   {max(methods.values(), default=0)}")
    print(f"types in types.rs:                             {len(defined_in_types)}")
    print(f"  inline (not a component schema):             {len(inline)}")
    print(f"  inline, named after an operation:            {len(after_op)}")
    print(f"  ... and used by several operations:          {len(shared)}")
    for n in shared[:12]:
        print(f"      {n} ({len(users[n])} operations)")
    if len(shared) > 12:
        print(f"      … {len(shared) - 12} more")


if __name__ == "__main__":
    main()
