import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Recorder } from '../recorder/Recorder.js';
import { ErrorCode } from '../rest/errorCodes.js';
import { readBody, sendJson } from '../server/httpIo.js';
import { isJsonObject, tryParseJson } from '../util/guards.js';
import type { IdFactory } from '../util/ids.js';
import type { TokenRegistry } from './TokenRegistry.js';

/** The path of the token endpoint (on `bots.qq.com` in production). */
export const TOKEN_PATH = '/app/getAppAccessToken';

/** Error code the token endpoint answers wrong credentials with (reported in the field as 100016). */
export const INVALID_CREDENTIALS_CODE = 100016;

/** What the token endpoint checks credentials against. */
export interface AppCredentials {
  appId: string;
  secret: string;
}

/**
 * `POST /app/getAppAccessToken` with `{appId, clientSecret}` → `{access_token, expires_in}`,
 * `expires_in` being a string of seconds, as the platform sends it.
 */
export async function handleTokenRequest(
  req: IncomingMessage,
  res: ServerResponse,
  app: AppCredentials,
  tokens: TokenRegistry,
  ids: IdFactory,
  recorder: Recorder,
): Promise<void> {
  const traceId = ids.traceId();
  const answer = (status: number, body: unknown, appId: string | null): void => {
    sendJson(res, status, body, { 'X-Tps-trace-Id': traceId });
    recorder.add({ kind: 'token', appId, status });
  };
  if ((req.method ?? '').toUpperCase() !== 'POST') {
    answer(405, { code: 405, message: 'use POST', trace_id: traceId }, null);
    return;
  }
  const read = await readBody(req, 64 * 1024);
  if (!read.ok) {
    if (read.reason === 'too-large')
      answer(413, { code: 413, message: 'request body too large', trace_id: traceId }, null);
    return;
  }
  const body = tryParseJson(read.bytes.toString('utf8'))?.value;
  if (!isJsonObject(body) || typeof body['appId'] !== 'string' || typeof body['clientSecret'] !== 'string') {
    answer(
      400,
      {
        code: ErrorCode.RequestInvalid,
        message: 'body must be {"appId": string, "clientSecret": string}',
        trace_id: traceId,
      },
      null,
    );
    return;
  }
  const appId = body['appId'];
  if (appId !== app.appId || body['clientSecret'] !== app.secret) {
    answer(
      401,
      { code: INVALID_CREDENTIALS_CODE, message: 'invalid appid or secret', trace_id: traceId },
      appId,
    );
    return;
  }
  const issued = tokens.issue();
  answer(200, { access_token: issued.accessToken, expires_in: String(issued.expiresIn) }, appId);
}
