import { closeSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BotError } from '@bot/core';

// A request fails in a later turn (a queue, a socket, a retry), so the error's own stack ends in
// the client's internals. A failure shows the caller's frames below its own: those of the
// functions awaiting the call, read when it fails (the default), or, with the `callSites` option,
// the stack of the line that made the call, kept by each call.

/** The stack of the code that called the client; V8 formats it only when `stack` is read. */
export interface CallSite {
  readonly stack?: string;
}

/**
 * Frames kept of a direct caller's call site: its own and the one that called it. Each frame more
 * costs capture time on every request, most of all when the synchronous stack is shallower than
 * the limit (a handler resumed after an `await`): V8 then walks the awaiting async functions to
 * fill it. In the REST bench, 4 frames cost about 9 µs of CPU per request more than 2.
 */
const CALLER_FRAMES = 2;
/**
 * Frames kept when the call came through an endpoint binding: its two frames and the resource
 * method's, then the caller's own code, when the caller called the resource method itself. A
 * method with more framework code in between records its caller's site (see {@link callSiteOf}).
 */
const ENDPOINT_CALLER_FRAMES = 4;

/**
 * Frames kept below a public method that reaches the client through more of the framework's code
 * (see {@link callSiteOf}): the line of the caller's code that called it. One frame, because that
 * caller is always on the stack: V8 never walks the awaiting async functions to fill it.
 */
const ENTRY_CALLER_FRAMES = 1;

/** The call site recorded by the public method the caller called, while its requests are made. */
let entrySite: CallSite | undefined;

/** Requests handed over by an endpoint binding (see {@link markEndpointCall}). */
const throughEndpoint = new WeakSet<object>();
/** Errors that already show a caller (the first call site that reached them). */
const located = new WeakSet<object>();

/**
 * Says that `request` comes from an endpoint binding, whose frames stand between the client and
 * the caller's code: its call site then keeps enough frames to reach that code.
 *
 * @param request - the request options the binding hands to the client
 */
export function markEndpointCall(request: object): void {
  throughEndpoint.add(request);
}

/**
 * Whether `request` comes from an endpoint binding, whose answer is a JSON object or array (or
 * none): a bare number, string or boolean is then no answer (see `classifyResponse`).
 *
 * @param request - the options handed to the client
 */
export function isEndpointCall(request: object): boolean {
  return throughEndpoint.has(request);
}

/**
 * The frames above the caller's on the stack when {@link captureCallSite} captures: its own and the
 * client method's that called it. They are captured and dropped when read, rather than skipped by
 * naming the method to V8 (`captureStackTrace(site, method)`) from a function of their own: that
 * change, the search and the extra frame gone together, took the REST bench from 0.88× got to
 * 0.98× (3 paired rounds). A request's depth below the caller is fixed, so a fixed count fits.
 */
const OWN_FRAMES = 2;

/** A call site whose first frames are the framework's own, dropped when its stack is read. */
class TrimmedCallSite implements CallSite {
  readonly #captured: { stack?: string };
  #stack: string | undefined;

  /** @param captured - holds the stack V8 captured, unformatted until read */
  public constructor(captured: { stack?: string }) {
    this.#captured = captured;
  }

