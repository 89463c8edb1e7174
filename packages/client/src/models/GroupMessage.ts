import type {
  CallOptions,
  MediaSource,
  UploadedMedia,
  UploadMediaOptions,
  GroupMessageCreate,
  OpenMessageParams,
  OpenMessageResult,
  PendingAudit,
} from '@bot/http';
import type { ModelBinding } from './ModelBinding.js';
import { OpenChatMessage } from './OpenChatMessage.js';
import { wireId, wireObject } from './wireShape.js';

/** A group message that mentions the bot (`GROUP_AT_MESSAGE_CREATE`). */
export class GroupMessage extends OpenChatMessage {
  /** The group's openid. */
  public readonly groupOpenid: string;
  /** The sender. */
  public readonly author: { id: string | undefined; memberOpenid: string; unionOpenid: string | undefined };
  /** The wire object. */
  public readonly raw: GroupMessageCreate;
  protected readonly replyScene = 'group' as const;

  /** Always `'group'`: narrows a `GroupMessage | C2CMessage` by its scene. */
  public override get scene(): 'group' {
    return this.replyScene;
  }

  /**
   * @param data - the wire payload
   * @param binding - API and reply numbering of the receiving client
   * @param eventId - id of the carrying event
   */
  public constructor(data: GroupMessageCreate, binding: ModelBinding, eventId?: string) {
    super(data, binding, eventId);
    this.raw = data;
    // Replies go to the group.
    this.groupOpenid = wireId(data.group_openid, 'd.group_openid');
    const author = data.author;
    wireObject(author, 'd.author', 'the message names no sender');
    this.author = {
      id: author.id,
      memberOpenid: wireId(author.member_openid, 'd.author.member_openid'),
      unionOpenid: author.union_openid,
    };
  }

  /** The fields this model surfaces, with the group and the sender. */
  public override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), groupOpenid: this.groupOpenid, author: this.author };
  }

  protected uploadToChat(source: MediaSource, options: UploadMediaOptions): Promise<UploadedMedia> {
    return this.binding.api.groups.uploadMedia(this.groupOpenid, source, options);
  }

  protected sendToChat(
    params: OpenMessageParams,
    call?: CallOptions,
  ): Promise<OpenMessageResult | PendingAudit> {
    return this.binding.api.groups.send(this.groupOpenid, params, call);
  }

  protected forgetMedia(fileInfo: string): void {
    this.binding.api.groups.forgetMedia(fileInfo);
  }
}
