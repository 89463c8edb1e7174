import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FileImageTooLargeError, MAX_GUILD_FORM_BYTES, MediaFileType, type Message } from '@bot/client';
import { useHarness } from './support/harness.js';

/** Bytes this process has read through read(2) and friends so far (Linux), or undefined. */
async function bytesRead(): Promise<number | undefined> {
  if (!existsSync('/proc/self/io')) return undefined;
  const match = /^rchar: (\d+)$/m.exec(await readFile('/proc/self/io', 'utf8'));
  return match ? Number(match[1]) : undefined;
}

/** The first guild channel message the client hands its handler. */
function firstMessage(): {
  handler: { messageCreate: (_ctx: unknown, m: Message) => void };
  next: () => Promise<Message>;
} {
  const arrived: Message[] = [];
  return {
    handler: { messageCreate: (_ctx, m) => void arrived.push(m) },
    next: async () => {
      await expect.poll(() => arrived.length, { timeout: 5000 }).toBeGreaterThan(0);
      return arrived[0]!;
    },
  };
}

/*
 * A guild media reply refuses an image that leaves the message over 10 MiB; a path is read no
 * further than a stream is (one byte past the bound), and a stream that stalls ends on the signal.
 */
describe('replyMedia() in a guild channel: reading the image', () => {
  const harnesses = useHarness();

  it('reads a path no further than one byte past the bound before refusing it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guild-media-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'big.png');
    const file = await open(path, 'w');
    await file.truncate(6 * MAX_GUILD_FORM_BYTES); // sparse: nothing written to disk
    await file.close();
    const models = firstMessage();
    const harness = await harnesses.start([models.handler]);
    harness.emulator.simulate.guildAtMessage({ content: 'x' });
    const message = await models.next();

    const before = await bytesRead();
    const refused = await message
      .replyMedia(path, { fileType: MediaFileType.Image })
      .catch((e: unknown) => e);
    const after = await bytesRead();
    expect(refused).toBeInstanceOf(FileImageTooLargeError);
    // What was read: the bound and a byte, not the 60 MiB of the file.
    expect((refused as FileImageTooLargeError).size).toBe(MAX_GUILD_FORM_BYTES + 1);
    if (before !== undefined && after !== undefined)
      expect(after - before).toBeLessThan(3 * MAX_GUILD_FORM_BYTES);
    expect(message.replyWindow.used).toBe(0);

    // A path it cannot read fails with the file system's error.
    await expect(
      message.replyMedia(join(dir, 'missing.png'), { fileType: MediaFileType.Image }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    expect(message.replyWindow.used).toBe(0);
  });

  it('ends the read of a stalled stream when the signal aborts, and gives the reply back', async () => {
    const models = firstMessage();
    const harness = await harnesses.start([models.handler]);
    harness.emulator.simulate.guildAtMessage({ content: 'x' });
    const message = await models.next();
    const source = new PassThrough(); // never written, never ended
    source.write(new Uint8Array([0x89, 0x50]));
    const controller = new AbortController();
    const reply = message.replyMedia(source, { fileType: MediaFileType.Image, signal: controller.signal });
    await expect.poll(() => message.replyWindow.used).toBe(1);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    const outcome = await Promise.race([
      reply.then(
        () => 'sent',
        (error: unknown) => error,
      ),
      new Promise((resolve) => setTimeout(() => resolve('still reading'), 2_000).unref()),
    ]);
    expect(outcome).toBe(reason);
    expect(source.destroyed).toBe(true);
    expect(message.replyWindow.used).toBe(0);
  });

  it('refuses at once with a signal aborted before the read', async () => {
    const models = firstMessage();
    const harness = await harnesses.start([models.handler]);
    harness.emulator.simulate.guildAtMessage({ content: 'x' });
    const message = await models.next();
    const controller = new AbortController();
    const reason = new Error('already gone');
    controller.abort(reason);
    const source = new PassThrough();
    await expect(
      message.replyMedia(source, { fileType: MediaFileType.Image, signal: controller.signal }),
    ).rejects.toBe(reason);
    expect(message.replyWindow.used).toBe(0);
  });
});
