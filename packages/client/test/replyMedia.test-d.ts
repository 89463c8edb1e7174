import { expectTypeOf, test } from 'vitest';
import {
  MediaFileType,
  type C2CMessage,
  type GroupMessage,
  type Interaction,
  type Message,
  type OpenMessageResult,
  type PendingAudit,
} from '@bot/client';
import type { Message as WireMessage } from '@bot/http';

test('a media reply needs its file type and resolves as reply() does', () => {
  const message = {} as GroupMessage;
  expectTypeOf(message.replyMedia(Buffer.alloc(1), { fileType: MediaFileType.Image })).toEqualTypeOf<
    Promise<OpenMessageResult | PendingAudit>
  >();
  void message.replyMedia('./a.png', { fileType: MediaFileType.Image, content: 'a', replyWindow: 'ignore' });
  // @ts-expect-error the upload needs its file type
  void message.replyMedia('./a.png', {});
  void ({} as Interaction).replyMedia(new URL('https://example.com/a.png'), {
    fileType: MediaFileType.Image,
  });
});

test('group and C2C messages say their scene', () => {
  expectTypeOf(({} as GroupMessage).scene).toEqualTypeOf<'group'>();
  expectTypeOf(({} as C2CMessage).scene).toEqualTypeOf<'c2c'>();
  const either = {} as GroupMessage | C2CMessage;
  if (either.scene === 'group') expectTypeOf(either.groupOpenid).toEqualTypeOf<string>();
  else expectTypeOf(either.author.userOpenid).toEqualTypeOf<string>();
});

test('guild messages and interactions reply with an image as the other scenes do', () => {
  expectTypeOf(({} as Message).replyMedia('./a.png', { fileType: MediaFileType.Image })).toEqualTypeOf<
    Promise<WireMessage | PendingAudit>
  >();
  expectTypeOf(({} as Interaction).replyMedia('./a.png', { fileType: MediaFileType.Image })).toEqualTypeOf<
    Promise<OpenMessageResult | WireMessage | PendingAudit>
  >();
});
