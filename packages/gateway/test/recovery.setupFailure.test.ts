import { describe, expect, it } from 'vitest';
import { AuthenticationError, ClientDestroyedError, NetworkError } from '@bot/http';
import { FatalGatewayError, qqProtocol, RemoteBotError } from '@bot/gateway';
import { closeRuleLookup } from '../src/shard/closePolicy.js';
import { fatalErrorFor } from '../src/shard/fatalError.js';
import { planRecovery, type RecoveryInput } from '../src/shard/recovery.js';
import { classifySetupFailure } from '../src/shard/setupFailure.js';
import { fromWireError, toWireError } from '../src/workers/wireError.js';

const providerClosed = new ClientDestroyedError('POST', '/app/getAppAccessToken', 'tokenProvider');

/** A setup that failed with `error` while identifying, sorted as the attempt sorts it. */
function setupFailedWith(error: unknown): RecoveryInput {
  return {
    end: { reason: 'setupFailed', error, step: 'accessToken', ...classifySetupFailure(error) },
    attempt: { mode: 'identify', resumeSent: false, identifySent: false, reachedReady: false },
    hasSession: false,
    ruleFor: closeRuleLookup(qqProtocol),
    authFailures: 0,
    maxAuthFailures: 2,
    identifyRefusals: 0,
    sendWindowResetMs: 0,
  };
}

describe('sorting a failed setup', () => {
  it.each([
    ['a closed token provider', providerClosed, { authentication: false, destroyed: 'tokenProvider' }],
    [
      'a destroyed REST client',
      new ClientDestroyedError('GET', '/gateway/bot'),
      { authentication: false, destroyed: 'restClient' },
    ],
    [
      'a closed provider as a worker shard sees it (kind and fields, not the class)',
      new RemoteBotError('clientDestroyed', providerClosed.message, { destroyed: 'tokenProvider' }),
      { authentication: false, destroyed: 'tokenProvider' },
    ],
    [
      'refused credentials',
      new AuthenticationError(100016, 'invalid appid or secret'),
      { authentication: true },
    ],
    [
      'an unreachable token endpoint',
      new NetworkError('POST', '/app/getAppAccessToken', 'ECONNREFUSED'),
      { authentication: false },
    ],
    ['anything else', new Error('identify queue unavailable'), { authentication: false }],
  ])('%s', (_name, error, expected) => {
    expect(classifySetupFailure(error)).toEqual(expected);
  });
});

describe('planning after a closed token provider or destroyed REST client', () => {
  it('stops for good with the error as cause, keeping the session, where a network failure is retried', () => {
    expect(planRecovery(setupFailedWith(providerClosed))).toMatchObject({
      action: 'fatal',
      code: 4000,
      meaning: 'token provider closed',
      cause: providerClosed,
      keepSession: true,
    });
    const unreachable = new NetworkError('POST', '/app/getAppAccessToken', 'ECONNREFUSED');
    expect(planRecovery(setupFailedWith(unreachable))).toMatchObject({ action: 'reconnect' });
  });

  it('names what was ended and what to do, in a FatalGatewayError', () => {
    const destroyed = new ClientDestroyedError('GET', '/gateway/bot');
    const plan = planRecovery(setupFailedWith(destroyed));
    expect(plan.action).toBe('fatal');
    if (plan.action !== 'fatal') return;
    const error = fatalErrorFor(plan, 3, 0);
    expect(error).toBeInstanceOf(FatalGatewayError);
    expect(error).toMatchObject({
      shardId: 3,
      code: 4000,
      meaning: 'REST client destroyed',
      cause: destroyed,
    });
    expect(error.message).toMatch(/^shard 3: stopped: the REST client it shares was destroyed, /);
    expect(error.message).toContain('Shut the shards down');
  });

  it('crosses from a worker thread as itself: code, meaning, message and the cause kind kept', () => {
    const plan = planRecovery(setupFailedWith(providerClosed));
    if (plan.action !== 'fatal') throw new Error(`expected a fatal plan, got ${plan.action}`);
    const sent = fatalErrorFor(plan, 1, 0);
    const received = fromWireError(structuredClone(toWireError(sent)));
    expect(received).toBeInstanceOf(FatalGatewayError);
    expect(received).toMatchObject({ code: 4000, shardId: 1, meaning: 'token provider closed' });
    expect(received.message).toBe(sent.message);
    expect(received.cause).toMatchObject({ kind: 'clientDestroyed', destroyed: 'tokenProvider' });
  });
});
