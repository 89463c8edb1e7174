import { afterEach, describe, expect, it } from 'vitest';
import { Client, createLogger, Token, type UploadProgress } from '@bot/client';
import { Emulator, type RestRecord } from '@bot/testing';
import { RICH_BOT_INTENTS, RichBot } from '../rich/RichBot.js';
import { progressLine } from '../rich/progressBar.js';
import { runNamedExample } from './runExample.js';

/** Generous: a slow 2-core machine compiles the example with tsx before it runs. */
const CHILD_TIMEOUT_MS = 90_000;

describe('the rich example', () => {
  it(
    'streams an answer in C2C, uploads a large file with a progress bar and answers a button press',
    async () => {
      const run = await runNamedExample('rich', CHILD_TIMEOUT_MS - 5_000);
      expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
      // Several frames, the last one done and carrying the whole answer.
      expect(run.stdout).toMatch(/\[c2c Judy\] bot \(stream frame 2\) › /);
      expect(run.stdout).toMatch(
        /\[c2c Judy\] bot \(stream frame \d+, done\) › Good question about .*whole of it\./,
      );
      // Groups have no streaming: one message with the whole answer.
      expect(run.stdout).toMatch(
        /\[group Book Club\] bot › Good question about "and in a group\?"\..*\(HTTP 200\)/,
      );
      expect(run.stdout).toContain('[████████████████████] 100%  20.0/20.0 MiB  5/5 parts');
      expect(run.stdout).toContain(
        '[group Book Club] bot › (media) report.bin (chunked upload)   (HTTP 200)',
      );
      expect(run.stdout).toContain('[group Book Club] bot › [ 🍎 Apple ] [ 🍐 Pear ] [ 🍒 Cherry ]');
      expect(run.stdout).toContain('[group Book Club] bot › (acknowledges: code 0, HTTP 204)');
      expect(run.stdout).toContain(
        '[group Book Club] bot › You picked 🍒 Cherry. Good choice!   (event_id, HTTP 200)',
      );
    },
    CHILD_TIMEOUT_MS,
  );
});

describe('the progress line', () => {
  const MiB = 1024 * 1024;

  it('counts the bytes and parts stored, so the two agree; bytes on the wire only shade the bar', () => {
    const line = progressLine({
      phase: 'uploading',
      bytesSent: 10 * MiB,
      bytesDone: 5 * MiB,
      bytesTotal: 20 * MiB,
      partsDone: 1,
      partsTotal: 4,
    });
    expect(line).toBe('[█████▒▒▒▒▒░░░░░░░░░░]  25%  5.0/20.0 MiB  1/4 parts');
  });

  it('shows every byte sent but not all stored as shaded, not as done', () => {
    const line = progressLine({
      phase: 'uploading',
      bytesSent: 20 * MiB,
      bytesDone: 12 * MiB,
      bytesTotal: 20 * MiB,
      partsDone: 3,
      partsTotal: 5,
    });
    expect(line).toBe('[████████████▒▒▒▒▒▒▒▒]  60%  12.0/20.0 MiB  3/5 parts');
  });
});

