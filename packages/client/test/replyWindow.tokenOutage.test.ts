import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { BotApi, createLogger, RestClient, Token } from '@bot/http';
import { GroupMessage, ReplySequencer, ReplyWindowClosedError } from '@bot/client';

// docs/protocol.md §15.2: a reply that certainly reached no user gives its count back. A reply
// that failed because the token endpoint was down never left the machine, though the error it
// fails with is the token endpoint's own, whose mayHaveBeenSent tells of the token request.

type TokenEndpoint = (request: IncomingMessage, response: ServerResponse) => void;

const OUTAGES: ReadonlyArray<readonly [string, TokenEndpoint]> = [
  ['answers 503', (_request, response) => response.writeHead(503).end('{"message":"down"}')],
  [
    'drops the connection after reading the request',
    (request) => request.on('end', () => request.socket.resetAndDestroy()).resume(),
  ],
];

describe('a reply that failed on a token endpoint outage', () => {
  let emulator: Emulator | undefined;
  let tokenServer: Server | undefined;
  let rest: RestClient | undefined;
  afterEach(async () => {
    rest?.destroy();
    tokenServer?.closeAllConnections();
    await new Promise((resolve) =>
      tokenServer === undefined ? resolve(undefined) : tokenServer.close(resolve),
    );
    await emulator?.stop();
    emulator = tokenServer = rest = undefined;
  });

  it.each(OUTAGES)('gives its count back when the token endpoint %s', async (_, endpoint) => {
    emulator = await Emulator.start({ grantedIntents: 'all' });
    const server = createServer(endpoint);
    tokenServer = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    rest = new RestClient({
      token: new Token(emulator.appId, emulator.secret),
      baseUrl: emulator.restUrl,
      tokenUrl: `http://127.0.0.1:${port}/app/getAppAccessToken`,
      logger: createLogger('test', 7),
      retries: 0,
    });
    const event = emulator.simulate.groupAtMessage({ content: 'hello' });
    const message = new GroupMessage(event.d as never, {
      api: new BotApi(rest),
      replies: new ReplySequencer(),
    });
    const outcomes: unknown[] = [];
    // One more than a group message's five replies: none was sent, so none may close the window.
    for (let reply = 1; reply <= 6; reply++) {
      outcomes.push(await message.reply(`reply ${reply}`).catch((error: unknown) => error));
    }
    const sent = emulator.recorder.filter(
      (record) => record.kind === 'rest' && (record.route ?? '').includes('/messages'),
    );
    expect(sent).toEqual([]);
    expect(outcomes.some((outcome) => outcome instanceof ReplyWindowClosedError)).toBe(false);
    expect(message.replyWindow.used).toBe(0);
  });
});
