/** HTTP methods the platform's REST API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A value allowed in a query string; `undefined` entries are left out. */
export type QueryValue = string | number | boolean | undefined;

/** A file sent in a multipart body. */
export interface FileAttachment {
  /** File name announced to the platform. */
  name: string;
  /** The file's bytes. */
  data: Uint8Array | Blob;
  /** MIME type; `application/octet-stream` when omitted. */
  contentType?: string | undefined;
}

/** Everything {@link RestClient.request} needs to send one request. */
export interface RequestOptions {
  /** HTTP method. */
  method: HttpMethod;
  /**
   * Route template with `{name}` placeholders, such as `/channels/{channel_id}/messages`.
   * The template (not the filled path) names the route in errors, logs and rate-limit keys.
   */
  route: string;
  /** Values for the template's placeholders; each is URL-encoded. */
  params?: Readonly<Record<string, string>> | undefined;
  /** Query string entries; `undefined` values are skipped. */
  query?: Readonly<Record<string, QueryValue>> | undefined;
  /** JSON body. Ignored when `files` is set: then its fields become multipart form fields. */
  body?: unknown | undefined;
  /**
   * Files for a multipart/form-data body, keyed by form field (`file_image`). When set, each
   * `body` field is sent as a form field, objects encoded as JSON strings.
   */
  files?: Readonly<Record<string, FileAttachment>> | undefined;
  /** Extra headers (for example `X-Callback-AppID`). */
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Cancels the call at any stage: waiting for the token, in its queue, in a rate-limit pause or
   * back-off, or on the wire. The call rejects with the signal's reason, except a POST that may
   * have reached the platform already: it rejects with an `AbortedAfterSendError` (the reason as
   * its `cause`), so that the caller checks before sending it again.
   */
  signal?: AbortSignal | undefined;
  /**
   * How long the whole call may take, in milliseconds — token, waits, every attempt and back-off;
   * the client's `timeout` (15 s by default) otherwise.
   */
  timeout?: number | undefined;
  /**
   * Re-send a non-idempotent request (POST) after a gateway timeout (504) although its body
   * carries no `msg_seq`, `msg_id` or `event_id`. Off by default: the platform may have acted on
   * the first attempt, and a repeated message is worse than a reported error.
   */
  retryOnTimeout?: boolean | undefined;
  /**
   * The request sends a message the platform may hold for audit: a 201/202 answer with an audit
   * body resolves to a {@link PendingAudit} instead of the usual result.
   */
  auditable?: boolean | undefined;
  /** Send without an `Authorization` header. */
  unauthenticated?: boolean | undefined;
}
