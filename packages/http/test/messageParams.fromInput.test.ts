import { describe, expect, it } from 'vitest';
import { MessageParams, OpenMessageParams, ValidationError } from '@bot/http';

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
