import http from 'node:http';
import https from 'node:https';
import got, { CancelError, type Got, type OptionsOfTextResponseBody, type Response } from 'got';
import { DeadlineExceededError, msUntil, steadyNow } from '@bot/core';
import { authorization } from '../auth/authorization.js';
import type { InFlightRequests } from './InFlightRequests.js';
import { ResponseTooLargeError } from '../errors/ResponseTooLargeError.js';
import { IdleBoundHttpAgent, IdleBoundHttpsAgent } from './idleBoundAgents.js';
import { UnsentDeadlineError } from './UnsentDeadlineError.js';
import { wroteNothing } from './wroteNothing.js';
import type { WireRequest } from './wireRequest.js';
import { classifyResponse, type Outcome, traceIdOf } from './response.js';
import type { RestAttemptEvent } from './RestAttemptEvent.js';

// One attempt of a `RestClient` request on the wire: the got instance every attempt goes through,
// and the send that turns its answer into an `Outcome`.

const USER_AGENT = 'QQBotFramework (@bot/http, 0.1.0)';
const JSON_CONTENT = { 'content-type': 'application/json' } as const;

/** The keep-alive agents of a client, destroyed with it. */
export interface KeepAliveAgents {
  /** For `http://` base URLs (an emulator, a proxy). */
  http: http.Agent;
  /** For `https://` base URLs. */
  https: https.Agent;
}

/**
 * The got instance of a client, with everything that is the same for every request, and the
 * keep-alive agents it sends through.
 *
 * @param appId - the bot's AppID, sent as `X-Union-Appid`
 * @param userAgent - the `User-Agent` header; the framework's name and version when omitted
 * @param maxSockets - the most connections open at once (the agents queue requests past it)
 */
export function createHttp(
  appId: string,
  userAgent: string | undefined,
  maxSockets: number,
): { http: Got; agents: KeepAliveAgents } {
  // Keep-alive sockets: a bot talks to one host all day, and a new TLS handshake per message
  // would cost more than the message. Idle ones close before the server closes them: a request
  // written as the server closes its connection is lost, and a POST cannot be re-sent safely
  // (see `idleBoundAgents`).
  const agents = {
    http: new IdleBoundHttpAgent({ keepAlive: true, maxSockets }),
    https: new IdleBoundHttpsAgent({ keepAlive: true, maxSockets }),
  };
  // Everything that is the same for every request is set here once: got merges per-request
  // options key by key, and lower-cases every header it is handed, on every request. The
  // deadline is ours (see `sendAttempt`), not got's `timeout`, which costs far more per request.
  const instance = got.extend({
    agent: agents,
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
    headers: {
      accept: 'application/json',
      'user-agent': userAgent ?? USER_AGENT,
      'x-union-appid': appId,
    },
  });
  return { http: instance, agents };
}

/**
 * Sends one attempt and classifies its answer, within what is left of the call's deadline, reading
 * at most `request.maxResponseBytes` of its body.
 *
 * @param send - the got instance, carrying the token's `authorization` when there is one
 * @param request - the call's request, built and checked once (see {@link WireRequest}); its
 *   `signal` cancels the attempt wherever it is (resolving the host, connecting, on the wire),
 *   through `inFlight`
 * @param accessToken - the token of this attempt, if the request is authenticated
 * @param deadline - the call's deadline, on the steady clock (`steadyNow`)
 * @param timeout - the call's timeout, for the error of a passed deadline
 * @param inFlight - the client's attempts on the wire, which its `destroy()` and the caller's
 *   signal cancel
 * @param answered - given only when the client's `attempt` event has listeners: takes the
 *   answer's status and trace id
 * @param onSocket - told, once the attempt ends, when it got its connection (on the steady clock),
 *   if it got one: the time before it was spent waiting for a free one (`maxSockets`)
 * @throws {@link UnsentDeadlineError} when the deadline has passed before the attempt starts, or
 *   passes while it is still opening its connection: nothing of the request was written
 * @throws {@link DeadlineExceededError} when the deadline passes once the request may have been written
 * @throws {@link ResponseTooLargeError} when the answer declares or carries more than
 *   `maxResponseBytes`: the attempt is cancelled, its connection closed
 * @throws got's `CancelError` when the client is destroyed or the caller's signal aborts: the
 *   request loop turns it into a `ClientDestroyedError` or the signal's reason
 */
