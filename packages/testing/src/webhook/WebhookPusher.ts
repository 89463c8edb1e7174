import type { KeyObject } from 'node:crypto';
import { AbortFanout, messageOf, Opcode, sleepUnlessAborted, type GatewayPayload } from '@bot/core';
import type { EventTransport } from '../dispatch/EventBus.js';
import type { PublishedEvent } from '../dispatch/routing.js';
import { EmulatorError } from '../EmulatorError.js';
import type { Recorder } from '../recorder/Recorder.js';
import { isInteger, isJsonObject, tryParseJson } from '../util/guards.js';
import { IdFactory } from '../util/ids.js';
import { unixSeconds } from '../util/time.js';
import { httpPost } from './httpPost.js';
import { signHex, signingKey, verifyHex } from './signing.js';

/** Webhook delivery settings. */
export interface WebhookSettings {
  /** Delays (ms) before each retry; its length is the number of retries (default [1000, 2000, 4000]). */
  retryDelays: number[];
  /** How long to wait for the bot's answer, in ms (default 5000). */
  timeout: number;
}

/** The outcome of an op 13 URL validation. */
export interface ValidationResult {
  ok: boolean;
  /** Why the bot's answer was not accepted. */
  reason?: string;
}

/**
 * Pushes events to the bot's callback URL like the platform: signed with the app secret
 * (Ed25519 over timestamp + body), op 13 validation before a URL is accepted, and retries when
 * the bot answers `{"op":12,"d":1}` or anything but 200.
 */
export class WebhookPusher implements EventTransport {
  readonly #key: KeyObject;
  readonly #appId: string;
  readonly #settings: WebhookSettings;
  readonly #recorder: Recorder;
  readonly #ids = new IdFactory();
  readonly #abort = new AbortController();
  /**
   * `#abort` heard once for every delivery in flight or waiting to retry: a listener each would
   * make Node warn of a leak past ten at once, as a burst of events easily has.
   */
  readonly #waits = new AbortFanout(this.#abort.signal);
  readonly #inFlight = new Set<Promise<void>>();
  #url: URL | null = null;

  /**
   * @param appId sent in `X-Bot-Appid`
   * @param secret the app secret the signing key derives from
   */
  constructor(appId: string, secret: string, settings: WebhookSettings, recorder: Recorder) {
    this.#appId = appId;
    this.#key = signingKey(secret);
    this.#settings = settings;
    this.#recorder = recorder;
  }

  /** The callback URL events go to, or null when none is configured. */
  get url(): string | null {
    return this.#url?.href ?? null;
  }

  /**
   * Sets the callback URL. Like the platform's console it first runs the op 13 validation and
   * refuses the URL (throwing {@link EmulatorError}) when the bot answers wrongly; pass
   * `validate: false` to skip it.
   */
  async setUrl(url: string | null, options: { validate?: boolean } = {}): Promise<void> {
    if (url === null) {
      this.#url = null;
      return;
    }
    const parsed = parseUrl(url);
    if (options.validate !== false) {
      const result = await this.validate(parsed.href);
      if (!result.ok)
        throw new EmulatorError(`callback URL validation failed: ${result.reason ?? 'unknown reason'}`);
    }
    this.#url = parsed;
  }

  /** Sends an op 13 challenge to `url` and checks the bot's signed answer. */
  async validate(url: string): Promise<ValidationResult> {
    const plainToken = this.#ids.opaque(10);
    const eventTs = unixSeconds().toString();
    const body = JSON.stringify({
      op: Opcode.CallbackValidation,
      d: { plain_token: plainToken, event_ts: eventTs },
    });
    let answer;
    try {
      answer = await httpPost(
        parseUrl(url),
        body,
        this.#headers(body),
        this.#settings.timeout,
        this.#abort.signal,
      );
    } catch (error) {
      return { ok: false, reason: `request failed: ${messageOf(error)}` };
    }
    if (answer.status !== 200) return { ok: false, reason: `answered HTTP ${answer.status}` };
    const parsed = tryParseJson(answer.body);
    const value = parsed?.value;
    if (
      !isJsonObject(value) ||
      typeof value['plain_token'] !== 'string' ||
      typeof value['signature'] !== 'string'
    ) {
      return { ok: false, reason: 'answer must be {"plain_token", "signature"}' };
    }
    if (value['plain_token'] !== plainToken)
      return { ok: false, reason: 'plain_token does not match the challenge' };
    if (!verifyHex(this.#key, eventTs + plainToken, value['signature']))
      return { ok: false, reason: 'signature does not verify' };
    return { ok: true };
  }

  /** Pushes an event to the callback URL (no-op without one). */
  deliver(event: PublishedEvent): void {
    const url = this.#url;
    if (!url) return;
    const payload: GatewayPayload = { id: event.id, op: Opcode.Dispatch, d: event.d, t: event.t };
    this.#track(this.#attempt(url, payload, 1));
  }

  /** Resolves once no delivery is in flight or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Cancels retries and in-flight deliveries. */
  close(): void {
    this.#abort.abort();
  }

  async #attempt(url: URL, payload: GatewayPayload, attempt: number): Promise<void> {
    const body = JSON.stringify(payload);
    let status: number | null = null;
    let ack: number | null = null;
    let error: string | undefined;
    try {
      const headers = this.#headers(body);
      const answer = await this.#waits.within((signal) =>
        httpPost(url, body, headers, this.#settings.timeout, signal),
      );
      status = answer.status;
      const parsed = tryParseJson(answer.body)?.value;
      if (isJsonObject(parsed) && parsed['op'] === Opcode.HttpCallbackAck && isInteger(parsed['d']))
        ack = parsed['d'];
    } catch (caught) {
      error = messageOf(caught);
    }
    if (this.#abort.signal.aborted) return;
    this.#recorder.add({
      kind: 'webhook',
      url: url.href,
      payload,
      attempt,
      status,
      ack,
      ...(error ? { error } : {}),
    });
    const delivered = status === 200 && ack !== 1;
    const delay = this.#settings.retryDelays[attempt - 1];
    if (delivered || delay === undefined) return;
    await this.#waits.within((signal) => sleepUnlessAborted(delay, signal));
    if (!this.#abort.signal.aborted) await this.#attempt(url, payload, attempt + 1);
  }

  #headers(body: string): Record<string, string> {
    const timestamp = unixSeconds().toString();
    return {
      'User-Agent': 'QQBot-Callback',
      'X-Bot-Appid': this.#appId,
      'X-Signature-Timestamp': timestamp,
      'X-Signature-Ed25519': signHex(this.#key, timestamp + body),
    };
  }

  #track(delivery: Promise<void>): void {
    const tracked = delivery.catch(() => undefined).finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EmulatorError(`not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new EmulatorError(`callback URL must be http(s): ${url}`);
  return parsed;
}
