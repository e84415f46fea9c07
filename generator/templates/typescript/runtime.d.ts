/** A documented 2xx answer: `data` is its decoded, checked body. */
export interface Ok<S extends number, D> {
  readonly kind: "ok";
  readonly status: S;
  readonly data: D;
  readonly response: Response;
}

/** A documented non-2xx answer: `error` is its decoded, checked body. */
export interface Failure<S extends number, E> {
  readonly kind: "error";
  readonly status: S;
  readonly error: E;
  readonly response: Response;
}

/** An answer whose status the operation does not document; `body` is its text. */
export interface Undocumented {
  readonly kind: "undocumented";
  readonly status: number;
  readonly body: string;
  readonly response: Response;
}

/**
 * A documented status whose body is not JSON, has the wrong content type or fails its
 * schema; each problem names the JSON path (`$.data.accessToken: …`).
 */
export interface InvalidBody {
  readonly kind: "invalid-body";
  readonly status: number;
  readonly body: string;
  readonly problems: string[];
  readonly response: Response;
}

/** fetch rejected, the call was aborted or it timed out; `cause` says which. */
export interface NetworkFailure {
  readonly kind: "network";
  readonly cause: unknown;
}

/** What every call can end in besides its documented statuses. */
export type Unexpected = Undocumented | InvalidBody | NetworkFailure;

/** A credential, or a (sync or async) function giving it at each call (refresh flows). */
export type Credential<T> = T | (() => T | undefined | Promise<T | undefined>);

/** The value of an extra request header. */
export type HeaderValue = string | number | boolean;

/** Any other headers to send with a call, by name (`{ Prefer: "code=409" }`). */
export interface ExtraHeaders {
  [name: string]: HeaderValue;
}

/** Options every client takes, whatever the spec. */
export interface CommonOptions {
  /** Bearer token (without `Bearer `), sent only on operations whose security needs it. */
  token?: Credential<string>;
  /** API key(s): one for every API key scheme, or one per scheme name. */
  apiKey?: Credential<string> | Readonly<Record<string, Credential<string>>>;
  /** Basic credentials, sent only on operations whose security needs them. */
  basic?: Credential<{ username: string; password: string }>;
  /** The fetch to use (default: the global one). */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: Readonly<Record<string, HeaderValue>>;
  /** Sees (and may replace) every request before it is sent. */
  onRequest?: (request: Request) => Request | undefined | void | Promise<Request | undefined | void>;
  /** Sees (and may replace) every response before it is decoded. */
  onResponse?: (response: Response, request: Request) => Response | undefined | void | Promise<Response | undefined | void>;
  /** Abort a call after this many milliseconds (a `network` result). */
  timeoutMs?: number;
  /** fetch's `credentials` (`"include"` sends cookies cross-origin). */
  credentials?: RequestCredentials;
  /** Treat a string outside a documented enum as an invalid body (default `false`: the types accept it). */
  strictEnums?: boolean;
}

/** Thrown by `orThrow` for every result that is not `kind: "ok"`. */
export declare class ResponseError<R = Failure<number, unknown> | Unexpected> extends Error {
  readonly result: R;
  constructor(result: R);
}

/** The `data` of an `ok` result; throws a `ResponseError` carrying any other result. */
export declare function orThrow<R extends { kind: string }>(
  result: R,
): R extends { kind: "ok"; data: infer D } ? D : never;
