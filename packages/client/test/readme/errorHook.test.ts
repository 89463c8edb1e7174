import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  PlatformCode,
  platformCodeOf,
  ReplyWindowClosedError,
  type ClientError,
  type Context,
  type GroupMessage,
} from '@bot/client';
import { startHarness, type Harness } from '../support/harness.js';
import { Bot } from './errorHookBot.js';

/** The README's bot, its replies held until the test lets them go, its error() logging to a record. */
class HeldBot extends Bot {
  readonly errors: ClientError[] = [];
  readonly warnings: string[] = [];
  #release!: () => void;
  readonly released = new Promise<void>((resolve) => (this.#release = resolve));
  #arrive!: () => void;
  /** Settles when a group message reached the handler. */
  readonly arrived = new Promise<void>((resolve) => (this.#arrive = resolve));

  release(): void {
    this.#release();
  }

  override async groupMessageCreate(ctx: Context, message: GroupMessage): Promise<void> {
    this.#arrive();
    await this.released;
    await super.groupMessageCreate(ctx, message);
  }

  override error(error: ClientError, _ctx?: Context): void {
    this.errors.push(error);
    const log = {
      warn: (text: string) => this.warnings.push(text),
      error: (text: string) => this.warnings.push(`error: ${text}`),
    };
    super.error(error, { log } as unknown as Context);
  }
}

describe("the client README's error() example, run against the emulator", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await harness?.stop();
    harness = undefined;
  });

  it('meets a late reply in a handler as a HandlerError caused by ReplyWindowClosedError, no platform code', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const bot = new HeldBot();
    harness = await startHarness([bot]);
    harness.emulator.simulate.groupAtMessage({ content: 'hi' });
    await bot.arrived;
    vi.advanceTimersByTime(5 * 60_000 + 1);
    bot.release();
    await expect.poll(() => bot.errors.length).toBe(1);

    const [error] = bot.errors;
    expect(error).toMatchObject({
      kind: 'handler',
      event: 'GROUP_AT_MESSAGE_CREATE',
      handler: 'HeldBot#0.groupMessageCreate',
    });
    expect(error?.cause).toBeInstanceOf(ReplyWindowClosedError);
    expect(error?.cause).toMatchObject({ reason: 'expired', scene: 'group' });
    // No code to switch on: the platform never saw the reply.
    expect(platformCodeOf(error)).toBeUndefined();
    expect(
      harness.emulator.recorder.filter(
        (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages',
      ),
    ).toEqual([]);
    expect(bot.warnings).toEqual([
      'HeldBot#0.groupMessageCreate did not reply on GROUP_AT_MESSAGE_CREATE: window expired',
    ]);
  });

  it('meets the platform refusing a late reply (its window only) under PlatformCode.ReplyExpired', async () => {
    const bot = new HeldBot();
    bot.release();
    harness = await startHarness([bot]);
    harness.emulator.faults.failRoute('POST /v2/groups/{group_openid}/messages', {
      status: 400,
      code: PlatformCode.ReplyExpired,
      message: 'msg expired',
      times: 1,
    });
    harness.emulator.simulate.groupAtMessage({ content: 'hi' });
    await expect.poll(() => bot.errors.length).toBe(1);

    expect(bot.errors[0]?.cause).toBeInstanceOf(ApiError);
    expect(bot.warnings).toEqual([
      'HeldBot#0.groupMessageCreate replied too late on GROUP_AT_MESSAGE_CREATE',
    ]);
  });
});
