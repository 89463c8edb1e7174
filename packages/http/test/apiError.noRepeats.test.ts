import { describe, expect, it } from 'vitest';
import { ApiError, PlatformCode } from '@bot/http';

// An ApiError's message is the platform's text followed by the remedy of its code: the remedy says
// what to do, and does not state again what the platform's text already says (the refusal, the
// window that passed).

const refusal = (code: number, message: string, route = '/v2/groups/{group_openid}/messages'): ApiError =>
  new ApiError({
    status: 400,
    code,
    errCode: undefined,
    message,
    traceId: 't1',
    method: 'POST',
    route,
  });

describe('the message of a refused reply', () => {
  it('of a proactive message says it is not allowed once, and what to do once', () => {
    const error = refusal(PlatformCode.ProactiveNotPermitted, 'proactive message not permitted');
    expect(error.message).toBe(
      'POST /v2/groups/{group_openid}/messages failed: 400 code 40034102: proactive message not ' +
        'permitted (trace t1); give the msg_id of the inbound message it answers, or the event_id ' +
        'of the event',
    );
  });

  it('to an expired msg_id says the window passed once, and what to do once', () => {
    const error = refusal(PlatformCode.ReplyExpired, 'msg_id expired: the reply window has passed');
    expect(error.message).toBe(
      'POST /v2/groups/{group_openid}/messages failed: 400 code 40034005: msg_id expired: the reply ' +
        'window has passed (trace t1); reply to a newer message, or to an event by event_id',
    );
  });

  it('to a guild message too old says the window passed once, and what to do once', () => {
    const error = refusal(
      PlatformCode.GuildMessageTooOld,
      'message is too old to reply',
      '/channels/{channel_id}/messages',
    );
    expect(error.message).toBe(
      'POST /channels/{channel_id}/messages failed: 400 code 304027: message is too old to reply ' +
        '(trace t1); reply to a newer message of the channel: its reply window is 5 minutes',
    );
  });
});
