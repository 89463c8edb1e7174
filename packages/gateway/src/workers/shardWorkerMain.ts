/**
 * Entry point of a shard worker thread (started by `workerThreads`; not for importing). Runs the
 * thread's shards and talks to the main thread over `parentPort`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ThreadInit, ToWorker } from './messages.js';
import { ShardHost } from './ShardHost.js';

const port = parentPort;
if (port === null) throw new Error('shardWorkerMain runs only as a worker thread started by workerThreads()');
const host = new ShardHost(workerData as ThreadInit, (message: FromWorker) => port.postMessage(message));
port.on('message', (message: ToWorker) => host.handle(message));
