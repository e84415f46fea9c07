"""What schemathesis may not hold against kontrat's mock, in one place, with the reason.

Loaded with SCHEMATHESIS_HOOKS=exclusions (PYTHONPATH=.ci/schemathesis). Each builtin check
named in EXCLUDED_BUILTINS is switched off on the command line and replaced here by a check
that runs the builtin and lets through only the failure class written beside it. Anything
else the builtin finds still fails the run.

1. Undocumented refusals (status_code_conformance, ST103). An invalid or unauthenticated
   request is refused even where the operation documents no 400/401 (nor 4XX/default):
   accepting it would teach clients that it works. That status is the spec's gap, which
   `kontrat lint` reports; the mock marks such answers with `kontrat-undocumented-status`.
   Only answers carrying that header are let through.
2. Credentials are not verified (ignored_auth, ST401). A mock cannot know which tokens or
   keys are valid, so any well-formed credential is accepted. A request *without*
   credentials must still be refused: that scenario is kept.
3. No state (use_after_free, ensure_resource_availability): a resource created is not
   kept, a deleted one does not disappear. Switched off on the command line.
4. Overlapping templates (unsupported_method, ST205/ST204): where two templates match one
   path (`/a/{id}` and `/a/retry`), the mock serves both templates' methods and lists them
   in `Allow`. Let through only when every extra method is documented on another template
   matching that path.
5. Header parameters named Accept, Content-Type or Authorization (ST201, ST203): OpenAPI
   3.x says such parameter definitions SHALL be ignored (media types and security schemes
   describe them), so the mock does not demand them. Let through only when every missing
   or broken component is one of those headers, a credential this run sends on every
   request (schemathesis' configured auth puts it back after a case removed it), unknown
   query parameters (OpenAPI does not forbid them), or a query parameter the request did
   carry.
6. A documented media type that is not one (`PDF`, no `/`): the mock can only send what
   the spec says; `content_type_conformance` fails on the spec's own text (ST106). Let
   through only when the malformed side is the schema's.
7. One value for an array property in a form or multipart body (ST201): `tags=a` is how
   those encodings write the array `["a"]`, so the mock reads it so. Let through only for
   properties the schema types as arrays.
8. Requests without credentials (ignored_auth, NO_AUTH): kept, but verified on the
   request itself: the failure stands only if the request, with every credential of the
   spec's security schemes stripped, is still answered 2xx.
9. A `oneOf` no value satisfies (response_schema_conformance, ST108): when every branch
   overlaps another (nexmo's reports: seven branches accept any product), no body is valid
   under exactly one. The mock searches (its example, a synthesised value, seeded draws
   from the whole schema and from each branch) and, finding none, serves the closest and
   marks it `kontrat-invalid-body`. Let through only marked answers failing on `oneOf`
   overlap.
10. Multipart requests without their file parts (positive_data_acceptance, ST202):
   schemathesis does not send parts of `format: binary` (files), so its "valid" request
   lacks a required file. Let through only when every required property the mock names
   as missing is a binary part.
11. Multipart part names with control characters (ST202): a name such as "a\x14" cannot be
   written in a part's Content-Disposition header (header field values exclude control
   characters), so the mock refuses the body as malformed. Let through only when the mock
   said so and the request really has such a name.
12. Types in multipart parts (negative_data_rejection, ST201): every part is text, so a
   string part "null" or a file part "3.1" is valid content, whatever value schemathesis
   meant. Let through only when every violation is a `type` change of a string or file
   property of a multipart body.
13. Operations schemathesis cannot load (UNLOADABLE_OPERATIONS, per spec): it refuses
   a response schema whose 3.1 `examples` keyword holds an OpenAPI examples map instead of
   a JSON Schema array ("Schema Error"), so it tests nothing there. They are left out of
   its run by operationId; the mock's own corpus tests still serve and check them.
14. Query mutations the wire does not carry (negative_data_rejection, ST201): an empty
   object writes nothing and `name=` is how form style writes the empty array, so a
   "string instead of array" or "object instead of integer" case can arrive as a valid
   request. Let through only when every violation is a query parameter `type` change
   whose parameter is absent from the URL sent, or an array sent as one empty value.
"""

from __future__ import annotations

import re

import schemathesis
from schemathesis.specs.openapi import checks as builtin

