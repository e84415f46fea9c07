// Type tests of the generated package: `tsc -p .` must accept every line, and every
// `@ts-expect-error` must meet an error. Nothing here runs.
import {
  createClient,
  orThrow,
  validateTokenPair,
  isTokenPair,
  type Envelope,
  type ErrorEnvelope,
  type RefreshTokenResult,
  type TokenPair,
  type TokenPairEnvelope,
} from "../../generated/auth-api-ts/index.js";

const store = { accessToken: "a.b.c" as string | undefined };
const api = createClient({ baseUrl: "http://127.0.0.1:4010", token: () => store.accessToken });
createClient({ server: "Development", token: async () => "a.b.c", timeoutMs: 5000 });
// @ts-expect-error: not a server of the spec
createClient({ server: "Staging" });
// @ts-expect-error: a base URL or a server, not both
createClient({ server: "Development", baseUrl: "http://x" });

export async function narrowing(refreshToken: string): Promise<void> {
  const r: RefreshTokenResult = await api.refreshToken({ body: { refreshToken } });
  if (r.kind === "ok") {
    const pair: TokenPair = r.data.data;
    const status: 200 = r.status;
    void pair;
    void status;
  } else if (r.kind === "error") {
    const envelope: ErrorEnvelope = r.error;
    const nothing: null = r.error.data;
    if (r.status === 409) {
      const conflict: 409 = r.status;
      void conflict;
      // @ts-expect-error: a 409 has no `data`
      void r.data;
    }
    void envelope;
    void nothing;
  } else if (r.kind === "invalid-body") {
    const problems: string[] = r.problems;
    const body: string = r.body;
    void problems;
    void body;
  } else if (r.kind === "undocumented") {
    const status: number = r.status;
    void status;
  } else {
    const cause: unknown = r.cause;
    void cause;
  }
  // @ts-expect-error: `data` exists only once `kind` is narrowed to "ok"
  void r.data;
}

export async function requests(): Promise<void> {
  // @ts-expect-error: the body is required
  await api.refreshToken({});
  // @ts-expect-error: `refreshToken` is required in the body
  await api.refreshToken({ body: {} });
  // @ts-expect-error: no unknown properties in the body
  await api.refreshToken({ body: { refreshToken: "x".repeat(16), extra: 1 } });
  // @ts-expect-error: the input is required when the body is
  await api.refreshToken();
  await api.logout();
  await api.logout({ headers: { Prefer: "code=401" }, signal: AbortSignal.timeout(1000) });
  const data: TokenPairEnvelope = await api.refreshToken({ body: { refreshToken: "x".repeat(16) } }).then(orThrow);
  void data;
}

export function types(value: unknown): void {
  const problems: string[] = validateTokenPair(value);
  void problems;
  if (isTokenPair(value)) {
    // A value the server adds later still type-checks; the documented one autocompletes.
    const t: TokenPair["tokenType"] = value.tokenType;
    const future: TokenPair["tokenType"] = "DPoP";
    void t;
    void future;
  }
  const e: Envelope<number> = { isSuccess: true, statusCode: 200, data: 1, errors: [], timestamp: "" };
  void e;
}

// MSW handlers (`auth-api/msw`): typed override bodies and options.
import { createHandlers, type Handlers } from "auth-api/msw";
import type { HttpHandler } from "msw";

const handlers: Handlers = createHandlers({ baseUrl: "http://127.0.0.1:4010" });
export const mswHandlers: HttpHandler[] = [
  handlers.refreshToken.status200(),
  handlers.refreshToken.status200({ delay: 100, once: true, headers: { "x-trace": "1" } }),
  handlers.refreshToken.status200({
    body: {
      isSuccess: true,
      statusCode: 200,
      data: { accessToken: "a.b.c", refreshToken: "r", expiresIn: 900, tokenType: "Bearer" },
      errors: [],
      timestamp: "2030-01-01T00:00:00.000Z",
    },
  }),
  handlers.logout.status409({
    body: { isSuccess: false, statusCode: 409, data: null, errors: ["taken"], timestamp: "2030-01-01T00:00:00.000Z" },
  }),
  handlers.logout.undocumented({ status: 502, body: "bad gateway" }),
  handlers.logout.malformed({ status: 401, contentType: "text/html" }),
  handlers.revokeRefreshToken.networkError({ delay: "real" }),
  createHandlers().logout.status200(),
  // @ts-expect-error: an override body of the wrong shape
  handlers.refreshToken.status200({ body: { isSuccess: true } }),
  // @ts-expect-error: a 409 body is an error envelope, not a token pair envelope
  handlers.refreshToken.status409({ body: { isSuccess: true, statusCode: 200, data: { accessToken: "a", refreshToken: "r", expiresIn: 1, tokenType: "Bearer" }, errors: [], timestamp: "t" } }),
  // @ts-expect-error: malformed takes documented JSON statuses only
  handlers.logout.malformed({ status: 418 }),
  // @ts-expect-error: not an operation
  handlers.login.status200(),
  // @ts-expect-error: not a documented status
  handlers.logout.status201(),
  // @ts-expect-error: delay is milliseconds, "real" or "infinite"
  handlers.logout.status200({ delay: "slow" }),
];
