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
   describe them), so the mock does not demand them. Let through only when the missing or
   broken component is one of those headers.
"""

from __future__ import annotations

import re

import schemathesis
from schemathesis.specs.openapi import checks as builtin

EXCLUDED_BUILTINS = [
    "status_code_conformance",
    "ignored_auth",
    "unsupported_method",
    "negative_data_rejection",
    "missing_required_header",
    "use_after_free",
    "ensure_resource_availability",
]

UNDOCUMENTED = "kontrat-undocumented-status"
IGNORED_HEADERS = ("accept", "content-type", "authorization")


@schemathesis.check
def kontrat_status_code_conformance(ctx, response, case):
    """status_code_conformance, except marked undocumented refusals (1)."""
    if UNDOCUMENTED in {k.lower() for k in response.headers}:
        return None
    return builtin.status_code_conformance(ctx, response, case)


@schemathesis.check
def kontrat_ignored_auth(ctx, response, case):
    """ignored_auth, except wrong or generated credentials being accepted (2)."""
    try:
        return builtin.ignored_auth(ctx, response, case)
    except Exception as failure:  # schemathesis' IgnoredAuth
        if str(getattr(failure, "scenario", "")) == "no_auth":
            raise
        return None


def _templates_matching(case, path):
    schema = case.operation.schema.raw_schema
    found = {}
    for template, item in (schema.get("paths") or {}).items():
        pattern = "^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template)) + "/?$"
        if re.match(pattern, path):
            found[template] = {m.upper() for m in item if m.lower() in
                               ("get", "put", "post", "delete", "options", "head", "patch", "trace")}
    return found


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
        allow = {m.strip().upper() for m in response.headers.get("allow", "").split(",") if m.strip()}
        if len(templates) > 1 and (sent in methods or (allow and allow <= methods)):
            return None
        raise


def _names_ignored_header(failure):
    text = str(failure).lower()
    return any(
        f"`{h}` at header" in text or f"'{h}' header" in text for h in IGNORED_HEADERS
    )


@schemathesis.check
def kontrat_negative_data_rejection(ctx, response, case):
    """negative_data_rejection, except OpenAPI-ignored header parameters (5)."""
    try:
        return builtin.negative_data_rejection(ctx, response, case)
    except Exception as failure:
        if _names_ignored_header(failure):
            return None
        raise


@schemathesis.check
def kontrat_missing_required_header(ctx, response, case):
    """missing_required_header, except OpenAPI-ignored header parameters (5)."""
    try:
        return builtin.missing_required_header(ctx, response, case)
    except Exception as failure:
        if _names_ignored_header(failure):
            return None
        raise

