import { StreamInputState, type StreamMessageBody } from '@bot/http';
import { row, type EndpointRow } from '../support/endpointTable.js';

const first: StreamMessageBody = {
  input_mode: 'replace',
  input_state: StreamInputState.Generating,
  content_type: 'markdown',
  content_raw: 'Once',
  msg_id: 'm1',
  msg_seq: 1,
  index: 0,
};

/** C2C streamed replies (docs/protocol.md §15.1). */
export const streamRows: EndpointRow[] = [
  row('POST /v2/users/U1/stream_messages', (api) => api.c2c.streamFrame('U1', first), {
    body: first,
    reply: { id: 's1', timestamp: 1 },
  }),
  row(
    'POST /v2/users/U1/stream_messages',
    (api) =>
      api.c2c.streamFrame('U1', {
        ...first,
        input_state: StreamInputState.Done,
        content_raw: 'Once upon a time.',
        index: 1,
        stream_msg_id: 's1',
      }),
    {
      body: { ...first, input_state: 10, content_raw: 'Once upon a time.', index: 1, stream_msg_id: 's1' },
      reply: { id: 's1', timestamp: 2 },
    },
  ),
];
