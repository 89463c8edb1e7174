import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MessageParams, OpenMessageParams, ValidationError } from '@bot/http';
import { useFakeApi } from './support/fakeApi.js';

// `from` is where a reply's non-string input becomes parameters (`message.reply(input)` wraps a body
// with it). A value of the wrong type from JavaScript or `any` must be refused there for what it
// is, not spread into an empty body that fails later on a field the caller never set
// (`params.msg_type must be one of …`).

const builders: [string, (value: unknown) => MessageParams | OpenMessageParams][] = [
  ['MessageParams', (value) => MessageParams.from(value as never)],
  ['OpenMessageParams', (value) => OpenMessageParams.from(value as never)],
];

const wrongTypes: [string, unknown, string][] = [
  ['a number', 42, 'not a number (42)'],
  ['null', null, 'not null'],
  ['undefined', undefined, 'not nothing'],
  ['a boolean', true, 'not a boolean (true)'],
  ['an array', [{ content: 'hi' }], 'not an array'],
  ['a Map', new Map([['content', 'hi']]), 'not a Map'],
  ['a Set', new Set(['hi']), 'not a Set'],
  ['a Date', new Date(0), 'not a Date'],
  ['a RegExp', /hi/, 'not a RegExp'],
  ['a Promise', Promise.resolve({ content: 'hi' }), 'not a Promise'],
  ['a Uint8Array', new Uint8Array(2), 'not a Uint8Array'],
  ['an ArrayBuffer', new ArrayBuffer(2), 'not an ArrayBuffer'],
  ['a Map of another realm', vm.runInNewContext('new Map()'), 'not a Map'],
  ['a boxed string', new String('hi'), 'not a String'],
];

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('nothing was thrown');
}

describe.each(builders)('%s.from refuses what is no message body', (name, from) => {
  it.each(wrongTypes)('%s', (_, value, described) => {
    const error = refusal(() => from(value));
    expect(error.field).toBe('input');
    const article = name.startsWith('O') ? 'an' : 'a';
    expect(error.message).toContain(`must be a string, ${article} ${name} builder or a message body`);
    expect(error.message).toContain(described);
    expect(error.message).not.toContain('msg_type');
  });

  it('says how to send a string', () => {
    const error = refusal(() => from('hello'));
    expect(error.field).toBe('input');
    expect(error.message).toContain(`${name}.text(`);
  });

  it('names a builder of another kind', () => {
    const other = name === 'MessageParams' ? OpenMessageParams.text('hi') : MessageParams.text('hi');
    const error = refusal(() => from(other));
    expect(error.message).toMatch(new RegExp(`not an? ${other.constructor.name}\\b`));
  });

  it('still wraps a body', () => {
    expect(from({ content: 'hi', msg_type: 0 }).toBody()).toMatchObject({ content: 'hi' });
  });
});

// A body is any object of fields, whatever made it: a DTO of the caller's own class, or an object
// from another realm (\`vm\`), went out through \`api.messages.send\` and must go out through \`from\`
// (and so \`message.reply\`) too, as the structural types accept them.
describe('from takes an object of fields whatever made it', () => {
  const fake = useFakeApi();

  class GuildReply {
    public content = 'from a class';
  }
  class OpenReply {
    public msg_type = 0 as const;
    public content = 'from a class';
    public msg_id = 'm1';
  }

  it('an instance of a class', async () => {
    await fake.api.messages.send('c1', MessageParams.from(new GuildReply()));
    await fake.api.groups.send('g1', OpenMessageParams.from(new OpenReply()));
    expect(fake.platform.requests.map((request) => request.json)).toStrictEqual([
      { content: 'from a class' },
      { msg_type: 0, content: 'from a class', msg_id: 'm1' },
    ]);
  });

  it('an object of another realm', async () => {
    const body = vm.runInNewContext('({ content: "from a context" })') as { content: string };
    await fake.api.messages.send('c1', MessageParams.from(body));
    expect(fake.platform.requests.map((request) => request.json)).toStrictEqual([
      { content: 'from a context' },
    ]);
  });

  it('a builder of either kind is no body: its fields are private', () => {
    // An object whose prototype is a builder is one too (the chain is walked, as for a subclass).
    const derived: unknown = Object.create(MessageParams.text('hi'));
    for (const from of [MessageParams.from, OpenMessageParams.from])
      for (const builder of [MessageParams.text('hi'), derived, OpenMessageParams.text('hi')])
        expect(() => from(builder as never)).toThrow(ValidationError);
  });
});