EXCLUDED_BUILTINS = [
    "positive_data_acceptance",
    "response_schema_conformance",
    "status_code_conformance",
    "allow_header_conformance",
    "content_type_conformance",
    "ignored_auth",
    "unsupported_method",
    "negative_data_rejection",
    "missing_required_header",
    "use_after_free",
    "ensure_resource_availability",
]

UNLOADABLE_OPERATIONS = {
    "codat.io__assess": ["get-excel-report-generation-status", "generate-excel-report"],
}

UNDOCUMENTED = "kontrat-undocumented-status"


def _header(response, name):
    """A response header as one string (schemathesis keeps each header as a list)."""
    for key, value in response.headers.items():
        if key.lower() == name:
            return ", ".join(value) if isinstance(value, (list, tuple)) else str(value)
    return ""
IGNORED_HEADERS = ("accept", "content-type", "authorization")


@schemathesis.check
def kontrat_response_schema_conformance(ctx, response, case):
    """response_schema_conformance, except marked bodies of an unsatisfiable `oneOf` (9)."""
    try:
        return builtin.response_schema_conformance(ctx, response, case)
    except Exception as failure:
        marked = "kontrat-invalid-body" in {k.lower() for k in response.headers}
        text = str(failure).lower()
        overlap = "of the schemas listed in the 'oneof' keyword" in text
        if marked and overlap:
            return None
        raise


@schemathesis.check
def kontrat_positive_data_acceptance(ctx, response, case):
    """positive_data_acceptance, except file parts schemathesis does not send (10) and part
    names no header can carry (11)."""
    try:
        return builtin.positive_data_acceptance(ctx, response, case)
    except Exception:
        if _missing_only_files(case, response) or _unwritable_part_name(response):
            return None
        raise


def _mock_problems(response):
    """What the mock found wrong with this request, from its own journal (the refusal's
    body may be a spec example with no room for messages)."""
    import urllib.parse

    import requests

    url = urllib.parse.urlsplit(str(response.request.url))
    journal = f"{url.scheme}://{url.netloc}/__kontrat/requests?limit=20"
    try:
        entries = requests.get(journal, timeout=10).json()
    except Exception:
        return ""
    path = urllib.parse.unquote(url.path)
    for entry in reversed(entries):  # the journal lists oldest first
        if entry.get("method") == response.request.method and urllib.parse.unquote(entry.get("path", "")) == path:
            return "; ".join(entry.get("problems") or [])
    return ""


def _missing_only_files(case, response):
    sent = str(response.request.headers.get("content-type") or "").lower()
    if not sent.startswith("multipart/form-data") or response.status_code != 400:
        return False
    missing = re.findall(r'"([^"]+)" is a required property', _mock_problems(response))
    if not missing:
        return False
    raw = case.operation.schema.raw_schema
    properties = _body_properties(case, "multipart/form-data")

    def is_file(node):
        node = _deref(raw, node)
        if node.get("type") == "array":
            node = _deref(raw, node.get("items") or {})
        return node.get("format") in ("binary", "byte")

    return all(name in properties and is_file(properties[name]) for name in missing)


def _unwritable_part_name(response):
    if response.status_code != 400 or "malformed multipart body" not in _mock_problems(response):
        return False
    body = response.request.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogateescape")
    for line in body.split(b"\r\n"):
        if line.lower().startswith(b"content-disposition:") and any(
            (b < 0x20 and b != 0x09) or b == 0x7F for b in line
        ):
            return True
    return False


@schemathesis.check
def kontrat_status_code_conformance(ctx, response, case):
    """status_code_conformance, except marked undocumented refusals (1)."""
    if UNDOCUMENTED in {k.lower() for k in response.headers}:
        return None
    return builtin.status_code_conformance(ctx, response, case)


@schemathesis.check
def kontrat_ignored_auth(ctx, response, case):
    """ignored_auth, except wrong or generated credentials being accepted (2, 8)."""
    try:
        return builtin.ignored_auth(ctx, response, case)
    except Exception as failure:  # schemathesis' IgnoredAuth
        if str(getattr(failure, "scenario", "")) != "no_auth":
            return None
        if _refused_without_credentials(case, response):
            return None
        raise


def _credentials(case):
    """(location, name) of every credential the spec's security schemes define."""
    schemes = ((case.operation.schema.raw_schema.get("components") or {}).get("securitySchemes")) or {}
    out = set()
    for scheme in schemes.values():
        if not isinstance(scheme, dict):
            continue
        if scheme.get("type") == "apiKey":
            out.add((scheme.get("in"), str(scheme.get("name", "")).lower()))
        else:
            out.add(("header", "authorization"))
    return out


