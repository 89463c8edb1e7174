import { expectTypeOf, test } from 'vitest';
import type { BotErrorKinds } from '@bot/core';
import type {
  C2CMessage,
  GroupMessage,
  Message,
  ReplyStream,
  ReplyStreamResult,
  ReplyWindow,
  ReplyWindowClosedReason,
  ReplyStreamFailure,
} from '@bot/client';

test('every message model streams and knows its window, with the same signatures', () => {
  for (const message of [{} as C2CMessage, {} as GroupMessage, {} as Message]) {
    expectTypeOf(message.replyStream()).toEqualTypeOf<ReplyStream>();
    expectTypeOf(message.replyStreamFrom(['a'])).toEqualTypeOf<Promise<ReplyStreamResult>>();
    expectTypeOf(message.replyWindow).toEqualTypeOf<ReplyWindow>();
  }
});

test('a stream takes text only', async () => {
  const message = {} as C2CMessage;
  async function* numbers(): AsyncGenerator<number> {
    yield 1;
  }
  // @ts-expect-error a source must yield strings
  await message.replyStreamFrom(numbers());
  // @ts-expect-error write() takes a string
  message.replyStream().write(42);
  expectTypeOf(message.replyStream().writable()).toEqualTypeOf<WritableStream<string>>();
});

test('the window policy is a closed set, per call', () => {
  const message = {} as GroupMessage;
  void message.reply('hi', { replyWindow: 'ignore' });
  // @ts-expect-error only 'enforce' or 'ignore'
  void message.reply('hi', { replyWindow: 'sometimes' });
  expectTypeOf(message.replyWindow.remaining).toEqualTypeOf<number | undefined>();
});

test('switch (error.kind) narrows to the reply errors and their reasons', () => {
  const error = {} as BotErrorKinds[keyof BotErrorKinds];
  switch (error.kind) {
    case 'replyWindowClosed':
      expectTypeOf(error.reason).toEqualTypeOf<ReplyWindowClosedReason>();
      expectTypeOf(error.expiresAt).toEqualTypeOf<Date>();
      break;
    case 'replyStream':
      expectTypeOf(error.failure).toEqualTypeOf<ReplyStreamFailure>();
      break;
  }
});
