import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  childLogger,
  createLogger,
  MAX_TIMER_DELAY,
  messageOf,
  Opcode,
  requireInteger,
  typedEventEmitter,
  ValidationError,
  type BotLogger,
  type CallbackAck,
  wireName,
} from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { DispatchPayload } from '../protocol/GatewayProtocol.js';
import { isThenable, onListenerRejection } from '../shard/listenerRejections.js';
import { asRefusal } from './asRefusal.js';
import { ByteBudget } from './ByteBudget.js';
import { parseDelivery } from './parseDelivery.js';
import { readBody, type BodyOutcome } from './readBody.js';
import { receiverBodyLimits, type ReceiverBodyLimits } from './receiverBodyLimits.js';
import { DISPROVED_BY_A_VERIFIED_DELIVERY, LastVerified } from './LastVerified.js';
import { ListenerFailures } from './ListenerFailures.js';
import { refusalCheck, type RefusalContext } from './refusalCheck.js';
import { RefusalReports } from './RefusalReports.js';
import { reportDuration } from './reportDuration.js';
import { checkRequestHead, shuttingDownRefusal, type HeadRules } from './requestHead.js';
import type { SignatureHeaders } from './signatureHeaders.js';
import { unsignedRefusal } from './unsignedRefusal.js';
import { resolveWebhookLimits, type WebhookLimits } from './WebhookLimits.js';
import { WebhookRefusedError } from './WebhookRefusedError.js';
import type { WebhookRefusalsError } from './WebhookRefusalsError.js';
import { checkWebhookPath } from './webhookPath.js';
import { createWebhookServer, listenWebhookServer, type WebhookServer } from './webhookServer.js';
import { WebhookSigner } from './WebhookSigner.js';
import { writeRefusal } from './writeRefusal.js';

/** Options of a {@link WebhookReceiver}. */
export interface WebhookReceiverOptions {
  /** The bot's AppSecret: the signing key is derived from it. */
  secret: string;
  /** When set, deliveries whose `X-Bot-Appid` names another bot are refused (401). */
  appId?: string | undefined;
  /**
   * When set, requests for other paths get 404 (useful with {@link WebhookReceiver.listen}). It is
   * the path part of the URL configured on the platform, such as `'/qq'`: it starts with `/` and
   * has no query, fragment, whitespace or control characters (non-ASCII percent-encoded).
   */
  path?: string | undefined;
  /**
   * Sizes, timeouts and caps; each omitted one keeps its default (see {@link WebhookLimits}).
   *
   * @defaultValue {@link DEFAULT_WEBHOOK_LIMITS}
   */
  limits?: { [K in keyof WebhookLimits]?: WebhookLimits[K] | undefined } | undefined;
  /**
   * Back-pressure: asked once per request, after its head passed the checks and before its body
   * is read. While it returns `true`, deliveries are refused with 503 and `Retry-After: 1`
   * (refusal `overloaded`), unread; the platform is expected to deliver them again later (not
   * verified: see docs/protocol.md §9.5).
   *
   * @defaultValue never busy
   */
  busy?: (() => boolean) | undefined;
  /**
   * Shutdown: asked once per request, as `busy` is and before it, then again once the body is in
   * (for a body completed after the shutdown began). While it returns `true`, deliveries are
   * refused with 503 and `Retry-After: 1` as busy ones are (at the head, bodies unread), but with
   * the refusal `shuttingDown` ("shutting down: retry later"), so that a proxy's log after a
   * deploy does not read as a load problem. The platform is expected to deliver them again (not
   * verified: see docs/protocol.md §9.5), to this instance once restarted or to another.
   *
   * @defaultValue never shutting down
   */
  shuttingDown?: (() => boolean) | undefined;
  /**
   * Least time between two reports of refusals for one reason, in ms. Refusals that point at
   * something to fix (see {@link WebhookRefusalsError}) are reported on `error`: the first of a
   * reason at once, the ones after it as one count per interval. It is also how recently a
   * delivery must have verified for refusals it disproves to go unreported (see the `error` event).
   *
   * @defaultValue 60,000
   */
  refusalReportIntervalMs?: number | undefined;
  /**
   * Deliveries of one event a `dispatch` listener may throw on. While fewer have failed, the
   * receiver answers 500 (refusal `listenerFailed`), on which the platform is expected to deliver
   * the event again (not verified); at the last, it acknowledges the event, which is then lost, and
   * says so on `error`. 1 acknowledges every event whatever its listener did. Counted per event id
   * in this receiver (the most recent 1,024 events failed on) and cleared once a delivery of the
   * event is acknowledged, so a redelivery that reaches another instance starts its own count.
   *
   * @defaultValue 3
   */
  dispatchAttempts?: number | undefined;
  /**
   * Longest wait, in ms, for the promises `dispatch` listeners return (an `async` listener's) before
   * the delivery is answered: fulfilled, it is acknowledged; rejected, it is refused as when a
   * listener threw (see `dispatchAttempts`). Past it, the delivery is acknowledged (said on
   * `debug`), and a rejection after that is reported on `error`: the event is not delivered again.
   * 0, the default, acknowledges at once, a rejection being reported the same way. Opt in only
   * knowing the platform's own wait for an answer, which is not documented: every delivery waits
   * for its slowest listener, and one that outlasts the platform's wait may have the event sent
   * again while it still runs, so that it runs twice.
   *
   * @defaultValue 0
   */
  dispatchWaitMs?: number | undefined;
  /** Logger; the receiver logs under a sub-logger named `webhook`. */
  logger?: BotLogger | undefined;
}

