import { EmulatorError } from '../EmulatorError.js';

/** An armed failure of part PUTs. */
export interface PartFailure {
  /** PUTs to fail (default 1). */
  times?: number | undefined;
  /** Status to answer with (default 500). */
  status?: number | undefined;
  /** Only PUTs of this part number fail (default any). */
  index?: number | undefined;
}

/** An armed fault of the completing `files` call. */
export interface CompletionFailure {
  /** Completions to fail (default 1). */
  times?: number | undefined;
  /** Status to answer with (default 502). */
  status?: number | undefined;
  /**
   * Whether the failing completion went through first (the `file_info` is made and the upload
   * closed, only the answer is lost), as a proxy timing out after the platform did its work
   * would (default false: nothing happens but the error).
   */
  landed?: boolean | undefined;
}

/** Part PUT faults, and completion faults, armed at once, at most (each kind). */
export const MAX_ARMED_UPLOAD_FAULTS = 1000;

/** Every field given: an armed fault holds its defaults, so `undefined` no longer stands for one. */
type Filled<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

type ArmedPartFailure = Filled<Omit<PartFailure, 'index'>> & { index: number | undefined; after: number };

/**
 * The faults armed against chunked uploads (part PUTs, `upload_part_finish`, the completing
 * `files` call), each consumed by the calls it fails.
 */
export class UploadFaults {
  #parts: ArmedPartFailure[] = [];
  #completions: Array<Filled<CompletionFailure>> = [];
  #notReady = 0;

  /**
   * Arms part PUT failures for uploads prepared after the `prepared` first ones.
   *
   * @throws {@link EmulatorError} for a `times` that is not a positive integer, a status outside
   *   400–599, or once {@link MAX_ARMED_UPLOAD_FAULTS} part faults are armed
   */
  failParts(failure: PartFailure, prepared: number): void {
    requireRoom(this.#parts.length, 'part PUT faults');
    const times = checkedTimes(failure.times ?? 1);
    const status = checkedStatus(failure.status ?? 500);
    if (failure.index !== undefined && !(Number.isInteger(failure.index) && failure.index >= 1))
      throw new EmulatorError(`index must be a part number ≥ 1, got ${failure.index}`);
    this.#parts.push({ times, status, index: failure.index, after: prepared });
  }

  /**
   * Arms completion failures.
   *
   * @throws {@link EmulatorError} for a `times` that is not a positive integer, a status outside
   *   400–599, or once {@link MAX_ARMED_UPLOAD_FAULTS} completion faults are armed
   */
  failCompletion(failure: CompletionFailure): void {
    requireRoom(this.#completions.length, 'completion faults');
    const times = checkedTimes(failure.times ?? 1);
    const status = checkedStatus(failure.status ?? 502);
    this.#completions.push({ times, status, landed: failure.landed ?? false });
  }

  /**
   * Arms `times` "not ready" answers of `upload_part_finish`.
   *
   * @throws {@link EmulatorError} for a `times` that is not a positive integer
   */
  delayPartReady(times: number): void {
    this.#notReady += checkedTimes(times);
  }

  /** Consumes one armed failure of the PUT of part `index` of upload number `serial`; its status. */
  takePart(serial: number, index: number): number | undefined {
    const armed = this.#parts.find(
      (failure) => serial > failure.after && (failure.index === undefined || failure.index === index),
    );
    if (armed === undefined) return undefined;
    armed.times--;
    if (armed.times <= 0) this.#parts = this.#parts.filter((failure) => failure !== armed);
    return armed.status;
  }

  /** Consumes one armed completion fault, if any. */
  takeCompletion(): { status: number; landed: boolean } | undefined {
    const armed = this.#completions[0];
    if (armed === undefined) return undefined;
    armed.times--;
    if (armed.times <= 0) this.#completions.shift();
    return { status: armed.status, landed: armed.landed };
  }

  /** Consumes one "not ready" answer, if armed. */
  takeNotReady(): boolean {
    if (this.#notReady === 0) return false;
    this.#notReady--;
    return true;
  }

  /** Disarms every fault. */
  reset(): void {
    this.#parts = [];
    this.#completions = [];
    this.#notReady = 0;
  }
}

function requireRoom(armed: number, what: string): void {
  if (armed >= MAX_ARMED_UPLOAD_FAULTS)
    throw new EmulatorError(
      `${MAX_ARMED_UPLOAD_FAULTS} ${what} are armed, the most at once: let some be used or reset the faults`,
    );
}

function checkedTimes(times: number): number {
  if (!(Number.isInteger(times) && times > 0))
    throw new EmulatorError(`times must be a positive integer, got ${times}`);
  return times;
}

function checkedStatus(status: number): number {
  if (!(Number.isInteger(status) && status >= 400 && status <= 599))
    throw new EmulatorError(`status must be 400–599, got ${status}`);
  return status;
}
