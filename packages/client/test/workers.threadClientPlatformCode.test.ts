import { describe, expect, it } from 'vitest';
import { Client, Intents, PlatformCode, platformCodeOf, Token, type ClientError } from '@bot/client';
import type { ThreadClientData } from './fixtures/threadClient.js';
import { threadClientTests } from './support/threadClientTests.js';

const THREAD_CLIENT = new URL('./fixtures/threadClient.ts', import.meta.url);
const { stops, startEmulator, dataFor } = threadClientTests();

/*
 * With the handlers on a worker thread whose client has no error() of its own, a reply the
 * platform refused reaches the main client's error() as a ThreadClientError, its causes rebuilt
 * from the thread (the HandlerError, then the ApiError as a RemoteBotError of kind 'api' keeping
 * its code): the documented switch on platformCodeOf(error) must still see the code.
 */
describe("a thread's refused reply in the main client's error()", () => {
  it('gives platformCodeOf the refusal code through the rebuilt causes', async () => {
    const emulator = await startEmulator();
    const errors: ClientError[] = [];
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .workers(1, { handler: THREAD_CLIENT, handlerData: dataFor<ThreadClientData>(emulator) })
      .eventHandler({ error: (error) => void errors.push(error) });
    stops.push(() => client.shutdown());
    const running = client.startShards(1);
    running.catch(() => undefined);
    await expect
      .poll(() => client.shardManager.status().map((status) => status.state), { timeout: 20_000 })
      .toEqual(['ready']);

    emulator.faults.failRoute('POST /v2/groups/{group_openid}/messages', {
      status: 400,
      code: PlatformCode.ReplyExpired,
      message: 'msg expired',
      times: 1,
    });
    emulator.simulate.groupAtMessage({ content: 'too late' });
    await expect.poll(() => errors.length, { timeout: 10_000 }).toBe(1);

    expect(errors[0]?.kind).toBe('threadClient');
    expect(platformCodeOf(errors[0])).toBe(PlatformCode.ReplyExpired);
  });
});
