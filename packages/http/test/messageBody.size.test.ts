import { describe, expect, it } from 'vitest';
import {
  ApiError,
  MAX_MESSAGE_BODY_BYTES,
  MessageParams,
  OpenMessageParams,
  ValidationError,
} from '@bot/http';
import { useFakeApi } from './support/fakeApi.js';
import { useEmulatorRest } from './support/emulatorRest.js';

// The platform documents no length for a message's text (docs/protocol.md §10), so the framework
// sets no text length; but a body over 10 MiB, the bound the emulator puts on a REST body and the framework
// keeps to for guild forms (§8.10), came back as a bare `ApiError` 413. It is refused before
// sending, naming the field, the bound and what to do.

const MiB = 1024 * 1024;

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (reason: unknown) => reason,
  );
}

describe('a message body over the request bound', () => {
  const fake = useFakeApi();

  it.each([
    [
      'group text',
      () => fake.api.groups.send('g1', OpenMessageParams.text('x'.repeat(11 * MiB)).withReply('m')),
      'params.content',
    ],
    [
      'C2C markdown',
      () => fake.api.c2c.send('u1', OpenMessageParams.markdown('x'.repeat(11 * MiB)).withReply('m')),
      'params.markdown',
    ],
    [
      'guild text',
      () => fake.api.messages.send('c1', MessageParams.text('y'.repeat(11 * MiB))),
      'params.content',
    ],
    [
      'DM text, multi-byte',
      () => fake.api.dms.send('d1', MessageParams.text('字'.repeat(4 * MiB))),
      'params.content',
    ],
    ['guild body', () => fake.api.messages.send('c1', { content: 'y'.repeat(11 * MiB) }), 'params.content'],
    [
      // A frame carries the whole text so far, and a stream's maxLength has no upper bound.
      'C2C stream frame',
      () =>
        fake.api.c2c.streamFrame('u1', {
          input_mode: 'replace',
          input_state: 1,
          content_type: 'text',
          content_raw: 'x'.repeat(11 * MiB),
          msg_id: 'm1',
          msg_seq: 1,
          index: 0,
        }),
      'body.content_raw',
    ],
    [
      'forum thread',
      () => fake.api.threads.create('c1', { title: 't', content: 'x'.repeat(11 * MiB), format: 1 }),
      'body.content',
    ],
  ])('%s is refused before sending', async (_name, send, field) => {
    const error = await failure(send);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
    const { message } = error as Error;
    expect(message).toContain(`${MAX_MESSAGE_BODY_BYTES} bytes`);
    expect(message).toContain('split');
    expect(fake.platform.requests).toHaveLength(0);
  });

  it("says the bound is the framework's, not the platform's", async () => {
    const error = await failure(() => fake.api.messages.send('c1', MessageParams.text('y'.repeat(11 * MiB))));
    expect((error as Error).message).toContain("the framework's bound");
  });

  // The bound holds for the body as encoded, after the fields the framework adds once the message
  // is checked: a wakeup's `is_wakeup`, a media message's placeholder `content`.
  it('counts the fields added after the check: a wakeup at the bound is refused unsent', async () => {
    const params = (content: string) => OpenMessageParams.text(content);
    const frame = Buffer.byteLength(JSON.stringify(params('').toBody()));
    const atBound = params('x'.repeat(MAX_MESSAGE_BODY_BYTES - frame));
    const error = await failure(() => fake.api.c2c.sendWakeup('u1', atBound));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'params.content' });
    expect(fake.platform.requests).toHaveLength(0);
  });

  it('counts the fields added after the check: a media message given its content', async () => {
    const body = { msg_type: 7 as const, msg_id: 'm', media: { file_info: '' } };
    const frame = Buffer.byteLength(JSON.stringify(body));
    body.media.file_info = 'f'.repeat(MAX_MESSAGE_BODY_BYTES - frame);
    const error = await failure(() => fake.api.groups.send('g1', body));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'params.media' });
    expect(fake.platform.requests).toHaveLength(0);
  });

  it('sends a long text within the bound: no length is documented', async () => {
    await fake.api.groups.send('g1', OpenMessageParams.text('x'.repeat(100_000)).withReply('m'));
    expect(fake.platform.requests.filter((r) => r.path.endsWith('/messages'))).toHaveLength(1);
  });
});

// A body JSON cannot write is the caller's mistake, refused on \`body\` as for any request: the size
// check must neither encode it first nor throw JSON's own TypeError.
describe('a message body JSON cannot write', () => {
  const fake = useFakeApi();
  const circular: Record<string, unknown> = { title: 't' };
  circular['self'] = circular;

  it.each([
    ['a circular guild embed', () => fake.api.messages.send('c1', { content: 'x', embed: circular })],
    [
      'a BigInt in a guild embed',
      () => fake.api.messages.send('c1', { content: 'x', embed: { title: 't', color: 10n } as never }),
    ],
    [
      'a BigInt in a group embed',
      () =>
        fake.api.groups.send('g1', {
          msg_type: 4,
          msg_id: 'm',
          embed: { title: 't', color: 10n } as never,
        }),
    ],
    [
      'a circular embed beside a local image',
      () =>
        fake.api.messages.send(
          'c1',
          MessageParams.fileImage({ name: 'a.png', data: Buffer.from('png') }).withEmbed(circular as never),
        ),
    ],
  ])('%s is refused on body', async (_name, send) => {
    const error = await failure(send);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'body' });
    expect((error as Error).message).toContain('cannot be sent as JSON');
    expect(fake.platform.requests).toHaveLength(0);
  });
});

describe('the bound against the emulator', () => {
  const setup = useEmulatorRest();

  it('a body of exactly the bound is taken by the emulator; one byte more is refused unsent', async () => {
    const inbound = setup.emulator.simulate.groupAtMessage({ content: 'long?' });
    const groupOpenid = inbound.d.group_openid;
    const params = (content: string) => OpenMessageParams.text(content).withReply(inbound.d.id);
    const frame = Buffer.byteLength(JSON.stringify(params('').withMsgSeq(1).toBody()));
    const fits = 'x'.repeat(MAX_MESSAGE_BODY_BYTES - frame);
    const sent = await setup.api.groups.send(groupOpenid, params(fits).withMsgSeq(1));
    expect(sent).toMatchObject({ id: expect.any(String) });

    const error = await failure(() => setup.api.groups.send(groupOpenid, params(`${fits}x`).withMsgSeq(2)));
    expect(error).toBeInstanceOf(ValidationError);
    const posts = setup.emulator.recorder.filter((r) => r.kind === 'rest' && r.method === 'POST');
    expect(posts.map((r) => (r.kind === 'rest' ? r.status : undefined))).toStrictEqual([200]);
  });
});

describe('an ApiError 413', () => {
  it('says what to do', () => {
    const error = new ApiError({
      method: 'POST',
      route: '/v2/groups/{group_openid}/messages',
      status: 413,
      code: 413,
      errCode: 413,
      message: 'request body exceeds 10485760 bytes',
      traceId: undefined,
    });
    expect(error.message).toContain('split');
  });
});
