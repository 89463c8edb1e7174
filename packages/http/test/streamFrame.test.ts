import { describe, expect, it } from 'vitest';
import { StreamInputState, ValidationError, type StreamMessageBody } from '@bot/http';
import { useFakeApi } from './support/fakeApi.js';

const first: StreamMessageBody = {
  input_mode: 'replace',
  input_state: StreamInputState.Generating,
  content_type: 'markdown',
  content_raw: 'Once',
  msg_id: 'm1',
  msg_seq: 1,
  index: 0,
};

describe('api.c2c.streamFrame checks a frame before sending it (docs/protocol.md §15.1)', () => {
  const fake = useFakeApi();

  it.each([
    ['a later frame without the stream id', { ...first, index: 1 }, /stream_msg_id/],
    ['a first frame with a stream id', { ...first, stream_msg_id: 's1' }, /absent on the first frame/],
    ['a frame replying to nothing', { ...first, msg_id: undefined }, /msg_id or event_id/],
    ['an unknown input_state', { ...first, input_state: 2 }, /input_state/],
    ['another input_mode', { ...first, input_mode: 'append' }, /input_mode/],
    ['a negative index', { ...first, index: -1 }, /index/],
    ['text that is not a string', { ...first, content_raw: 42 }, /content_raw/],
  ])('refuses %s with a ValidationError, sending nothing', async (_what, frame, message) => {
    const refusal = fake.api.c2c.streamFrame('U1', frame as StreamMessageBody);
    await expect(refusal).rejects.toBeInstanceOf(ValidationError);
    await expect(refusal).rejects.toThrow(message);
    expect(fake.platform.requests).toHaveLength(0);
  });

  it('accepts an answer by event_id instead of msg_id', async () => {
    fake.platform.handler = () => ({ status: 200, body: { id: 's1', timestamp: 1 } });
    const { msg_id: _replaced, ...anchorless } = first;
    const frame: StreamMessageBody = { ...anchorless, event_id: 'e1' };
    await expect(fake.api.c2c.streamFrame('U1', frame)).resolves.toEqual({ id: 's1', timestamp: 1 });
  });
});
