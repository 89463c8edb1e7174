import type { RequestListener } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ReplyWindowClosedError } from '@bot/client';
import { messageSends, useGroupMessageOverRest } from './support/groupMessageOverRest.js';

// docs/protocol.md §15.2: a reply that certainly reached no user gives its count back. A reply
// that failed because the token endpoint was down never left the machine, though the error it
// fails with is the token endpoint's own, whose mayHaveBeenSent tells of the token request.

const OUTAGES: ReadonlyArray<readonly [string, RequestListener]> = [
  ['answers 503', (_request, response) => response.writeHead(503).end('{"message":"down"}')],
  [
    'drops the connection after reading the request',
    (request) => request.on('end', () => request.socket.resetAndDestroy()).resume(),
  ],
];

describe('a reply that failed on a token endpoint outage', () => {
  const setup = useGroupMessageOverRest();

  it.each(OUTAGES)('gives its count back when the token endpoint %s', async (_, tokenEndpoint) => {
    const { emulator, message } = await setup.start({ tokenEndpoint, rest: { retries: 0 } });
    const outcomes: unknown[] = [];
    // One more than a group message's five replies: none was sent, so none may close the window.
    for (let reply = 1; reply <= 6; reply++) {
      outcomes.push(await message.reply(`reply ${reply}`).catch((error: unknown) => error));
    }
    expect(messageSends(emulator)).toEqual([]);
    expect(outcomes.some((outcome) => outcome instanceof ReplyWindowClosedError)).toBe(false);
    expect(message.replyWindow.used).toBe(0);
  });
});
