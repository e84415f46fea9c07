"""Prints a schemathesis.toml that gives every security scheme of a spec a credential.

The mock accepts any well-formed credential, so fixed test values do; a JWT-shaped token for
bearer schemes (the mock checks the shape when the scheme says `bearerFormat: JWT`).

    python3 auth_config.py SPEC.json > schemathesis.toml
"""

import json
import sys

JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"


def main(path):
    with open(path, encoding="utf-8") as f:
        spec = json.load(f) if path.endswith(".json") else None
    if spec is None:
        import yaml  # schemathesis depends on PyYAML

        with open(path, encoding="utf-8") as f:
            spec = yaml.safe_load(f)
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    for name, scheme in schemes.items():
        if not isinstance(scheme, dict) or "$ref" in scheme:
            continue
        kind = scheme.get("type")
        header = f"[auth.openapi.{json.dumps(name)}]"
        if kind == "apiKey":
            print(f'{header}\napi_key = "kontrat-test-key"\n')
        elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            print(f'{header}\nusername = "user"\npassword = "pass"\n')
        elif kind in ("http", "oauth2", "openIdConnect"):
            print(f'{header}\nbearer = "{JWT}"\n')


if __name__ == "__main__":
    main(sys.argv[1])
