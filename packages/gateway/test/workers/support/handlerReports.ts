import { BroadcastChannel } from 'node:worker_threads';
import { onTestFinished } from 'vitest';
import type { HandlerReport } from '../fixtures/reportingHandler.js';

// What the tests of the reporting handler module (fixtures/reportingHandler.ts) share.

let channels = 0;

/** Listens to what the reporting handler's threads tell, on a channel of this test's own. */
export function listen(): { channel: string; reports: HandlerReport[] } {
  const channel = `thread-handler-${process.pid}-${++channels}`;
  const reports: HandlerReport[] = [];
  const listener = new BroadcastChannel(channel);
  listener.onmessage = (event) => reports.push((event as { data: HandlerReport }).data);
  onTestFinished(() => listener.close());
  return { channel, reports };
}

/** The reports of dispatches handed to the handler, in the order they arrived. */
export const handled = (reports: HandlerReport[]) =>
  reports.filter(
    (report): report is Extract<HandlerReport, { kind: 'handled' }> => report.kind === 'handled',
  );
