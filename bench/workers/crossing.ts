/**
 * How events should cross from a shard's worker thread to the main thread, measured on the main
 * thread (where handlers run): one `postMessage` per event, batches of 256 parsed payloads (one
 * structured clone each), batches serialised to one JSON string and parsed again, or the raw
 * frames, parsed a second time on the main thread, or batches serialised into a buffer whose
 * memory is transferred, not copied. Prints the main thread's busy time per event
 * (event-loop utilisation over the run). `node --import tsx bench/workers/crossing.ts [events]`.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const MODES = [
  'one message per event',
  'batches of parsed payloads',
  'batches as one JSON string',
  'batches of raw frames',
  'batches in a transferred buffer',
] as const;
type Mode = (typeof MODES)[number];
const BATCH = 256;
const FRAME = JSON.stringify({
  op: 0,
  s: 1,
  t: 'GROUP_AT_MESSAGE_CREATE',
  id: 'GROUP_AT_MESSAGE_CREATE:0123456789abcdef0123456789abcdef',
  d: {
    id: 'ROBOT1.0_0123456789abcdefghijklmnopqrstuv',
    content: 'who is reading chapter 7 this week? I have notes to share',
    timestamp: '2024-06-01T20:00:00+08:00',
    group_openid: '0123456789ABCDEF0123456789ABCDEF',
    author: { member_openid: 'ABCDEF0123456789ABCDEF0123456789', id: 'ABCDEF0123456789' },
  },
});

/**
 * The worker thread's side, as plain JavaScript (a loader given to this process does not reach
 * its worker threads on Node.js 20): parses each frame once, as a shard does, then sends it.
 */
const PRODUCER = `
const { parentPort, workerData } = require('node:worker_threads');
const { mode, events, frame, size } = workerData;
let batch = [];
for (let index = 0; index < events; index++) {
  const payload = JSON.parse(frame);
  if (mode === 'one message per event') { parentPort.postMessage(payload); continue; }
  batch.push(mode === 'batches of raw frames' ? frame : payload);
  if (batch.length === size || index === events - 1) {
    if (mode === 'batches in a transferred buffer') {
      const bytes = new TextEncoder().encode(JSON.stringify(batch));
      parentPort.postMessage(bytes, [bytes.buffer]);
    } else parentPort.postMessage(mode === 'batches as one JSON string' ? JSON.stringify(batch) : batch);
    batch = [];
  }
}`;

async function measure(mode: Mode, events: number): Promise<number> {
  const worker = new Worker(PRODUCER, {
    eval: true,
    workerData: { mode, events, frame: FRAME, size: BATCH },
  });
  let received = 0;
  const decoder = new TextDecoder();
  const from = performance.eventLoopUtilization();
  await new Promise<void>((resolve) => {
    worker.on('message', (message: unknown) => {
      if (mode === 'one message per event') received += 1;
      else if (mode === 'batches of parsed payloads') received += (message as unknown[]).length;
      else if (mode === 'batches as one JSON string')
        received += (JSON.parse(message as string) as unknown[]).length;
      else if (mode === 'batches in a transferred buffer')
        received += (JSON.parse(decoder.decode(message as Uint8Array)) as unknown[]).length;
      else for (const frame of message as string[]) received += JSON.parse(frame) === null ? 0 : 1;
      if (received >= events) resolve();
    });
  });
  const busy = performance.eventLoopUtilization(from);
  await worker.terminate();
  return (busy.active * 1000) / events;
}

{
  const events = Number(process.argv[2] ?? 100_000);
  for (const mode of MODES) {
    const runs: number[] = [];
    for (let run = 0; run < 5; run++) runs.push(await measure(mode, events));
    runs.sort((a, b) => a - b);
    console.log(`${mode}: ${runs[2]!.toFixed(2)} µs of main-thread time per event (median of 5 × ${events})`);
  }
}