  /** The stack without the framework's {@link OWN_FRAMES} frames, formatted on first read. */
  public get stack(): string {
    if (this.#stack === undefined) {
      const lines = (this.#captured.stack ?? '').split('\n');
      this.#stack = [lines[0] ?? 'Error', ...lines.slice(1 + OWN_FRAMES)].join('\n');
    }
    return this.#stack;
  }
}

/**
 * The call site recorded by the public method whose requests run now (see {@link requestsFrom}),
 * if any: what a client that records no call sites of its own still shows.
 */
export function currentEntrySite(): CallSite | undefined {
  return entrySite;
}

/**
 * Records where a call came from: a stack trace of the caller's frames, left unformatted until
 * read. Call it directly from the client method the caller called (its frame and this one's are
 * dropped).
 *
 * @param request - the call's options, which tell a call through an endpoint binding
 * @returns the site recorded by the public method that runs this call (see {@link requestsFrom}),
 *   or a new one
 */
export function captureCallSite(request: object): CallSite {
  if (entrySite !== undefined) return entrySite;
  // Captured here, not through another function: its frame cost ~0.3 µs per request (in-process).
  const captured: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit =
    OWN_FRAMES + (throughEndpoint.has(request) ? ENDPOINT_CALLER_FRAMES : CALLER_FRAMES);
  Error.captureStackTrace(captured);
  Error.stackTraceLimit = limit;
  return new TrimmedCallSite(captured);
}

/**
 * Records where the caller's code called `entry`, a public method whose requests go through more
 * of the framework's code than an endpoint binding (another method, a reply's sequence, an
 * upload's steps, awaits in between): a fixed number of frames at the request would show only
 * framework frames. Pass the site to {@link requestsFrom} around each step that sends. Inside
 * another such method (one calling the other), gives that method's site: the caller's code is
 * what called the outer one.
 *
 * ```ts
 * public async sendMedia(id: string, upload: UploadBody, message: MessageBody): Promise<Sent> {
 *   const site = callSiteOf(OpenChatApi.prototype.sendMedia);
 *   const uploaded = await requestsFrom(site, () => this.upload(id, upload));
 *   return requestsFrom(site, () => this.send(id, { ...message, media: uploaded }));
 * }
 * ```
 *
 * @param entry - the public method, as found on its prototype (the function on the stack), or a
 *   class whose constructor keeps the site for work it sends later
 * @returns the call site, or the one of the public method running it
 */
export function callSiteOf(
  entry: ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown),
): CallSite {
  if (entrySite !== undefined) return entrySite;
  // Captured here too: another function's frame cost a tenth of this capture (~0.2 µs of ~2.2 µs
  // CPU, at both depths a reply has). `entry` is still named to V8: the framework's frames below a
  // public method vary with the caller, and a fixed count trimmed when read measured no cheaper
  // (0.90–0.91 of the old capture, against 0.88–0.89 for this, paired in-process).
  const site: CallSite = {};
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = ENTRY_CALLER_FRAMES;
  Error.captureStackTrace(site, entry);
  Error.stackTraceLimit = saved;
  return site;
}

/**
 * Runs `call`: each request it makes before it returns (its synchronous part) fails with the
 * frames of `site` rather than those of the framework code that made it.
 *
 * @param site - from {@link callSiteOf}
 * @param call - the step that sends
 * @returns what `call` returns
 */
export function requestsFrom<T>(site: CallSite, call: () => T): T {
  const outer = entrySite;
  entrySite = outer ?? site;
  try {
    return call();
  } finally {
    entrySite = outer;
  }
}

/**
 * The same calls, each run by {@link requestsFrom} with `site`: for work that sends from many
 * places over many turns (an upload's steps).
 *
 * @param site - from {@link callSiteOf}
 * @param calls - functions that send, by name (bound endpoints)
 * @returns functions of the same names and types
 */
export function sendingFrom<Calls extends object>(site: CallSite, calls: Calls): Calls {
  const located: Record<string, unknown> = {};
  for (const [name, call] of Object.entries(calls) as Array<[string, (...args: unknown[]) => unknown]>) {
    located[name] = (...args: unknown[]) => requestsFrom(site, () => call(...args));
  }
  return located as Calls;
}

/**
 * Adds the frames of `site` to the stack of `error`, below its own: for an error of your own code
 * that reports a failure in a later turn (one that wraps a failed request, say), so that it leads
 * to the same line as the requests. Works on any `Error`; formats nothing until `stack` is read.
 * Leaves alone an error that shows a caller already: one given a site before (the first one
 * stays), or a `ValidationError`, thrown while its caller was still on the stack.
 *
 * ```ts
 * const site = callSiteOf(Notifier.prototype.notify);
 * try {
 *   await requestsFrom(site, () => api.groups.send(groupOpenid, message));
 * } catch (cause) {
 *   const error = new NotifyError(`could not notify ${groupOpenid}`, { cause });
 *   attachCallSite(error, site);
 *   throw error;
 * }
 * ```
 *
 * @param error - the error to show the caller in
 * @param site - from {@link callSiteOf}
 */
export function attachCallSite(error: Error, site: CallSite): void {
  appendFrames(error, (own) => unshownCallerFrames(own, site));
}

/**
 * Gives `error` the frames that `below` makes of its own stack, formatted on the first read of
 * `stack`, once: an error that shows a caller already, or a `ValidationError`, keeps its stack.
 */
function appendFrames(error: Error, below: (own: string) => string): void {
  if ((error instanceof BotError && error.kind === 'validation') || located.has(error)) return;
  located.add(error);
  const own = Object.getOwnPropertyDescriptor(error, 'stack');
  let combined: string | undefined;
  Object.defineProperty(error, 'stack', {
    configurable: true,
    enumerable: false,
    get(): string {
      if (combined === undefined) {
        const base = String(own?.get === undefined ? own?.value : own.get.call(error));
        const frames = below(base);
        combined = frames === '' ? base : `${base}\n${frames}`;
      }
      return combined;
    },
    set(value: string) {
      combined = value;
    },
  });
}