/** Events of a {@link WebhookReceiver}. */
export type WebhookReceiverEvents = {
  /**
   * A verified event, the same payload shape shards emit; its `id`, when present, is a non-empty
   * string. While nothing listens, events are refused (503, `Retry-After`, refusal `overloaded`)
   * rather than acknowledged and lost, for the platform to deliver them again. A listener that
   * throws gets the event refused (500, refusal `listenerFailed`), on which the platform is
   * expected to deliver it again (not verified), up to
   * {@link WebhookReceiverOptions.dispatchAttempts}; each failure is reported on `error`. A promise
   * a listener returns (an `async` listener's) is not waited for unless
   * {@link WebhookReceiverOptions.dispatchWaitMs} is set: within that wait its rejection counts as
   * a throw, and otherwise it is reported on `error`, the event not delivered again.
   *
   * A redelivery goes to every listener, not only to the one that failed: a listener that handled
   * the event sees it again, and the event may come after ones sent later. Handle events by `id`
   * where a repeat matters (the client's own handling drops a repeated id).
   */
  dispatch: (payload: DispatchPayload) => void;
  /**
   * A request was turned away: the status answered, what was wrong (never a secret), and the
   * typed error carrying both and the reason's code.
   */
  rejected: (status: number, reason: string, error: WebhookRefusedError) => void;
  /** Diagnostics. */
  debug: (message: string) => void;
  /**
   * Something a user should hear of, without an `error` listener logged as a warning:
   *
   * - a {@link WebhookRefusalsError}: requests refused for a reason that may mean the platform's
   *   events are not arriving, and what to check if so. A signature that does not verify
   *   (`badSignature`: the AppSecret), a signature timestamp out of the window (`staleTimestamp`:
   *   this machine's clock), another bot's app id, signature headers on a request for another path,
   *   signature headers missing from a request naming an app id or not in the platform's form
   *   (something in between alters them), a body with a `Content-Encoding` on a request carrying
   *   signature headers (`unsupportedEncoding`: something in between compresses it), a body over
   *   `maxBodyBytes` on a request carrying signature headers, a delivery whose signature verified
   *   but that cannot be read (`malformedDelivery`), a failure of the receiver's own (`internal`,
   *   500: a `busy` or `shuttingDown` callback that threw, a body already read by a body parser
   *   mounted before the receiver, a bug). Rate-limited per reason (see
   *   {@link WebhookReceiverOptions.refusalReportIntervalMs}); each is announced on `rejected` first.
   * - a `GatewayError` for a listener that threw or whose promise rejected (for a `dispatch`
   *   listener, whether it was refused for the platform to deliver again or given up; see `dispatch`),
   *   or for a failure of the {@link WebhookReceiver.listen} server.
   *
   * Nothing but `malformedDelivery` and `internal` was verified: anyone who knows the callback URL
   * can send made-up signature headers of the right form with a fresh timestamp, and with no
   * `X-Bot-Appid` at all (the app id is only compared when the request names one, the path only
   * when `path` is set). Such a request reaches the signature check, or any of the refusals above
   * but the last two, without the secret. So a refusal of the seven reasons a working set-up
   * disproves (`badSignature`, `staleTimestamp`, `wrongAppId`, `unknownPath`, `missingSignature`,
   * `malformedSignature`, `unsupportedEncoding`) is not reported while a delivery verified within
   * `refusalReportIntervalMs`: that delivery came with this receiver's key, within the timestamp
   * window, on the served path, through whatever sits in front, so the AppSecret, the clock and
   * the callback URL are right and the request was someone else's. It stays on `rejected`, and
   * `debug` says why it was not reported. Dropping it, rather than reporting it with a note, keeps
   * a stranger from raising an operator's alerts, or sending them to change a secret or a clock
   * that are right, while the bot works. When no delivery verified within the interval (a wrong
   * AppSecret stops every one), they are reported: usually the platform, and then events are lost
   * until it is fixed; a sender forging them on purpose costs one report per reason and interval.
   * `bodyTooLarge` is always reported, as a verified delivery says nothing of the next one's size,
   * and its report says the request may be anyone's.
   */
  error: (error: Error) => void;
};

