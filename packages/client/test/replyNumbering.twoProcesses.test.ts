import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator } from '@bot/testing';
import {
  ApiError,
  Client,
  createLogger,
  DUPLICATE_MSG_SEQ_CODE,
  Intents,
  ReplyAlreadySentError,
  Token,
  type EventHandler,
} from '@bot/client';
import { groupSends } from './support/groupSends.js';

/*
 * The platform sends an event again when the answer to its delivery was lost, and the second
 * delivery may reach a fresh process (one per webhook request, a new process after a crash and
 * resume, another instance behind a load balancer). Both processes reply to the same message with
 * msg_seq 1; the platform refuses the second as a duplicate (40054005). That number was new to the
 * second process, so the message was answered elsewhere: re-sending under msg_seq 2 would show the
 * user the same reply twice (docs/protocol.md §8.3).
 */

/** What one process's handler got from its reply. */
type Outcome =
  { process: string; sent: true } | { process: string; sent: false; error: unknown; repliesUsed: number };

/** The line of the handler that calls `reply()`. */
let replyLine = 0;

/** A client of its own (one "process") for the emulator, replying to each group message once. */
async function processClient(emulator: Emulator, name: string, outcomes: Outcome[]): Promise<Client> {
  const handler: EventHandler = {
    async groupMessageCreate(_ctx, message) {
      try {
        replyLine = thisLine() + 1;
        await message.reply('the answer');
        outcomes.push({ process: name, sent: true });
      } catch (error) {
        outcomes.push({ process: name, sent: false, error, repliesUsed: message.replyWindow.used });
      }
    },
  };
  const logger = createLogger(name, 0);
  logger.settings.type = 'hidden';
  const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(logger)
    .eventHandler(handler);
  onTestFinished(() => client.shutdown());
  return client;
}

/** Starts `server` on 127.0.0.1, closed after the test; returns its port. */
async function listen(server: Server): Promise<number> {
  onTestFinished(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('a message already answered under a msg_seq this client never used', () => {
  it('two webhook processes given the same event: one reply is posted, the other process gets a ReplyAlreadySentError', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all' });
    onTestFinished(() => emulator.stop());
    const outcomes: Outcome[] = [];
    // Each delivery of the event goes to a process of its own, as after a lost answer.
    const receivers = [
      (await processClient(emulator, 'first', outcomes)).webhookReceiver({ path: '/qq' }),
      (await processClient(emulator, 'second', outcomes)).webhookReceiver({ path: '/qq' }),
    ];
    let deliveries = 0;
    const port = await listen(
      createServer((req, res) => receivers[Math.min(deliveries++, 1)]!.handler(req, res)),
    );
    await emulator.webhook.setUrl(`http://127.0.0.1:${port}/qq`);
    // The URL's validation request went to the first process; the event's deliveries start now.
    deliveries = 0;

    emulator.faults.duplicateNext();
    const event = emulator.simulate.groupAtMessage({ content: 'hello' });
    await expect.poll(() => outcomes.length).toBe(2);

    expect(deliveries).toBe(2);
    expect(outcomes.filter((outcome) => outcome.sent)).toHaveLength(1);
    const refused = outcomes.find((outcome) => !outcome.sent);
    const error = refused?.sent === false ? refused.error : undefined;
    expect(error).toBeInstanceOf(ReplyAlreadySentError);
    expect(error).toMatchObject({
      kind: 'replyAlreadySent',
      messageId: event.d.id,
      msgSeq: 1,
      scene: 'group',
      refusal: { code: DUPLICATE_MSG_SEQ_CODE },
    });
    expect((error as ReplyAlreadySentError).cause).toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain(
      `reply to group message ${event.d.id} not sent: another process or an earlier run already ` +
        'replied to it with msg_seq 1',
    );
    expect((error as Error).message).toContain('the event was probably delivered twice');
    expect((error as Error).message).toContain('replyNumbering("skipTaken")');
    // Made in the caller's await chain: its stack ends at the handler's call.
    const stack = (error as Error).stack ?? '';
    expect(stack.slice(stack.lastIndexOf('\n') + 1)).toContain(
      `replyNumbering.twoProcesses.test.ts:${replyLine}:`,
    );
    // This call sent nothing, but the number holds the other process's reply, which the
    // platform counts: the window counts it too.
    expect(refused).toMatchObject({ repliesUsed: 1 });

    const { posted, sends } = groupSends(emulator, event.d.group_openid);
    expect(posted).toEqual(['the answer']);
    expect(sends).toEqual([
      [1, 200],
      [1, 400],
    ]);
  });
});

/** The line of this file that called it. */
function thisLine(): number {
  const site: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  Error.captureStackTrace(site, thisLine);
  Error.stackTraceLimit = limit;
  return Number(/:(\d+):\d+\)?$/.exec(site.stack ?? '')?.[1]);
}
