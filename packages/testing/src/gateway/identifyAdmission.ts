import { GatewayCloseCode } from '@bot/core';
import { readIdentify, type IdentifyData } from './frames.js';
import type { GatewayContext } from './GatewayContext.js';

/** The gateway's answer to an Identify on a connection without a session. */
export type IdentifyAnswer =
  /** A new session for these fields. */
  | { kind: 'accept'; identify: IdentifyData }
  /** A close with this code and reason; `missingIntents` when it refuses intents not granted (4014). */
  | { kind: 'close'; code: number; reason: string; missingIntents?: number }
  /** Op 9 with `d: false` for intents not granted: the session start was spent, the session refused all the same. */
  | { kind: 'invalidSession'; missingIntents: number };

/** An Identify refused for intents the bot is not granted, as the emulator's own log tells of it. */
export interface IntentsRefusal {
  /** The gateway connection it came on. */
  connectionId: number;
  /** The intent bits asked for and not granted. */
  missing: number;
  /** How it was refused: the 4014 close, or op 9 (`refuseDisallowedIntentsWith('invalidSession')`). */
  answer: 'close' | 'invalidSession';
}

/**
 * Decides an Identify the way the platform does, in its order: the frame's fields, the token's
 * form and validity, the intents granted, then the identify pacing and session start budget
 * (which the decision spends when it gets that far).
 *
 * @param context - the gateway's tokens, settings and identify limiter
 * @param d - the Identify's `d`, unchecked
 */
export function admitIdentify(context: GatewayContext, d: unknown): IdentifyAnswer {
  const identify = readIdentify(d);
  if ('problem' in identify) return { kind: 'close', code: identify.code, reason: identify.reason };
  if (!identify.token.startsWith('QQBot ')) {
    return {
      kind: 'close',
      code: GatewayCloseCode.AuthenticationFailed,
      reason: 'token must be "QQBot <access_token>"',
    };
  }
  const status = context.tokens.check(identify.token.slice('QQBot '.length));
  if (status !== 'valid') {
    return { kind: 'close', code: GatewayCloseCode.AuthenticationFailed, reason: `access token ${status}` };
  }
  const missing = identify.intents & ~context.settings.grantedIntents;
  if (missing !== 0 && context.settings.intentRefusal !== 'invalidSession') {
    return {
      kind: 'close',
      code: GatewayCloseCode.DisallowedIntents,
      reason: `intents not granted: ${missing}`,
      missingIntents: missing,
    };
  }
  const refusal = context.limiter.tryIdentify(identify.shard[0]);
  if (refusal === 'too-fast') {
    return {
      kind: 'close',
      code: GatewayCloseCode.RateLimited,
      reason: 'identify rate limit: one identify per bucket per window',
    };
  }
  if (refusal === 'exhausted') {
    return {
      kind: 'close',
      code: GatewayCloseCode.CreateSessionError,
      reason: 'session start limit exhausted',
    };
  }
  // The session start is spent; the session is refused all the same.
  if (missing !== 0) return { kind: 'invalidSession', missingIntents: missing };
  return { kind: 'accept', identify };
}
