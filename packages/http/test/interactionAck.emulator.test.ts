import { describe, expect, it } from 'vitest';
import { InteractionAckCode, MAX_ACK_DATA_DEPTH, ValidationError, type InteractionAckData } from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// The acknowledgement's body end to end: `code` alone, or `code` with a `data` object
// (docs/protocol.md §13.1), checked before it is sent.

/** Bypasses the compile-time type, to send what a JavaScript caller could. */
const untyped = <T>(value: unknown): T => value as T;

describe('interaction acknowledgements against the emulator', () => {
  const setup = useEmulatorRest();
  const click = () =>
    setup.emulator.simulate.interaction({ scene: 'group', buttonId: 'b1', allowUnsentButton: true }).d.id;
  const acks = () =>
    setup.emulator.recorder.filter((r) => r.kind === 'rest' && r.path.startsWith('/interactions/'));
  const bodies = () => acks().map((r) => (r.kind === 'rest' ? r.body : undefined));

  it('sends only the code when no data is given, by number or as a body', async () => {
    const id = click();
    await setup.api.interactions.acknowledge(id, InteractionAckCode.TooFrequent);
    await setup.api.interactions.acknowledge(id, { code: InteractionAckCode.Success });
    expect(bodies()).toEqual([{ code: 2 }, { code: 0 }]);
    expect(setup.emulator.world.content.interactions.get(id)).toEqual({ ackCode: 0 });
  });

  it('sends a data object as given, and the emulator keeps it', async () => {
    const id = click();
    const data: InteractionAckData = {
      claw_cfg: { require_mention: 'always', limits: [1, 2.5, null, true] },
      note: '',
    };
    await setup.api.interactions.acknowledge(id, { code: InteractionAckCode.Success, data });
    expect(bodies()).toEqual([{ code: 0, data }]);
    expect(acks()[0]).toMatchObject({ status: 204, headers: { 'x-callback-appid': setup.emulator.appId } });
    expect(setup.emulator.world.content.interactions.get(id)).toEqual({ ackCode: 0, ackData: data });
  });

  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  let deep: Record<string, unknown> = { leaf: 1 };
  for (let level = 1; level < MAX_ACK_DATA_DEPTH; level++) deep = { d: deep };
  const tooDeep = { d: deep };

  it.each([
    { name: 'an array', data: [1], field: 'data' },
    { name: 'a string', data: 'x', field: 'data' },
    { name: 'a Date inside', data: { at: new Date(0) }, field: 'data.at' },
    { name: 'NaN inside an array', data: { list: [1, Number.NaN] }, field: 'data.list[1]' },
    { name: 'an undefined value', data: { gone: undefined }, field: 'data.gone' },
    { name: 'a function', data: { f: () => 1 }, field: 'data.f' },
    { name: 'a bigint', data: { n: 1n }, field: 'data.n' },
    { name: 'a cycle', data: cyclic, field: `data${'.self'.repeat(MAX_ACK_DATA_DEPTH)}` },
    { name: 'too deep a nesting', data: tooDeep, field: `data${'.d'.repeat(MAX_ACK_DATA_DEPTH)}` },
    // eslint-disable-next-line no-sparse-arrays
    { name: 'a hole in an array', data: { list: [1, , 3] }, field: 'data.list[1]' },
    { name: 'an array of a subclass', data: { list: new (class extends Array {})() }, field: 'data.list' },
  ])('refuses $name in data before sending, naming where it is', async ({ data, field }) => {
    const id = click();
    const error = await setup.api.interactions
      .acknowledge(id, { code: 0, data: untyped<InteractionAckData>(data) })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'validation', field });
    expect(acks()).toHaveLength(0);
  });

  it('sends what it checked: a getter is read once, and a change after the call is not sent', async () => {
    const id = click();
    let reads = 0;
    const data = {
      get answer(): number {
        reads += 1;
        return reads;
      },
      list: [1, 2],
    };
    const sent = setup.api.interactions.acknowledge(id, { code: 0, data: untyped<InteractionAckData>(data) });
    data.list.push(3);
    await sent;
    expect(reads).toBe(1);
    expect(bodies()).toEqual([{ code: 0, data: { answer: 1, list: [1, 2] } }]);
  });

  it('accepts data nested exactly as deep as allowed', async () => {
    const id = click();
    await setup.api.interactions.acknowledge(id, { code: 0, data: untyped<InteractionAckData>(deep) });
    expect(bodies()).toEqual([{ code: 0, data: deep }]);
  });

  it('refuses a body without a valid code, naming code', async () => {
    const id = click();
    for (const body of [{}, { code: 6 }, { code: '0' }]) {
      const error = await setup.api.interactions
        .acknowledge(id, untyped<{ code: 0 }>(body))
        .catch((reason: unknown) => reason);
      expect(error).toMatchObject({ kind: 'validation', field: 'code' });
    }
    expect(acks()).toHaveLength(0);
  });
});