export async function sendAttempt(
  send: Got,
  request: WireRequest,
  accessToken: string | undefined,
  deadline: number,
  timeout: number,
  inFlight: InFlightRequests,
  answered?: Pick<RestAttemptEvent, 'status' | 'traceId'>,
  onSocket?: (at: number) => void,
): Promise<Outcome> {
  const left = msUntil(deadline);
  // Reached its deadline before going out (a rate-limit pause waited to its end): nothing was written.
  if (left <= 0) throw new UnsentDeadlineError(timeout);
  const { options, maxResponseBytes } = request;
  const { signal } = options;
  const attempt = send(request.url, attemptOptions(request, accessToken));
  inFlight.track(attempt, signal);
  // The deadline is one timer, ours: got's `timeout` option arms a timer and half a dozen
  // listeners per request, for the one deadline a call needs.
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    attempt.cancel();
  }, left);
  // The socket keeps the process alive while the attempt is on the wire; its deadline alone must not.
  timer.unref();
  // got has no size cap of its own: its progress events (the first one as the headers arrive,
  // with the declared Content-Length as `total`; then one per chunk read) are where to stop.
  let tooLarge: ResponseTooLargeError | undefined;
  attempt.on('downloadProgress', ({ transferred, total }) => {
    if (tooLarge !== undefined) return;
    const declared = total !== undefined && total > maxResponseBytes;
    if (!declared && transferred <= maxResponseBytes) return;
    tooLarge = new ResponseTooLargeError(
      options.method,
      options.route,
      declared ? total : transferred,
      declared,
      maxResponseBytes,
    );
    attempt.cancel();
  });
  // got's timings are on the wall clock: moved onto the steady one by their age.
  const socketAt = (timings: Response['timings'] | undefined): void => {
    if (onSocket !== undefined && timings?.socket !== undefined)
      onSocket(steadyNow() - (Date.now() - timings.socket));
  };
  let response: Response<string>;
  try {
    response = await attempt;
    socketAt(response.timings);
  } catch (error) {
    socketAt((error as Partial<CancelError> | undefined)?.timings);
    if (tooLarge !== undefined) {
      // Its headers came before its body was found too large: the event still says what answered.
      const { response } = error as CancelError;
      if (answered !== undefined && response !== undefined) {
        answered.status = response.statusCode;
        answered.traceId = traceIdOf(response.headers);
      }
      throw tooLarge;
    }
    if (expired && error instanceof CancelError)
      throw wroteNothing(error.timings, request.url)
        ? new UnsentDeadlineError(left, error.timings?.socket === undefined)
        : new DeadlineExceededError(left);
    throw error;
  } finally {
    clearTimeout(timer);
    inFlight.untrack(attempt, signal);
  }
  if (answered !== undefined) {
    answered.status = response.statusCode;
    answered.traceId = traceIdOf(response.headers);
  }
  return classifyResponse(
    {
      status: response.statusCode,
      statusText: response.statusMessage ?? '',
      body: response.body,
      headers: response.headers,
    },
    options.method,
    options.route,
    options.auditable === true,
    request.structured,
  );
}

/**
 * What got is told beyond the instance's defaults; nothing for a GET without headers or body (most
 * reads), so got has no options to merge and check for it. The caller's signal is not got's to
 * hear: `InFlightRequests` cancels the attempt with one listener per signal.
 */
function attemptOptions(
  { options, payload }: WireRequest,
  accessToken: string | undefined,
): OptionsOfTextResponseBody | undefined {
  const { method, headers } = options;
  if (method === 'GET' && headers === undefined && payload === undefined) return undefined;
  const sent: OptionsOfTextResponseBody = { method };
  // JSON text was encoded once for every attempt (see `wireRequest`): got is handed the text and
  // its content type, which the caller's headers may replace.
  const contentType = typeof payload === 'string' ? JSON_CONTENT : undefined;
  // The caller's headers may replace the defaults, never the credentials.
  if (headers !== undefined || contentType !== undefined)
    sent.headers = {
      ...contentType,
      ...headers,
      ...(accessToken === undefined || headers === undefined
        ? {}
        : { authorization: authorization(accessToken) }),
    };
  if (payload !== undefined) sent.body = payload;
  return sent;
}
