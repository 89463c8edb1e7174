export { BotApi } from './BotApi.js';
export { Routes, type Route } from '../rest/routes.js';
export type { CallOptions } from './CallOptions.js';
export { UsersApi } from './UsersApi.js';
export { GatewayApi } from './GatewayApi.js';
export { GuildsApi } from './GuildsApi.js';
export { ChannelsApi } from './ChannelsApi.js';
export { MembersApi } from './MembersApi.js';
export { RolesApi } from './RolesApi.js';
export { PermissionsApi } from './PermissionsApi.js';
export { MAX_PERMISSION_USERS, type UpdateMembersPermissionsBody } from './endpoints/permissions.js';
export { MessagesApi } from './MessagesApi.js';
export { MAX_MESSAGE_PAGE, type ChannelMessageListQuery } from './endpoints/messages.js';
export { DmsApi } from './DmsApi.js';
export { OpenChatApi, type MediaReplyParams, type OpenChatRoutes } from './OpenChatApi.js';
export { GroupsApi } from './GroupsApi.js';
export { C2cApi } from './C2cApi.js';
export {
  StreamInputState,
  STREAM_CONTENT_TYPES,
  validateStreamFrame,
  type StreamMessageBody,
  type StreamMessageResult,
} from './endpoints/streamMessages.js';
export {
  DEFAULT_TYPING_SECONDS,
  INPUT_NOTIFY_MSG_TYPE,
  INPUT_TYPE_TYPING,
  MAX_TYPING_SECONDS,
  inputNotifyBody,
  wakeupMessageBody,
  type C2cTyping,
  type InputNotifyBody,
  type InputNotifyResult,
  type WakeupMessageBody,
} from './endpoints/c2cSignals.js';
export { MutesApi } from './MutesApi.js';
export { AnnouncesApi } from './AnnouncesApi.js';
export { SchedulesApi } from './SchedulesApi.js';
export { ApiPermissionsApi } from './ApiPermissionsApi.js';
export { PinsApi } from './PinsApi.js';
export { ReactionsApi } from './ReactionsApi.js';
export { ThreadsApi } from './ThreadsApi.js';
export { AudioApi } from './AudioApi.js';
export { InteractionsApi } from './InteractionsApi.js';
export {
  MAX_ACK_DATA_DEPTH,
  type InteractionAck,
  type InteractionAckData,
  type InteractionAckValue,
} from './endpoints/interactions.js';
export { PanelsApi, MAX_PANEL_PAGES } from './PanelsApi.js';
export { PanelListError, type PanelListFailure } from './PanelListError.js';
export {
  MAX_PANEL_ITEMS,
  MAX_PANEL_NAME_COLUMNS,
  MAX_PANEL_DESC,
  MAX_PANEL_REMARK,
  MAX_PANEL_TARGETS,
  MAX_PANEL_PAGE,
} from './endpoints/panelChecks.js';
export { SettingGuidesApi } from './SettingGuidesApi.js';
