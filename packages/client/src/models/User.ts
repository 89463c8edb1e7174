import type { User as WireUser } from '@bot/http';

/** A guild user, as carried by guild messages and member events. */
export class User {
  /** User id (unique within the bot's guilds). */
  public readonly id: string;
  /** Display name. */
  public readonly username: string;
  /** Avatar URL. */
  public readonly avatar: string | undefined;
  /** Whether the user is a bot. */
  public readonly bot: boolean;
  /** Cross-app id, when the user is linked. */
  public readonly unionOpenid: string | undefined;

  /** @param data - the wire object */
  public constructor(data: WireUser) {
    this.id = data.id;
    this.username = data.username ?? '';
    this.avatar = data.avatar;
    this.bot = data.bot === true;
    this.unionOpenid = data.union_openid;
  }

  /** The mention syntax for this user (`<@!id>`), for use in message content. */
  public toMention(): string {
    return `<@!${this.id}>`;
  }
}
