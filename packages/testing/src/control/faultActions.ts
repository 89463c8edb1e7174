import { EmulatorError } from '../EmulatorError.js';
import type { Faults } from '../faults/Faults.js';
import type { ChunkedUploads } from '../uploads/ChunkedUploads.js';
import { type FieldSpec, readFields } from './fieldSpec.js';

const shard = { shard: 'integer' } as const satisfies FieldSpec;
const close = { shard: 'integer', code: 'integer', reason: 'string?' } as const satisfies FieldSpec;
const closeAll = { code: 'integer', reason: 'string?' } as const satisfies FieldSpec;
const invalid = { shard: 'integer', resumable: 'boolean' } as const satisfies FieldSpec;
const duration = { ms: 'number?' } as const satisfies FieldSpec;
const failRoute = {
  route: 'string',
  status: 'integer',
  code: 'integer?',
  message: 'string?',
  retryAfter: 'number?',
  times: 'integer?',
  afterHandling: 'boolean?',
} as const satisfies FieldSpec;
const duplicate = { count: 'integer?' } as const satisfies FieldSpec;
const intentRefusal = { answer: 'string' } as const satisfies FieldSpec;
const none = {} as const satisfies FieldSpec;
const partFailure = { times: 'integer?', status: 'integer?', index: 'integer?' } as const satisfies FieldSpec;
const completionFailure = {
  times: 'integer?',
  status: 'integer?',
  landed: 'boolean?',
} as const satisfies FieldSpec;
const times = { times: 'integer?' } as const satisfies FieldSpec;

/** What the faults act on: the gateway and REST faults, and the chunked uploads. */
export interface FaultTargets {
  readonly faults: Faults;
  readonly uploads: ChunkedUploads;
}

/** Each fault the control API offers: `POST /__emulator/faults/<name>`; shard faults answer `{affected}`. */
const ACTIONS: Readonly<Record<string, (faults: Faults, body: unknown) => unknown>> = {
  closeShard: (f, b) => {
    const input = readFields(b, close);
    return { affected: f.closeShard(input.shard, input.code, input.reason) };
  },
  closeAll: (f, b) => {
    const input = readFields(b, closeAll);
    return { affected: f.closeAll(input.code, input.reason) };
  },
  reconnect: (f, b) => ({ affected: f.reconnect(readFields(b, shard).shard) }),
  invalidSession: (f, b) => {
    const input = readFields(b, invalid);
    return { affected: f.invalidSession(input.shard, input.resumable) };
  },
  stopHeartbeatAcks: (f, b) => ({ affected: f.stopHeartbeatAcks(readFields(b, shard).shard) }),
  dropSocket: (f, b) => ({ affected: f.dropSocket(readFields(b, shard).shard) }),
  slowHello: (f, b) => {
    f.slowHello(readFields(b, duration).ms ?? 0);
    return {};
  },
  refuseDisallowedIntentsWith: (f, b) => {
    const { answer } = readFields(b, intentRefusal);
    if (answer !== 'close' && answer !== 'invalidSession')
      throw new EmulatorError(
        `field "answer" must be "close" or "invalidSession", got ${JSON.stringify(answer)}`,
      );
    f.refuseDisallowedIntentsWith(answer);
    return {};
  },
  expireTokens: (f, b) => {
    readFields(b, none);
    f.expireTokens();
    return {};
  },
  failRoute: (f, b) => {
    const { route, ...failure } = readFields(b, failRoute);
    f.failRoute(route, failure);
    return {};
  },
  duplicateNext: (f, b) => {
    f.duplicateNext(readFields(b, duplicate).count ?? 1);
    return {};
  },
  periodicInvalidation: (f, b) => {
    f.periodicInvalidation(readFields(b, duration).ms ?? 0);
    return {};
  },
};

/** The chunked-upload faults (see {@link ChunkedUploads}): each answers `{}`. */
const UPLOAD_ACTIONS: Readonly<Record<string, (uploads: ChunkedUploads, body: unknown) => unknown>> = {
  failUploadParts: (u, b) => {
    u.failParts(readFields(b, partFailure));
    return {};
  },
  failUploadCompletion: (u, b) => {
    u.failCompletion(readFields(b, completionFailure));
    return {};
  },
  delayUploadPartReady: (u, b) => {
    u.delayPartReady(readFields(b, times).times ?? 1);
    return {};
  },
};

/** `reset` disarms every fault, the uploads' too, as `emu.faults.reset()`: measurements stay. */
function resetAll(targets: FaultTargets, body: unknown): unknown {
  readFields(body, none);
  targets.faults.reset();
  return {};
}

/** Names of the faults the control API offers. */
export const FAULT_NAMES: readonly string[] = [
  ...Object.keys(ACTIONS),
  ...Object.keys(UPLOAD_ACTIONS),
  'reset',
];

/** Injects a fault by name with a JSON body; throws {@link EmulatorError} for unknown names or bad input. */
export function runFault(targets: FaultTargets, name: string, body: unknown): unknown {
  if (name === 'reset') return resetAll(targets, body);
  const gateway = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (gateway) return gateway(targets.faults, body);
  const upload = Object.hasOwn(UPLOAD_ACTIONS, name) ? UPLOAD_ACTIONS[name] : undefined;
  if (upload) return upload(targets.uploads, body);
  throw new EmulatorError(`unknown fault "${name}" (known: ${FAULT_NAMES.join(', ')})`);
}
