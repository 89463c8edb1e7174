import type { RestClient } from '../rest/RestClient.js';
import { AnnouncesApi } from './AnnouncesApi.js';
import { ApiPermissionsApi } from './ApiPermissionsApi.js';
import { AudioApi } from './AudioApi.js';
import { C2cApi } from './C2cApi.js';
import { ChannelsApi } from './ChannelsApi.js';
import { DmsApi } from './DmsApi.js';
import { GatewayApi } from './GatewayApi.js';
import { GroupsApi } from './GroupsApi.js';
import { GuildsApi } from './GuildsApi.js';
import { InteractionsApi } from './InteractionsApi.js';
import { MembersApi } from './MembersApi.js';
import { MessagesApi } from './MessagesApi.js';
import { MutesApi } from './MutesApi.js';
import { PermissionsApi } from './PermissionsApi.js';
import { PanelsApi } from './PanelsApi.js';
import { PinsApi } from './PinsApi.js';
import { ReactionsApi } from './ReactionsApi.js';
import { RolesApi } from './RolesApi.js';
import { SchedulesApi } from './SchedulesApi.js';
import { SettingGuidesApi } from './SettingGuidesApi.js';
import { ThreadsApi } from './ThreadsApi.js';
import { UsersApi } from './UsersApi.js';

/**
 * Every REST endpoint of the platform, grouped by resource. Arguments are checked before any
 * request is sent (a `ValidationError` names the wrong one); results are the platform's JSON.
 *
 * ```ts
 * const api = new BotApi(new RestClient({ token: new Token(appId, secret) }));
 * const me = await api.users.me();
 * await api.groups.send(groupOpenid, OpenMessageParams.text('hi').withReply(msgId));
 * ```
 */
export class BotApi {
  /** The bot's own account and guild list. */
  public readonly users: UsersApi;
  /** Gateway URL and session budget. */
  public readonly gateway: GatewayApi;
  /** Guilds and their message settings. */
  public readonly guilds: GuildsApi;
  /** Channels of guilds. */
  public readonly channels: ChannelsApi;
  /** Guild members. */
  public readonly members: MembersApi;
  /** Guild roles and role membership. */
  public readonly roles: RolesApi;
  /** Channel permissions of members and roles. */
  public readonly permissions: PermissionsApi;
  /** Guild channel messages. */
  public readonly messages: MessagesApi;
  /** Guild direct messages. */
  public readonly dms: DmsApi;
  /** QQ group messages and media. */
  public readonly groups: GroupsApi;
  /** QQ C2C messages and media. */
  public readonly c2c: C2cApi;
  /** Guild and member mutes. */
  public readonly mutes: MutesApi;
  /** Guild and channel announcements. */
  public readonly announces: AnnouncesApi;
  /** Schedule channel events. */
  public readonly schedules: SchedulesApi;
  /** API permissions granted by guilds. */
  public readonly apiPermissions: ApiPermissionsApi;
  /** Pinned messages. */
  public readonly pins: PinsApi;
  /** Emoji reactions. */
  public readonly reactions: ReactionsApi;
  /** Forum threads. */
  public readonly threads: ThreadsApi;
  /** Voice channel audio and microphones. */
  public readonly audio: AudioApi;
  /** Interaction acknowledgements. */
  public readonly interactions: InteractionsApi;
  /** Command panels (the "/" list of QQ clients). */
  public readonly panels: PanelsApi;
  /** Setting guide messages. */
  public readonly settingGuides: SettingGuidesApi;

  /** @param rest - the transport every resource sends through (one per bot) */
  public constructor(public readonly rest: RestClient) {
    this.users = new UsersApi(rest);
    this.gateway = new GatewayApi(rest);
    this.guilds = new GuildsApi(rest);
    this.channels = new ChannelsApi(rest);
    this.members = new MembersApi(rest);
    this.roles = new RolesApi(rest);
    this.permissions = new PermissionsApi(rest);
    this.messages = new MessagesApi(rest);
    this.dms = new DmsApi(rest);
    this.groups = new GroupsApi(rest);
    this.c2c = new C2cApi(rest);
    this.mutes = new MutesApi(rest);
    this.announces = new AnnouncesApi(rest);
    this.schedules = new SchedulesApi(rest);
    this.apiPermissions = new ApiPermissionsApi(rest);
    this.pins = new PinsApi(rest);
    this.reactions = new ReactionsApi(rest);
    this.threads = new ThreadsApi(rest);
    this.audio = new AudioApi(rest);
    this.interactions = new InteractionsApi(rest);
    this.panels = new PanelsApi(rest);
    this.settingGuides = new SettingGuidesApi(rest);
  }
}