/**
 * What a receiver answers a signature that does not verify: both usual causes, as the one reading
 * it may be looking at a proxy's log, where a body the proxy rewrote shows as this refusal.
 */
const BAD_SIGNATURE_DETAIL =
  'bad signature: not signed with the AppSecret this receiver has, or the body was changed on its way (a proxy re-encoding or compressing it)';
/** What a receiver answers an event while nothing listens to its `dispatch` event. */
const NO_LISTENER_DETAIL = "no 'dispatch' listener yet: retry later";
/** The wait it asks for meanwhile; the platform retries on its own schedule anyway. */
const NO_LISTENER_RETRY_AFTER_SECONDS = 1;
/** Default least time between two refusal reports of one reason. */
const DEFAULT_REFUSAL_REPORT_INTERVAL_MS = 60_000;
/** Default deliveries of one event a `dispatch` listener may throw on. */
const DEFAULT_DISPATCH_ATTEMPTS = 3;
/** Most `dispatchAttempts` accepted: each failed delivery costs the platform a retry. */
const MAX_DISPATCH_ATTEMPTS = 100;
/**
 * Default longest wait for the promises `dispatch` listeners return: none, as the platform's own
 * answer timeout is not known, and past it the platform would deliver the event again while its
 * listener still runs.
 */
const DEFAULT_DISPATCH_WAIT_MS = 0;
/** Most `dispatchWaitMs` accepted: the platform does not wait that long for an answer. */
const MAX_DISPATCH_WAIT_MS = 60_000;
/** Most events whose failed deliveries are counted at once. */
const LISTENER_FAILURES_REMEMBERED = 1024;
/** What a receiver answers an event its `dispatch` listener threw on. */
const LISTENER_FAILED_DETAIL = "a 'dispatch' listener failed on this event: deliver it again";

const ACK: CallbackAck = { op: Opcode.HttpCallbackAck, d: 0 };
const ACK_TEXT = JSON.stringify(ACK);
const ACK_HEADERS = Object.freeze({
  'Content-Type': 'application/json',
  'Content-Length': Buffer.byteLength(ACK_TEXT),
});

/**
 * Receives the platform's webhook deliveries: verifies each Ed25519 signature over the raw body
 * bytes, refuses deliveries signed more than `timestampToleranceSeconds` away from now, answers URL
 * validation (op 13), acknowledges events (op 12) and emits them as `dispatch`. It keeps no record
 * of what it received: a signed delivery sent again within the tolerance (a platform retry, or a
 * copy) is acknowledged and emitted again, so handle events by their `id` where a repeat matters.
 * An event is acknowledged once its `dispatch` listeners have returned (and, with `dispatchWaitMs`
 * set, the promises they returned have settled, up to that wait); one that throws (or rejects
 * within the wait) gets the delivery refused with 500, for the platform to deliver it again (not
 * verified), at most `dispatchAttempts` times, to every listener.
 * Plug {@link WebhookReceiver.handler} into any Node HTTP server or framework that exposes Node's
 * request and response, or call {@link WebhookReceiver.listen}.
 *
 * Everything a request's head can tell is checked before its body is read: method (405), path
 * (404), app id (401), a content coding (415), the signature headers' presence and form and the
 * timestamp window (401), the declared size (413), room in the buffered-bytes budget and, with
 * `busy`, in the consumer (503 with `Retry-After`; `shuttingDown` first, the same way). A body is
 * then cut off at `maxBodyBytes` (413) or `bodyTimeoutMs` (408); the signature must verify (401)
 * and the delivery be well formed (400). Every refusal closes its connection, and none throws out
 * of the handler. See {@link WebhookRefusedError} for the reasons. Every refusal is announced on
 * `rejected`; those that may mean the platform's events are not arriving (a wrong AppSecret above
 * all) are also reported on `error`, rate-limited, unless a delivery verified recently disproves
 * them (see its TSDoc).
 */
