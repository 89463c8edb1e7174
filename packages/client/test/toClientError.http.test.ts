import { describe, expect, expectTypeOf, it } from 'vitest';
import { BotError, isBotError } from '@bot/core';
import { GatewayError, RemoteBotError, toClientError, type ClientError } from '@bot/client';
import * as http from '@bot/http';
import { ResponseTooLargeError, type HttpError } from '@bot/http';

// Every error of @bot/http reaches `error()` as itself, so `switch (error.kind)` sees its own kind,
// not a GatewayError wrapping it.

/** Every error class @bot/http exports: the exported classes whose instances are BotErrors, but their base. */
const httpErrorClasses = Object.entries(http).filter(
  ([, value]) =>
    typeof value === 'function' &&
    value.prototype !== undefined &&
    value !== BotError &&
    isBotError(Object.create(value.prototype as object)),
) as Array<[string, abstract new (...args: never[]) => Error]>;

describe('toClientError', () => {
  it('passes a ResponseTooLargeError as it is', () => {
    const error = new ResponseTooLargeError('GET', '/gateway/bot', 9_000_000, true, 8_388_608);

    expect(toClientError(error, 0)).toBe(error);
  });

  it.each(httpErrorClasses)('passes every @bot/http error as it is: %s', (_name, type) => {
    // An instance without running the constructor: each takes its own arguments, and only its class matters here.
    const error = Object.create(type.prototype as object) as Error;

    expect(toClientError(error, 0)).toBe(error);
  });

  it('finds the errors it checks (a refactor that hides them from the module namespace fails here)', () => {
    const names = httpErrorClasses.map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'ApiError',
        'ConnectionQueueFullError',
        'AbortedAfterSendError',
        'MediaUploadError',
      ]),
    );
  });

  it('passes an error of a worker thread whose class is not rebuilt here with its kind and fields', () => {
    const remote = new RemoteBotError('authentication', 'credentials refused', { code: 100016 });

    const error = toClientError(remote, 0);
    expect(error).toBe(remote);
    expect(error).toMatchObject({ kind: 'authentication', code: 100016 });
  });

  it('still wraps a transport error of its own in a GatewayError', () => {
    expect(toClientError(new Error('socket hang up'), 0)).toBeInstanceOf(GatewayError);
  });

  it('types every @bot/http error as part of HttpError and ClientError', () => {
    expectTypeOf<http.ConnectionQueueFullError>().toExtend<HttpError>();
    expectTypeOf<http.AbortedAfterSendError>().toExtend<HttpError>();
    expectTypeOf<http.MediaUploadError>().toExtend<HttpError>();
    expectTypeOf<http.MediaTooLargeError>().toExtend<HttpError>();
    expectTypeOf<http.FileImageTooLargeError>().toExtend<HttpError>();
    expectTypeOf<http.PanelListError>().toExtend<ClientError>();
  });
});