/**
 * {@link attachCallSite} for what a call of the framework failed with, when it is one of the
 * framework's errors. Anything else is left as it is, and so is the signal's reason, even one of
 * the framework's errors: it belongs to the caller, and may be the failure of many calls.
 *
 * @param error - what the call failed with
 * @param site - where the call came from
 * @param signal - the call's signal, if any
 */
export function attachCallSiteToFailure(error: unknown, site: CallSite, signal?: AbortSignal): void {
  if (error instanceof BotError && !isReasonOf(error, signal)) attachCallSite(error, site);
}

/** Whether `error` is the reason `signal` was aborted with: the caller's own object. */
function isReasonOf(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal !== undefined && signal.aborted && error === signal.reason;
}

/**
 * The `catch` handler of a call that records no call site: gives a failure of the framework the
 * frames of the code awaiting the call, and rethrows it. It runs as a reaction on the promise the
 * caller awaits, so a stack captured here holds, after its own frames, one `at async` frame per
 * function suspended in an `await` of the call (through functions that return its promise, or
 * `Promise.all`, too), paid for only when a call fails. A function that returns the promise
 * without awaiting it, and a caller that does not await (a `.then()` chain, a promise dropped),
 * are not on that chain: only the `callSites` option shows them.
 *
 * @param error - what the call failed with
 * @param signal - the call's signal, if any: its reason is rethrown as it is
 * @throws `error`, always
 */
export function failWithAwaitingCallers(error: unknown, signal?: AbortSignal): never {
  const limit = Error.stackTraceLimit;
  // Only an error that will show the frames is worth a capture (see appendFrames); the signal's
  // reason is the caller's, maybe shared by many calls, and keeps its stack.
  if (
    error instanceof BotError &&
    error.kind !== 'validation' &&
    !located.has(error) &&
    limit > 0 &&
    !isReasonOf(error, signal)
  ) {
    const captured: { stack?: string } = {};
    // Room for the frames dropped when read: Node's microtask loop, the framework's functions.
    Error.stackTraceLimit = limit + FRAMEWORK_FRAMES_ROOM;
    // Named to V8, so that this frame is left out.
    Error.captureStackTrace(captured, failWithAwaitingCallers);
    Error.stackTraceLimit = limit;
    appendFrames(error, (own) => awaitingFrames(own, captured, limit));
  }
  throw error;
}

/** Frames captured beyond `Error.stackTraceLimit` by {@link failWithAwaitingCallers}. */
const FRAMEWORK_FRAMES_ROOM = 8;

/**
 * The frames of `captured` that show the caller's code: without Node's own and the framework's
 * (a resource method awaiting the request, `panels.all()`), at most `limit`, and without those
 * the error's own stack ends with already (V8 adds the awaiting functions to a stack taken in a
 * later turn when nothing broke the chain: a queue, a shared token fetch).
 */
function awaitingFrames(own: string, captured: { stack?: string }, limit: number): string {
  const frames = (captured.stack ?? '')
    .split('\n')
    .slice(1)
    .filter((line) => !isFrameworkFrame(line))
    .slice(0, limit);
  return frames.slice(shownAlready(own, frames)).join('\n');
}

/**
 * How many of `frames` (the caller's, without the framework's) the stack `own` ends with already,
 * in a row from the first: V8 adds the awaiting functions to a stack taken in a later turn.
 */
function shownAlready(own: string, frames: readonly string[]): number {
  const shown = own
    .split('\n')
    .filter((line) => !isFrameworkFrame(line))
    .map(frameKey);
  const first = frames.length === 0 ? -1 : shown.lastIndexOf(frameKey(frames[0] ?? ''));
  let skip = 0;
  if (first !== -1) {
    while (skip < frames.length && shown[first + skip] === frameKey(frames[skip] ?? '')) skip += 1;
  }
  return skip;
}

/**
 * The frames of `site`, or none when `own` shows all of its caller's frames already (a method
 * that records its caller, awaited by that caller: `at async send` would be followed by `at send`).
 */
function unshownCallerFrames(own: string, site: CallSite): string {
  const frames = callerFrames(site);
  const callers = frames.split('\n').filter((line) => !isFrameworkFrame(line));
  return callers.length > 0 && shownAlready(own, callers) === callers.length ? '' : frames;
}

/**
 * More than any `package.json` of the framework's: a larger file is not one of them. Declared
 * before {@link frameworkDirectory}, which reads it at load.
 */
const PACKAGE_JSON_MAX_BYTES = 64 * 1024;

/**
 * The directory holding the framework's packages (`node_modules/@bot/` when installed, the
 * workspace's `packages/` in development), found from this file's own frame: `…/http/src/rest/`
 * or `…/http/dist/` (bundled), with or without source maps. `undefined` when this code runs from
 * somewhere else, bundled into an application's own file: its directory is the application's,
 * even when that application is itself a `packages/http/` of a workspace.
 */