export class WebhookReceiver extends typedEventEmitter<WebhookReceiverEvents>() {
  /** `(request, response) => void` for `http.createServer` or a framework's raw route. */
  public readonly handler: (request: IncomingMessage, response: ServerResponse) => void;
  /** The limits in force, defaults filled in. */
  public readonly limits: Readonly<WebhookLimits>;
  readonly #signer: WebhookSigner;
  readonly #head: HeadRules;
  readonly #bodyLimits: ReceiverBodyLimits;
  readonly #log: BotLogger;
  readonly #refusalContext: RefusalContext;
  readonly #reports: RefusalReports;
  readonly #reportIntervalMs: number;
  readonly #lastVerified = new LastVerified();
  readonly #dispatchAttempts: number;
  readonly #dispatchWaitMs: number;
  readonly #listenerFailures: ListenerFailures;

  /**
   * @param options - secret, limits, optional app id, path and back-pressure
   * @throws {@link ValidationError} for no options, a missing, non-string or empty secret, a limit,
   *   `refusalReportIntervalMs`, `dispatchAttempts` or `dispatchWaitMs` out of range, or a `path`
   *   no request can match (see {@link WebhookReceiverOptions.path})
   */
  public constructor(options: WebhookReceiverOptions) {
    // An async listener's rejection is reported on `error` like a throw, not left unhandled.
    super({ captureRejections: true });
    // Checked first, as a TypeError from reading a field would not say which setting to fix.
    if (typeof options !== 'object' || options === null)
      throw new ValidationError('options', 'is missing: pass { secret } (the AppSecret) at least');
    this.#signer = WebhookSigner.fromSecret(options.secret);
    this.limits = resolveWebhookLimits(options.limits);
    this.#head = {
      path: checkWebhookPath(options.path),
      appId: options.appId,
      timestampToleranceSeconds: this.limits.timestampToleranceSeconds,
      shuttingDown: options.shuttingDown,
      busy: options.busy,
    };
    this.#bodyLimits = receiverBodyLimits(this.limits, new ByteBudget(this.limits.maxBufferedBytes));
    this.#log = childLogger(options.logger ?? createLogger('gateway'), 'webhook');
    this.#refusalContext = {
      path: this.#head.path,
      maxBodyBytes: this.limits.maxBodyBytes,
      timestampToleranceSeconds: this.limits.timestampToleranceSeconds,
    };
    const reportIntervalMs = requireInteger(
      options.refusalReportIntervalMs ?? DEFAULT_REFUSAL_REPORT_INTERVAL_MS,
      'refusalReportIntervalMs',
      1,
      MAX_TIMER_DELAY,
    );
    this.#reportIntervalMs = reportIntervalMs;
    this.#reports = new RefusalReports(reportIntervalMs, (report) => this.#report(report));
    this.#dispatchAttempts = requireInteger(
      options.dispatchAttempts ?? DEFAULT_DISPATCH_ATTEMPTS,
      'dispatchAttempts',
      1,
      MAX_DISPATCH_ATTEMPTS,
    );
    this.#dispatchWaitMs = requireInteger(
      options.dispatchWaitMs ?? DEFAULT_DISPATCH_WAIT_MS,
      'dispatchWaitMs',
      0,
      MAX_DISPATCH_WAIT_MS,
    );
    this.#listenerFailures = new ListenerFailures(this.#dispatchAttempts, LISTENER_FAILURES_REMEMBERED);
    onListenerRejection(this, (cause, event) => this.#listenerRejected(cause, event));
    this.handler = (request, response) => this.#serve(request, response, undefined);
  }

  /**
   * Handles one request completely. Never rejects: every failure becomes an HTTP answer.
   *
   * @param request - Node's request, body not yet read
   * @param response - Node's response
   * @returns a promise settled once the answer is handed to the response
   */
  public handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    return new Promise((answered) => this.#serve(request, response, answered));
  }

  /**
   * A Node HTTP server that serves only this receiver, with the server-side limits applied: head
   * timeout, request deadline, idle timeout and connection cap. (With {@link WebhookReceiver.handler}
   * in a server of your own, those four are that server's settings; the body limits apply either way.)
   */
  public createServer(): Server {
    const { maxConnections } = this.limits;
    return createWebhookServer(this.limits, this.handler, () =>
      this.#emitSafe('debug', `closed a connection beyond maxConnections (${maxConnections})`),
    );
  }

  /**
   * Reports at once the refusals still being counted for their next report (see
   * {@link WebhookRefusalsError}) and clears the timers that would report them. The server of
   * {@link WebhookReceiver.listen} does this when it has closed; with {@link WebhookReceiver.handler}
   * in a server of your own, call it once that server has closed, or those last counts are only
   * reported when their interval ends (their timers do not keep the process alive).
   */
  public reportPendingRefusals(): void {
    this.#reports.flush();
  }

  /**
   * Starts a server from {@link WebhookReceiver.createServer} and listens. A server error once it
   * listens (a failed accept, `EMFILE`) is reported on `error` as a `GatewayError`. Its `close()`
   * ends with {@link WebhookReceiver.reportPendingRefusals}.
   *
   * Without `host` it listens on every interface of the machine, and its `url` says so with
   * `0.0.0.0`. Behind a proxy on the same machine, pass `host: '127.0.0.1'`: the plain HTTP port is
   * otherwise open to the network beside the proxy.
   *
   * @param options - port (0 for a free one) and host (all interfaces by default)
   * @throws {@link GatewayError} (as a rejection) naming host and port when it cannot listen
   *   (`EADDRINUSE`, …), with what to do and the system error as `cause`
   */
  public listen(options: { port: number; host?: string }): Promise<WebhookServer> {
    const { headersTimeoutMs, bodyTimeoutMs } = this.limits;
    return listenWebhookServer(
      this.createServer(),
      options,
      this.#head.path ?? '/',
      // A delivery read just before close() waits up to dispatchWaitMs for its listeners: reset
      // unanswered, it would be sent again though they finish. At most 60 s more than without a wait.
      headersTimeoutMs + bodyTimeoutMs + this.#dispatchWaitMs,
      (error) => this.#report(error),
    ).then((listening) => ({
      ...listening,
      // Once the last requests are answered, their refusals are all counted: report them now.
      close: () => listening.close().then(() => this.reportPendingRefusals()),
    }));
  }

  /**
   * Checks the head, reads the body, answers, then calls `answered` (for {@link handle}). Callbacks,
   * not `await`: a delivery is answered in the turn its body ends, unless a `dispatch` listener
   * returned a promise. Never throws.
   */
  #serve(request: IncomingMessage, response: ServerResponse, answered: (() => void) | undefined): void {
    request.on('error', ignoreError); // a client hanging up must not become an uncaught error
    let signed: SignatureHeaders | undefined;
    try {
      signed = checkRequestHead(request, this.#head);
    } catch (error) {
      try {
        this.#refuse(request, response, asRefusal(error), false);
      } finally {
        answered?.();
      }
      return;
    }
    readBody(
      request,
      signed ? this.#bodyLimits.signed : this.#bodyLimits.unsigned,
      (outcome: BodyOutcome) => {
        let waiting: Promise<void> | undefined;
        try {
          waiting = this.#answer(request, response, signed, outcome);
        } finally {
          if (waiting === undefined) answered?.();
          else if (answered !== undefined) void waiting.then(answered);
        }
      },
    );
  }

  /**
   * Answers a request whose body was read (or refused): verified, parsed and dispatched, or refused.
   *
   * @returns a promise fulfilled once answered when the answer waits for `dispatch` listeners'
   *   promises (it never rejects), or `undefined` when it was answered at once
   */
  #answer(
    request: IncomingMessage,
    response: ServerResponse,
    signed: SignatureHeaders | undefined,
    outcome: BodyOutcome,
  ): Promise<void> | undefined {
    if (outcome instanceof WebhookRefusedError) {
      this.#refuse(request, response, outcome, false);
      return undefined;
    }
    let verified = false;
    try {
      // The head was checked before the body came: a shutdown begun since then must not get the
      // event acknowledged and lost with the process, so it is refused as one seen at the head.
      if (this.#head.shuttingDown?.() === true) throw shuttingDownRefusal();
      if (signed) {
        this.#verify(signed, outcome);
        verified = true;
        this.#lastVerified.verified();
      }
      const answer = this.#process(signed !== undefined, outcome, response);
      if (typeof answer === 'string') {
        writeAnswer(response, answer);
        return undefined;
      }
      return answer.then(
        (text) => {
          if (text === undefined) return; // its connection closed unanswered
          try {
            writeAnswer(response, text);
          } catch (error) {
            this.#refuse(request, response, asRefusal(error), true);
          }
        },
        (error: unknown) => this.#refuse(request, response, asRefusal(error), true),
      );
    } catch (error) {
      this.#refuse(request, response, asRefusal(error), verified);
      return undefined;
    }
  }

  /**
   * @param verified - whether the body came signed and its signature verified (an unsigned body may
   *   only be a URL validation)
   * @param body - still taken from the budget (readBody gives it back once this has returned)
   * @param response - the delivery's response, watched for its connection closing while listeners'
   *   promises are waited for
   * @returns the answer's JSON text, or a promise of it while `dispatch` listeners' promises settle
   *   (of `undefined` when the connection closed before)
   */
  #process(verified: boolean, body: Buffer, response: ServerResponse): string | Promise<string | undefined> {
    const delivery = parseDelivery(body);
    if (delivery.kind === 'validation') {
      this.#logSafe('info', 'answered the callback URL validation');
      return JSON.stringify(this.#signer.answerValidation(delivery.data));
    }
    if (!verified) throw unsignedRefusal('and it is not a URL validation');
    if (delivery.kind === 'dispatch') {
      // Acknowledged with nobody listening, the event would be lost without a word; refused, the
      // platform should deliver it again (an application may serve before its own start-up is done).
      if (this.listenerCount('dispatch') === 0)
        throw new WebhookRefusedError('overloaded', NO_LISTENER_DETAIL, {
          retryAfterSeconds: NO_LISTENER_RETRY_AFTER_SECONDS,
        });
      const waiting = this.#dispatch(delivery.payload, body, response);
      if (waiting !== undefined) return waiting;
    } else this.#emitSafe('debug', `acknowledged a delivery with op ${delivery.op}`);
    return ACK_TEXT;
  }

  /**
   * Calls the `dispatch` listeners with `payload`, one by one as `emit` would, keeping what they
   * return: only a listener's promise costs anything more.
   *
   * @returns a promise of the answer while listeners' promises settle (see {@link #awaitListeners}),
   *   or `undefined` to acknowledge at once
   * @throws {@link WebhookRefusedError} `listenerFailed` when a listener threw with deliveries left
   */
  #dispatch(
    payload: DispatchPayload,
    body: Buffer,
    response: ServerResponse,
  ): Promise<string | undefined> | undefined {
    let results: PromiseLike<unknown>[] | undefined;
    try {
      for (const listener of this.rawListeners('dispatch')) {
        const result: unknown = (listener as (payload: DispatchPayload) => unknown).call(this, payload);
        if (isThenable(result)) (results ??= []).push(result);
      }
    } catch (cause) {
      // The delivery is answered now; a promise an earlier listener returned is only reported.
      // Each promise on its own: every rejection is reported, not only the first.
      for (const result of results ?? []) this.#reportLate(result, payload);
      this.#dispatchFailed(payload, eventKey(payload, body), cause, 'threw');
      return undefined;
    }
    if (results !== undefined && this.#dispatchWaitMs > 0)
      return this.#awaitListeners(settledAll(results), payload, eventKey(payload, body), response);
    for (const result of results ?? []) this.#reportLate(result, payload);
    if (this.#listenerFailures.size > 0) this.#listenerFailures.handled(eventKey(payload, body));
    return undefined;
  }

  /**
   * The answer to a delivery whose listeners returned promises, once they settle: acknowledged
   * when all are fulfilled, refused as when a listener threw when one rejects, acknowledged
   * anyway after `dispatchWaitMs` (told on `debug`; a rejection after it is reported as lost).
   * When the connection closes first (a client that gave up, a server closing), the wait ends
   * with nothing to write, and a rejection after it is reported as such, not counted.
   */
  #awaitListeners(
    settled: PromiseLike<unknown>,
    payload: DispatchPayload,
    key: string,
    response: ServerResponse,
  ): Promise<string | undefined> {
    const waitMs = this.#dispatchWaitMs;
    return new Promise<string | undefined>((resolve, reject) => {
      let outcome: 'waiting' | 'timedOut' | 'closed' | 'settled' = 'waiting';
      const finish = (how: 'timedOut' | 'closed' | 'settled'): void => {
        outcome = how;
        clearTimeout(timer);
        response.off('close', closed);
      };
      const closed = (): void => {
        if (outcome !== 'waiting' || response.writableEnded) return;
        finish('closed');
        resolve(undefined);
      };
      const timer = setTimeout(() => {
        finish('timedOut');
        this.#listenerFailures.handled(key);
        this.#emitSafe(
          'debug',
          `acknowledged ${eventName(payload)} before its 'dispatch' listeners' promises settled: they took over dispatchWaitMs (${waitMs} ms)`,
        );
        resolve(ACK_TEXT);
      }, waitMs);
      response.on('close', closed);
      settled.then(
        () => {
          if (outcome !== 'waiting') return;
          finish('settled');
          this.#listenerFailures.handled(key);
          resolve(ACK_TEXT);
        },
        (cause: unknown) => {
          if (outcome === 'closed') {
            this.#unansweredRejection(payload, cause);
            return;
          }
          if (outcome !== 'waiting') {
            this.#lateRejection(payload, cause);
            return;
          }
          finish('settled');
          try {
            this.#dispatchFailed(payload, key, cause, 'rejected');
            resolve(ACK_TEXT);
          } catch (refusal) {
            reject(refusal);
          }
        },
      );
    });
  }

  /**
   * A `dispatch` listener failed on `payload`: reports it, then refuses the delivery for the
   * platform to deliver it again, or, at the last of `dispatchAttempts`, returns to acknowledge it.
   *
   * @param key - the event's id, or a digest of its body
   * @param how - whether the listener threw or its promise rejected
   * @throws {@link WebhookRefusedError} `listenerFailed` while deliveries are left
   */
  #dispatchFailed(payload: DispatchPayload, key: string, cause: unknown, how: 'threw' | 'rejected'): void {
    const failed = this.#listenerFailures.failed(key);
    const attempts = this.#dispatchAttempts;
    const what = `a 'dispatch' listener ${how} on ${eventName(payload)} (failed delivery ${failed} of ${attempts})`;
    if (failed < attempts) {
      this.#report(
        new GatewayError(`${what}: answered 500 so that the platform delivers it again`, undefined, {
          cause,
        }),
      );
      throw new WebhookRefusedError('listenerFailed', LISTENER_FAILED_DETAIL, { cause });
    }
    this.#report(
      new GatewayError(
        `${what}: acknowledged, so the platform stops delivering it and the event is lost; see the cause, and raise dispatchAttempts if the listener needs more tries`,
        undefined,
        { cause },
      ),
    );
  }

  /** Reports a rejection of `settled`, listeners' promises for a delivery already answered. */
  #reportLate(settled: PromiseLike<unknown>, payload: DispatchPayload): void {
    settled.then(undefined, (cause: unknown) => this.#lateRejection(payload, cause));
  }

  /** Reports a rejection for a delivery answered before it: the platform has no word of it. */
  #lateRejection(payload: DispatchPayload, cause: unknown): void {
    this.#report(
      new GatewayError(
        `a 'dispatch' listener rejected on ${eventName(payload)} after its delivery was answered, so the platform does not deliver it again for this failure: see the cause`,
        undefined,
        { cause },
      ),
    );
  }

  /** Reports a rejection for a delivery whose connection closed while its answer waited. */
  #unansweredRejection(payload: DispatchPayload, cause: unknown): void {
    this.#report(
      new GatewayError(
        `a 'dispatch' listener rejected on ${eventName(payload)} after its delivery's connection closed unanswered (the platform is expected to deliver an unanswered event again, which is not verified): see the cause`,
        undefined,
        { cause },
      ),
    );
  }

  /**
   * A promise a listener of another event returned rejected: reported as a listener that threw
   * would be (an `error` listener's only to the log, as reporting it would go back to that listener).
   */
  #listenerRejected(cause: unknown, event: string): void {
    if (event === 'error') this.#logSafe('error', `an 'error' listener rejected: ${messageOf(cause)}`);
    else this.#report(new GatewayError(`a '${event}' listener rejected`, undefined, { cause }));
  }

  #verify({ signature, timestamp }: SignatureHeaders, body: Buffer): void {
    const message = Buffer.concat([Buffer.from(timestamp, 'latin1'), body]);
    if (!this.#signer.verify(message, signature))
      throw new WebhookRefusedError('badSignature', BAD_SIGNATURE_DETAIL);
  }

  /**
   * Announces a refusal, then answers it and closes the connection (see {@link writeRefusal}). A
   * refusal that points at something to fix (see {@link refusalCheck}) is also reported, rate-limited,
   * unless a delivery verified recently disproves it (see {@link WebhookRefusedError}'s `error` TSDoc).
   *
   * @param verified - whether the request's signature verified before it was refused
   */
  #refuse(
    request: IncomingMessage,
    response: ServerResponse,
    refusal: WebhookRefusedError,
    verified: boolean,
  ): void {
    this.#logSafe('debug', `refused a request with ${refusal.status}: ${refusal.detail}`);
    this.#emitSafe('rejected', refusal.status, refusal.detail, refusal);
    const check = refusalCheck(refusal, request, this.#refusalContext, verified);
    if (check !== undefined) this.#noteRefusal(refusal, check);
    writeRefusal(request, response, refusal);
  }

  /**
   * Counts `refusal` for its report, unless a delivery verified within the report interval: then
   * the secret, clock, path and app id are known right and the platform's deliveries get through,
   * so this request was someone else's, and it is only told on `debug`.
   */
  #noteRefusal(refusal: WebhookRefusedError, check: string): void {
    const sinceVerifiedMs = this.#lastVerified.ageMs();
    if (
      DISPROVED_BY_A_VERIFIED_DELIVERY.has(refusal.code) &&
      sinceVerifiedMs !== undefined &&
      sinceVerifiedMs <= this.#reportIntervalMs
    ) {
      this.#emitSafe(
        'debug',
        `refusal ${refusal.code} not reported on 'error': a delivery verified ${reportDuration(sinceVerifiedMs)} ago, so the secret, clock, path and app id are right and this request was not the platform's`,
      );
      return;
    }
    this.#reports.note(refusal, check);
  }

  #report(error: Error): void {
    if (this.listenerCount('error') === 0) {
      this.#logSafe('warn', error.message);
      return;
    }
    try {
      this.emit('error', error);
    } catch (cause) {
      this.#logSafe('error', `an 'error' listener threw: ${messageOf(cause)}`);
    }
  }

  /** Logs `message`; a logger that throws must not cost a request its answer. */
  #logSafe(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    try {
      this.#log[level](message);
    } catch {
      // Nowhere left to tell; the answer matters more than the line.
    }
  }

  #emitSafe<E extends Exclude<keyof WebhookReceiverEvents, 'error'>>(
    event: E,
    ...args: Parameters<WebhookReceiverEvents[E]>
  ): void {
    try {
      this.emit(event, ...args);
    } catch (cause) {
      this.#report(new GatewayError(`a '${event}' listener threw`, undefined, { cause }));
    }
  }
}

