import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { Emulator } from '@bot/testing';
import { BotApi, createLogger, RestClient, Token, type RestClientOptions } from '@bot/http';
import { GroupMessage, ReplySequencer } from '@bot/client';

// The reply tests that need a REST client of their own (its options, or a token endpoint that
// misbehaves) rather than a whole client: an emulator, a RestClient against it and a group
// message model bound to it, all closed after each test.

/** What {@link useGroupMessageOverRest}'s `start` returns. */
export interface GroupMessageOverRest {
  readonly emulator: Emulator;
  readonly rest: RestClient;
  /** A group @-message the emulator published, its model bound to {@link rest}. */
  readonly message: GroupMessage;
  /** The group's openid. */
  readonly groupOpenid: string;
}

/** Options of one setup: the REST client's, and a token endpoint of the test's own. */
export interface GroupMessageOverRestOptions {
  /** Options of the REST client, beside the emulator's credentials and URLs. */
  rest?: Partial<RestClientOptions>;
  /** Serves the token endpoint instead of the emulator (an outage, say). */
  tokenEndpoint?: RequestListener;
}

/**
 * Registers the cleanup of the setups a test starts; call it at the top of a `describe`.
 *
 * @returns `start`, which starts one setup
 */
export function useGroupMessageOverRest(): {
  start(options?: GroupMessageOverRestOptions): Promise<GroupMessageOverRest>;
} {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    async start(options = {}) {
      const emulator = await Emulator.start({ grantedIntents: 'all' });
      cleanups.push(() => emulator.stop());
      const tokenUrl =
        options.tokenEndpoint === undefined
          ? emulator.tokenUrl
          : await serveTokens(options.tokenEndpoint, cleanups);
      const rest = new RestClient({
        token: new Token(emulator.appId, emulator.secret),
        baseUrl: emulator.restUrl,
        tokenUrl,
        logger: createLogger('test', 7),
        ...options.rest,
      });
      cleanups.push(() => rest.destroy());
      const event = emulator.simulate.groupAtMessage({ content: 'hello' });
      const message = new GroupMessage(event.d as never, {
        api: new BotApi(rest),
        replies: new ReplySequencer(),
      });
      return { emulator, rest, message, groupOpenid: event.d.group_openid };
    },
  };
}

/** Starts `endpoint` on 127.0.0.1, closed with the setup; returns its token URL. */
async function serveTokens(
  endpoint: RequestListener,
  cleanups: Array<() => Promise<void> | void>,
): Promise<string> {
  const server: Server = createServer(endpoint);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/getAppAccessToken`;
}

/**
 * The message sends the emulator recorded: none for a reply that certainly reached no user.
 *
 * @param emulator - the setup's emulator
 */
export function messageSends(emulator: Emulator): unknown[] {
  return emulator.recorder.filter(
    (record) => record.kind === 'rest' && (record.route ?? '').includes('/messages'),
  );
}