def _refused_without_credentials(case, response):
    """Sends the request again with every credential stripped: True when it is refused."""
    import urllib.parse

    import requests

    sent = response.request
    creds = _credentials(case)
    drop = {name for where, name in creds if where in ("header", "cookie")} | {"cookie"}
    headers = {k: v for k, v in sent.headers.items() if k.lower() not in drop}
    url = urllib.parse.urlsplit(str(sent.url))
    query = [(k, v) for k, v in urllib.parse.parse_qsl(url.query, keep_blank_values=True)
             if ("query", k.lower()) not in creds]
    bare = url._replace(query=urllib.parse.urlencode(query)).geturl()
    again = requests.request(sent.method, bare, headers=headers, data=sent.body, timeout=10)
    return again.status_code in (401, 403)


def _templates_matching(case, path):
    schema = case.operation.schema.raw_schema
    found = {}
    for template, item in (schema.get("paths") or {}).items():
        pattern = "^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template)) + "/?$"
        if re.match(pattern, path):
            found[template] = {m.upper() for m in item if m.lower() in
                               ("get", "put", "post", "delete", "options", "head", "patch", "trace")}
    return found


def _overlap_explains(case, response):
    """True when the path matches several templates and `Allow` lists only their methods."""
    path = re.sub(r"^https?://[^/]+", "", str(response.request.url)).split("?")[0]
    templates = _templates_matching(case, path)
    methods = set().union(*templates.values()) if templates else set()
    allow = {m.strip().upper() for m in _header(response, "allow").split(",") if m.strip()}
    return len(templates) > 1 and bool(allow) and allow <= methods | {"HEAD", "OPTIONS"}


@schemathesis.check
def kontrat_allow_header_conformance(ctx, response, case):
    """allow_header_conformance, except methods of another template matching the path (4)."""
    try:
        return builtin.allow_header_conformance(ctx, response, case)
    except Exception:
        if _overlap_explains(case, response):
            return None
        raise


@schemathesis.check
def kontrat_content_type_conformance(ctx, response, case):
    """content_type_conformance, except a media type the spec itself writes malformed (6)."""
    try:
        return builtin.content_type_conformance(ctx, response, case)
    except Exception as failure:
        if type(failure).__name__ == "MalformedMediaType" and "for Schema" in str(failure):
            return None
        raise


@schemathesis.check
def kontrat_unsupported_method(ctx, response, case):
    """unsupported_method, except methods of another template matching the path (4)."""
    try:
        return builtin.unsupported_method(ctx, response, case)
    except Exception:
        path = re.sub(r"^https?://[^/]+", "", str(response.request.url)).split("?")[0]
        templates = _templates_matching(case, path)
        methods = set().union(*templates.values()) if templates else set()
        sent = str(response.request.method).upper()
        allow = {m.strip().upper() for m in _header(response, "allow").split(",") if m.strip()}
        if len(templates) > 1 and (sent in methods or (allow and allow <= methods)):
            return None
        raise


def _names_ignored_header(failure, case=None, response=None):
    """True when the broken components are only what (5) lets through."""
    text = str(failure)
    lower = text.lower()
    allowed = set(IGNORED_HEADERS)
    sent_query = set()
    if case is not None:
        allowed |= {name for where, name in _credentials(case) if where in ("header", "query", "cookie")}
    if response is not None:
        import urllib.parse

        url = urllib.parse.urlsplit(str(response.request.url))
        sent_query = {k.lower() for k, _ in urllib.parse.parse_qsl(url.query, keep_blank_values=True)}
    named = re.findall(r"missing `([^`]+)` at header", lower)
    named += re.findall(r"missing required '([^']+)' header", lower)
    found_any = bool(named)
    if any(name not in allowed for name in named):
        return False
    # "in header - violates `required` (was A, B)" or, in a list, "header: violates …".
    pattern = r"(?:in (header|query|cookie) -|(header|query|cookie):) ([^\n]*)"
    for inline, listed, rest in re.findall(pattern, lower):
        where = inline or listed
        found_any = True
        keywords = set(re.findall(r"`([a-z]+)`", rest))
        names = []
        for group in re.findall(r"\(was ([^)]*)\)", rest):
            names += [n.strip() for n in group.split(",") if n.strip()]
        if not keywords or (where != "query" and not names):
            return False
        if where == "query":
            if not keywords <= {"additionalproperties", "required"}:
                return False
            if any(n not in allowed and n not in sent_query for n in names):
                return False
        else:
            if keywords - {"required"}:
                return False
            if any(n not in allowed for n in names):
                return False
    return found_any


