import http from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';
import { DeadlineExceededError, withDeadline } from '@bot/core';
import { authorization } from '../auth/authorization.js';
import { toFormData } from './body.js';
import type { RequestOptions } from './RequestOptions.js';
import { classifyResponse, type Outcome } from './response.js';

// One attempt of a `RestClient` request on the wire: the got instance every attempt goes through,
// and the send that turns its answer into an `Outcome`.

const USER_AGENT = 'QQBotFramework (@bot/http, 0.1.0)';

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
 */
export function createHttp(
  appId: string,
  userAgent: string | undefined,
): { http: Got; agents: KeepAliveAgents } {
  // Keep-alive sockets: a bot talks to one host all day, and a new TLS handshake per message
  // would cost more than the message.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  // Everything that is the same for every request is set here once: got merges per-request
  // options key by key, and lower-cases every header it is handed, on every request. The
  // deadline is ours (`withDeadline`), not got's `timeout`, which costs far more per request.
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
 * Sends one attempt and classifies its answer, within what is left of the call's deadline.
 *
 * @param send - the got instance, carrying the token's `authorization` when there is one
 * @param url - the full URL, query included
 * @param options - the request
 * @param accessToken - the token of this attempt, if the request is authenticated
 * @param deadline - the call's deadline, in epoch milliseconds
 * @param timeout - the call's timeout, for the error of a passed deadline
 * @param signal - ends the attempt wherever it is (resolving the host, connecting, on the wire):
 *   the caller's signal and the client's lifetime
 * @throws {@link DeadlineExceededError} when the deadline has passed or passes before the answer
 */
export async function sendAttempt(
  send: Got,
  url: string,
  options: RequestOptions,
  accessToken: string | undefined,
  deadline: number,
  timeout: number,
  signal: AbortSignal,
): Promise<Outcome> {
  const left = deadline - Date.now();
  if (left <= 0) throw new DeadlineExceededError(timeout);
  // The caller's headers may replace the defaults, never the credentials.
  const headers =
    accessToken !== undefined && options.headers !== undefined
      ? { ...options.headers, authorization: authorization(accessToken) }
      : options.headers;

  const hasFiles = options.files !== undefined && Object.keys(options.files).length > 0;
  const response = await withDeadline(
    send(url, {
      method: options.method,
      ...(headers === undefined ? {} : { headers }),
      signal,
      ...(hasFiles && options.files
        ? { body: toFormData(options.body, options.files) }
        : options.body === undefined
          ? {}
          : { json: options.body }),
    }),
    left,
  );
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
  );
}