/** Writes a 200 answer of JSON `text`. */
function writeAnswer(response: ServerResponse, text: string): void {
  if (text === ACK_TEXT) response.writeHead(200, ACK_HEADERS);
  else
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
  response.end(text);
}

/**
 * One promise for the promises `dispatch` listeners returned, settled once all of them are: no
 * extra one for the usual single listener. It rejects with the one rejection, or with an
 * `AggregateError` of every rejection when several listeners rejected, so that none goes unreported.
 */
function settledAll(results: readonly PromiseLike<unknown>[]): PromiseLike<unknown> {
  if (results.length === 1) return results[0] as PromiseLike<unknown>;
  return Promise.allSettled(results).then((outcomes) => {
    const causes = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    if (causes.length === 1) throw causes[0];
    if (causes.length > 1)
      throw new AggregateError(causes, `${causes.length} 'dispatch' listeners rejected: see errors`);
  });
}

/** What the failures of one event are counted by: its id, or a digest of its body without one. */
function eventKey(payload: DispatchPayload, body: Buffer): string {
  return payload.id ?? `sha256:${createHash('sha256').update(body).digest('base64')}`;
}

/**
 * The event named in reports: its name and id, each the platform's text of any characters, so
 * escaped when not plain (a line break in them would forge a log line). Runs only on report paths.
 */
function eventName(payload: DispatchPayload): string {
  return `event ${wireName(payload.t)}${payload.id === undefined ? ' (no id)' : ` ${wireName(payload.id)}`}`;
}

/** Listens to a request's 'error' so that it never becomes an uncaught exception. */
function ignoreError(): void {}