def _array_in_form(failure, case, response):
    """True for "in body - NAME: Incorrect type" where NAME is an array property of a form
    or multipart body (7)."""
    match = re.search(r"in body - ([^:\s]+): incorrect type", str(failure).lower())
    if not match:
        return False
    sent = str(response.request.headers.get("content-type") or "").lower()
    if not sent.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return False
    raw = case.operation.schema.raw_schema
    media = sent.split(";")[0].strip()
    for name, prop in _body_properties(case, media).items():
        if name.lower() == match.group(1) and _deref(raw, prop).get("type") == "array":
            return True
    return False


def _query_mutation_lost(failure, case, response):
    """True when every violation is a query `type` change that did not reach the wire (14)."""
    import urllib.parse

    text = str(failure)
    if not re.search(r"Invalid component: parameters? .* in query", text):
        return False
    violations = re.findall(r"violates `(\w+)` at /properties/([^\s]+)", text)
    if not violations:
        return False
    url = urllib.parse.urlsplit(str(response.request.url))
    sent = urllib.parse.parse_qs(url.query, keep_blank_values=True)
    raw = case.operation.schema.raw_schema
    path_item = (raw.get("paths") or {}).get(case.operation.path) or {}
    declared = {}
    for p in list(path_item.get("parameters") or []) + list(case.operation.definition.raw.get("parameters") or []):
        p = _deref(raw, p)
        if p.get("in") == "query":
            declared[p.get("name")] = _deref(raw, p.get("schema") or {})
    for keyword, name in violations:
        if keyword != "type" or name not in declared:
            return False
        values = sent.get(name)
        if values is None:
            continue
        if declared[name].get("type") == "array" and all(v == "" for v in values):
            continue
        return False
    return True


def _body_properties(case, media_type):
    """The `properties` of the operation's request body schema for `media_type`."""
    raw = case.operation.schema.raw_schema
    body = _deref(raw, case.operation.definition.raw.get("requestBody") or {})
    for media, content in (body.get("content") or {}).items():
        if media.lower().split(";")[0].strip() == media_type:
            return _deref(raw, content.get("schema") or {}).get("properties") or {}
    return {}


def _multipart_text_only(failure, case, response):
    """True when a multipart body's only violations are types of text or file parts (12)."""
    sent = str(response.request.headers.get("content-type") or "").lower()
    if not sent.startswith("multipart/form-data"):
        return False
    text = str(failure)
    violations = re.findall(r"violates `(\w+)` at /properties/([^\s]+)", text)
    if not violations or "Invalid component: in body" not in text:
        return False
    raw = case.operation.schema.raw_schema
    properties = _body_properties(case, "multipart/form-data")

    def textual(node):
        node = _deref(raw, node)
        if node.get("type") == "array":
            node = _deref(raw, node.get("items") or {})
            return node.get("format") in ("binary", "byte")
        return node.get("type") == "string" and not node.get("enum") and not node.get("pattern")

    return all(
        keyword == "type" and name in properties and textual(properties[name])
        for keyword, name in violations
    )


def _deref(raw, node):
    """Follows local `$ref`s (`#/components/…`) to the node they name."""
    for _ in range(32):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            break
        node = raw
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node.get(part, {}) if isinstance(node, dict) else {}
    return node if isinstance(node, dict) else {}


@schemathesis.check
def kontrat_negative_data_rejection(ctx, response, case):
    """negative_data_rejection, except OpenAPI-ignored header parameters (5)."""
    try:
        return builtin.negative_data_rejection(ctx, response, case)
    except Exception as failure:
        if (
            _names_ignored_header(failure, case, response)
            or _array_in_form(failure, case, response)
            or _multipart_text_only(failure, case, response)
            or _query_mutation_lost(failure, case, response)
        ):
            return None
        raise


@schemathesis.check
def kontrat_missing_required_header(ctx, response, case):
    """missing_required_header, except OpenAPI-ignored header parameters (5)."""
    try:
        return builtin.missing_required_header(ctx, response, case)
    except Exception as failure:
        if _names_ignored_header(failure, case, response):
            return None
        raise

