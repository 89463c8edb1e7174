import { afterAll, beforeAll, beforeEach } from 'vitest';
import { BotApi, RestClient, Token } from '@bot/http';
import { FakePlatform } from './fakePlatform.js';

/** The fake platform and a real API client pointed at it, shared by the tests of one file. */
export interface FakeApi {
  /** Records requests and decides answers; reset before each test. */
  readonly platform: FakePlatform;
  /** A `BotApi` over a `RestClient` without retries or message pacing. */
  readonly api: BotApi;
  /** The access token the platform issues; requests carry it as `QQBot {accessToken}`. */
  readonly accessToken: string;
  /** The AppID requests carry in `X-Union-Appid`. */
  readonly appId: string;
}

const APP_ID = 'app';
const ACCESS_TOKEN = 'fixed-token';

/**
 * Starts a fake platform for the enclosing file or `describe` block and connects a `BotApi` to it;
 * forgets recorded requests and custom answers before each test, and stops both afterwards.
 * Read the fields inside tests and hooks: they exist once the block has started.
 */
export function useFakeApi(): FakeApi {
  let platform: FakePlatform | undefined;
  let rest: RestClient | undefined;
  let api: BotApi | undefined;

  beforeAll(async () => {
    platform = await FakePlatform.start({ accessToken: ACCESS_TOKEN });
    rest = new RestClient({
      token: new Token(APP_ID, 'secret'),
      baseUrl: platform.baseUrl,
      tokenUrl: platform.tokenUrl,
      retries: 0,
      rateLimits: { messagesPerSecond: 1_000 },
    });
    api = new BotApi(rest);
  });
  afterAll(async () => {
    rest?.destroy();
    await platform?.stop();
  });
  beforeEach(() => platform?.reset());

  return {
    get platform() {
      return started(platform);
    },
    get api() {
      return started(api);
    },
    accessToken: ACCESS_TOKEN,
    appId: APP_ID,
  };
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the fake API is read before its beforeAll hook ran');
  return value;
}