const frameworkDirectory: string | undefined = (() => {
  const here: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  Error.captureStackTrace(here);
  Error.stackTraceLimit = limit;
  return confirmedFrameworkDirectory(frameworkDirectoryOf((here.stack ?? '').split('\n')[1] ?? ''));
})();

/**
 * `directory` when its `http/package.json` names `@bot/http`: a path alone cannot tell the
 * framework's `packages/http/dist/` from that of an application's own package named `http`, into
 * which the framework was bundled. Read once, at load, synchronously (a module's top level cannot
 * wait); anything unreadable or unexpected gives `undefined`, so only Node's frames are left out.
 *
 * @param directory - from {@link frameworkDirectoryOf}: a path or a `file:` URL, with its
 *   trailing separator
 * @param readPackageJson - reads a `package.json` at most `PACKAGE_JSON_MAX_BYTES` long
 * @returns `directory`, or `undefined`
 */
export function confirmedFrameworkDirectory(
  directory: string | undefined,
  readPackageJson: (path: string) => string = readSmallFile,
): string | undefined {
  if (directory === undefined) return undefined;
  try {
    const path = directory.startsWith('file:')
      ? fileURLToPath(`${directory}http/package.json`)
      : `${directory}http/package.json`;
    const manifest: unknown = JSON.parse(readPackageJson(path));
    const name =
      typeof manifest === 'object' && manifest !== null ? Reflect.get(manifest, 'name') : undefined;
    return name === '@bot/http' ? directory : undefined;
  } catch {
    return undefined;
  }
}

/** The text of the file at `path`, which must be at most {@link PACKAGE_JSON_MAX_BYTES} long. */
function readSmallFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    // One byte more than the limit tells a larger file from one exactly at it.
    const buffer = Buffer.alloc(PACKAGE_JSON_MAX_BYTES + 1);
    let length = 0;
    let read: number;
    do {
      read = readSync(fd, buffer, length, buffer.length - length, null);
      length += read;
    } while (read > 0 && length < buffer.length);
    if (length > PACKAGE_JSON_MAX_BYTES) throw new RangeError(`${path} is larger than a package.json`);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * The framework's directory as seen from a frame of this file (see {@link frameworkDirectory}):
 * only a `packages/http/` or `@bot/http/` directory names the framework's packages (its sources,
 * or any file of its `dist/`, where the bundler may put this code in a chunk). A candidate only:
 * {@link confirmedFrameworkDirectory} checks that it holds `@bot/http`.
 *
 * @param frame - a stack line of this file, as V8 writes it
 * @returns the directory, with its trailing separator, or `undefined`
 */
export function frameworkDirectoryOf(frame: string): string | undefined {
  return /^(.*[\\/](?:packages|@bot)[\\/])http[\\/](?:src[\\/]rest[\\/]callSite\.[cm]?[jt]s|dist[\\/][^\\/]+\.[cm]?js):\d+:\d+$/.exec(
    frameLocation(frame),
  )?.[1];
}

/** The file (and line) of a stack frame: what its parentheses hold, or what follows `at`. */
function frameLocation(line: string): string {
  const open = line.lastIndexOf('(');
  return line.endsWith(')') && open !== -1
    ? line.slice(open + 1, -1)
    : line.trim().replace(/^at (async )?/, '');
}

/**
 * Whether a frame is Node's own, or in the code (not the tests) of one of the framework's
 * packages. Without a framework directory (the framework bundled into an application's file),
 * only Node's frames are: the application's and the framework's cannot be told apart.
 *
 * @param line - a stack line, as V8 writes it
 * @param directory - the framework's directory (see {@link frameworkDirectoryOf})
 */
export function isFrameworkFrame(line: string, directory: string | undefined = frameworkDirectory): boolean {
  const location = frameLocation(line);
  if (
    location.startsWith('node:') ||
    location.includes('/node_modules/@bot/') ||
    location.includes('\\node_modules\\@bot\\')
  ) {
    return true;
  }
  if (directory === undefined || !location.startsWith(directory)) return false;
  return /^[^\\/]+[\\/](?:src|dist)[\\/]/.test(location.slice(directory.length));
}

/** A frame without its column and `async`: a line awaited and the same line called match. */
function frameKey(line: string): string {
  return line
    .trim()
    .replace(/^at (async )?/, '')
    .replace(/:\d+\)?$/, '');
}

/** The `at` lines of a call site: its stack without the header line. */
function callerFrames(site: CallSite): string {
  const stack = site.stack ?? '';
  const firstFrame = stack.indexOf('\n');
  return firstFrame === -1 ? '    at <unknown caller>' : stack.slice(firstFrame + 1);
}