describe('RichBot against the emulator', () => {
  let emulator: Emulator | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.shutdown({ invalidateSessions: true });
    await emulator?.stop();
    client = undefined;
    emulator = undefined;
  });

  /** Starts the emulator and a client running `bot`, and waits until it is ready. */
  async function start(bot: RichBot): Promise<Emulator> {
    emulator = await Emulator.start({ grantedIntents: RICH_BOT_INTENTS.bits, heartbeatInterval: 30_000 });
    const built = await Client.builder(new Token(emulator.appId, emulator.secret), RICH_BOT_INTENTS)
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(createLogger('rich', 5))
      .eventHandler(bot);
    client = built;
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    built.shardManager.on('state', (state) => state === 'ready' && ready());
    void built.start().catch(() => undefined);
    await isReady;
    return emulator;
  }

  const rest = (emu: Emulator, route: string): RestRecord[] =>
    emu.recorder.filter((r): r is RestRecord => r.kind === 'rest' && r.route === route) as RestRecord[];

  it('streams the model in frames that only grow, the last one done with the whole text', async () => {
    const emu = await start(new RichBot({ wordDelayMs: 20 }));
    const asked = emu.simulate.c2cMessage({ content: '!ask tides' });
    const route = 'POST /v2/users/{openid}/stream_messages';
    await emu.recorder.waitFor(
      (r) =>
        r.kind === 'rest' && r.route === route && (r.body as { input_state?: number }).input_state === 10,
      { timeout: 20_000 },
    );
    const frames = rest(emu, route).map(
      (r) => r.body as { content_raw: string; index: number; msg_id: string },
    );
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames.map((frame) => frame.index)).toEqual(frames.map((_, index) => index));
    for (const [index, frame] of frames.entries()) {
      expect(frame.msg_id).toBe(asked.d.id);
      if (index > 0) expect(frame.content_raw.startsWith(frames[index - 1]!.content_raw)).toBe(true);
    }
    expect(frames.at(-1)?.content_raw).toMatch(/^Good question about "tides"\. .* whole of it\.$/);
    expect(rest(emu, route).every((r) => r.status === 200)).toBe(true);
  });

  it('uploads !file in parts to the presigned URLs, reporting progress up to the whole size, and sends it', async () => {
    const progress: UploadProgress[] = [];
    const fileSize = 9 * 1024 * 1024;
    const emu = await start(new RichBot({ fileSize, progress: () => (p) => progress.push(p) }));
    const inbound = emu.simulate.c2cMessage({ content: '!file' });
    const sent = await emu.recorder.waitFor(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/users/{openid}/messages',
      { timeout: 20_000 },
    );
    expect(sent).toMatchObject({ status: 200, body: { msg_type: 7, msg_id: inbound.d.id } });
    expect(rest(emu, 'POST /v2/users/{openid}/upload_prepare')).toHaveLength(1);
    const done = progress.map((p) => p.bytesDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ phase: 'done', bytesDone: fileSize, bytesTotal: fileSize });
    expect(progressLine(progress.at(-1)!)).toMatch(/^\[█{20}\] 100% {2}9\.0\/9\.0 MiB {2}(\d+)\/\1 parts$/);
  });

  it('draws one bar per upload: two !file at once get a callback each, each ending at the whole size', async () => {
    const bars = new Map<string, UploadProgress[]>();
    const fileSize = 6 * 1024 * 1024;
    const emu = await start(
      new RichBot({
        fileSize,
        progress: (label) => {
          const reports: UploadProgress[] = [];
          bars.set(label, reports);
          return (p) => reports.push(p);
        },
      }),
    );
    emu.simulate.c2cMessage({ content: '!file' });
    emu.simulate.groupAtMessage({ content: '!file' });
    await emu.recorder.waitForCount(
      (r) => r.kind === 'rest' && r.method === 'POST' && /\/messages$/.test(r.path) && r.status === 200,
      2,
      { timeout: 20_000 },
    );
    expect([...bars.keys()].sort()).toEqual(['upload 1', 'upload 2']);
    for (const reports of bars.values()) {
      expect(reports[0]).toMatchObject({ phase: 'reading', bytesSent: 0 });
      expect(reports.at(-1)).toMatchObject({ phase: 'done', bytesSent: fileSize, bytesTotal: fileSize });
    }
  });

  it('stops an upload in flight when its signal is aborted: no later part, nothing sent', async () => {
    const controller = new AbortController();
    const emu = await start(new RichBot({ fileSize: 9 * 1024 * 1024, signal: controller.signal }));
    const release = emu.uploads.holdParts();
    emu.simulate.c2cMessage({ content: '!file' });
    while (emu.uploads.inFlightParts === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('Ctrl-C'));
    while (emu.uploads.inFlightParts > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    const puts = emu.uploads.partRequests.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emu.uploads.partRequests).toHaveLength(puts);
    expect(emu.uploads.partRequests.every((put) => put.status === 0)).toBe(true);
    expect(rest(emu, 'POST /v2/users/{openid}/files')).toHaveLength(0);
    expect(rest(emu, 'POST /v2/users/{openid}/messages')).toHaveLength(0);
  });

  it('acknowledges a press of its menu and answers it by event_id; an unknown button is acknowledged as failed', async () => {
    const emu = await start(new RichBot());
    emu.simulate.groupAtMessage({ content: '!menu' });
    const menu = await emu.recorder.waitFor(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages',
      { timeout: 20_000 },
    );
    const rows = (menu as RestRecord).body as {
      keyboard: { content: { rows: Array<{ buttons: unknown[] }> } };
    };
    expect(rows.keyboard.content.rows[0]?.buttons).toHaveLength(3);

    const from = emu.recorder.mark();
    const pear = emu.simulate.interaction({ scene: 'group', buttonId: 'pear', buttonData: 'fruit:pear' });
    await emu.recorder.waitFor((r) => r.kind === 'rest' && r.method === 'POST' && r.index >= from, {
      timeout: 20_000,
    });
    const stranger = emu.simulate.interaction({
      scene: 'c2c',
      buttonId: 'x',
      buttonData: 'not:ours',
      allowUnsentButton: true,
    });
    await emu.recorder.waitForCount((r) => r.kind === 'rest' && r.method === 'PUT', 2, { timeout: 20_000 });
    expect(emu.world.content.interactions.get(pear.d.id)).toEqual({ ackCode: 0 });
    expect(emu.world.content.interactions.get(stranger.d.id)).toEqual({ ackCode: 1 });
    const answers = rest(emu, 'POST /v2/groups/{group_openid}/messages').slice(1);
    expect(answers.map((r) => [r.status, r.body])).toEqual([
      [200, expect.objectContaining({ content: 'You picked 🍐 Pear. Good choice!', event_id: pear.d.id })],
    ]);
  });
});
