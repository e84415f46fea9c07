// The dashboard's request building and curl lines (mock-server/dashboard/request.js and
// curl.js): pure modules, so Node runs them as they are, without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

import { buildRequest, exampleText, joinUrl } from "../../mock-server/dashboard/request.js";
import { curlLine, shellQuote } from "../../mock-server/dashboard/curl.js";

const schemes = {
  "JWT-auth": { kind: "bearer" },
  basic: { kind: "basic" },
  key: { kind: "apiKey", in: "query", param: "api_key" },
  cookieKey: { kind: "apiKey", in: "cookie", param: "sid" },
};

const op = {
  method: "PUT",
  path: "/pets/{petId}/tags",
  security: [[], ["JWT-auth"]],
  parameters: [
    { name: "petId", in: "path", required: true, array: false, explode: false },
    { name: "tags", in: "query", required: false, array: true, explode: true },
    { name: "ids", in: "query", required: false, array: true, explode: false },
    { name: "X-Trace", in: "header", required: false, array: false, explode: false },
    { name: "session", in: "cookie", required: false, array: false, explode: false },
  ],
  requestBody: { mediaType: "application/json", required: true },
};

test("a request is built from the form's values", () => {
  const r = buildRequest(
    op,
    schemes,
    {
      params: { "path:petId": "a b/c", "query:tags": "x, y", "query:ids": "1,2", "header:X-Trace": "t1", "cookie:session": "s" },
      credentials: { "JWT-auth": "Bearer  eyJ.x.y" },
      body: '{"name": "it\'s"}',
    },
    "https://api.example.com/v1/",
  );
  assert.equal(r.method, "PUT");
  assert.equal(r.url, "https://api.example.com/v1/pets/a%20b%2Fc/tags?tags=x&tags=y&ids=1%2C2");
  assert.deepEqual(r.headers, [
    ["X-Trace", "t1"],
    ["Authorization", "Bearer eyJ.x.y"],
    ["Content-Type", "application/json"],
  ]);
  assert.equal(r.body, '{"name": "it\'s"}');
  assert.equal(r.skipped.length, 1, "a page cannot set cookies");
});

test("empty optional parameters and credentials are left out", () => {
  const r = buildRequest(op, schemes, { params: { "path:petId": "7" }, credentials: {}, body: "" }, "http://127.0.0.1:4010");
  assert.equal(r.url, "http://127.0.0.1:4010/pets/7/tags");
  assert.deepEqual(r.headers, []);
  assert.equal(r.body, null);
});

test("basic and API-key credentials go where their scheme says", () => {
  const basic = buildRequest({ ...op, security: [["basic"]] }, schemes, { params: { "path:petId": "1" }, credentials: { basic: { user: "ä", password: "p:w" } } }, "http://h");
  assert.deepEqual(basic.headers, [["Authorization", `Basic ${Buffer.from("ä:p:w").toString("base64")}`]]);
  const key = buildRequest({ ...op, security: [["key"]] }, schemes, { params: { "path:petId": "1" }, credentials: { key: "k&1" } }, "http://h");
  assert.equal(key.url, "http://h/pets/1/tags?api_key=k%261");
  const cookie = buildRequest({ ...op, security: [["cookieKey"]] }, schemes, { params: { "path:petId": "1" }, credentials: { cookieKey: "s" } }, "http://h");
  assert.match(cookie.skipped[0], /cookie/);
});

test("curl lines survive the shell: quotes, spaces, the token variable", () => {
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(joinUrl("http://h/", "/a"), "http://h/a");
  const request = {
    method: "POST",
    url: "http://127.0.0.1:1/a b",
    headers: [
      ["Authorization", "Bearer $TOKEN"],
      ["Content-Type", "application/json"],
    ],
    body: '{ "quote": "it\'s", "dollar": "$HOME" }',
  };
  const line = curlLine(request, "$TOKEN");
  assert.equal(
    line,
    `curl -X POST 'http://127.0.0.1:1/a b' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-raw '{"quote":"it'\\''s","dollar":"$HOME"}'`,
  );
  // What the shell hands curl: the body exactly, $HOME unexpanded, the token expanded.
  const argv = execFileSync("sh", ["-c", `set -- ${line.slice(5)}; for a; do printf '%s\\n' "$a"; done`], {
    env: { TOKEN: "tok", HOME: "/home/x", PATH: process.env.PATH },
  })
    .toString()
    .trimEnd()
    .split("\n");
  assert.deepEqual(argv, [
    "-X",
    "POST",
    "http://127.0.0.1:1/a b",
    "-H",
    "Authorization: Bearer tok",
    "-H",
    "Content-Type: application/json",
    "--data-raw",
    `{"quote":"it's","dollar":"$HOME"}`,
  ]);
});

test("examples show in form fields as text", () => {
  assert.equal(exampleText(undefined), "");
  assert.equal(exampleText("x"), "x");
  assert.equal(exampleText(["a", 1]), "a,1");
  assert.equal(exampleText({ a: 1 }), '{"a":1}');
  assert.equal(exampleText(3), "3");
});
