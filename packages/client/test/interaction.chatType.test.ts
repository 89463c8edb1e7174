import { describe, expect, it } from 'vitest';
import { Interaction, ReplySequencer, ValidationError, type BotApi, type ModelBinding } from '@bot/client';

/*
 * An interaction without `scene` is placed by its `chat_type` (0 guild, 1 group, 2 C2C). A
 * `chat_type` that names none of them (a malformed payload) places it nowhere, as a missing one
 * does: its answer is refused with a ValidationError naming d.scene, never a TypeError in the
 * handler that reads `replyWindow` or calls `reply()`.
 */

const binding: ModelBinding = { api: {} as BotApi, replies: new ReplySequencer() };

describe('an interaction whose chat_type names no scene', () => {
  it.each(['toString', 'constructor', '__proto__', 'valueOf', 7, -1])(
    'chat_type %j: no scene, no window, and reply() refuses naming d.scene',
    async (chatType) => {
      const interaction = new Interaction(
        { id: 'i1', type: 11, chat_type: chatType, user_openid: 'U1' } as never,
        binding,
      );
      expect(interaction.scene).toBeUndefined();
      expect(interaction.replyWindow).toBeUndefined();
      expect(() => JSON.stringify(interaction)).not.toThrow();
      const refusal = await interaction.reply('hi').catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(ValidationError);
      expect(refusal).toMatchObject({ field: 'd.scene' });
    },
  );

  it('a numeric chat_type, or one sent as a numeric string, still places it', () => {
    const place = (chatType: unknown) =>
      new Interaction({ id: 'i1', type: 11, chat_type: chatType } as never, binding).scene;
    expect([place(0), place(1), place(2)]).toEqual(['guild', 'group', 'c2c']);
    expect(place('1')).toBe('group');
  });
});
