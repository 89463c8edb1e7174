import type { RestClient } from '../rest/RestClient.js';
import { OpenChatApi } from './OpenChatApi.js';
import { Routes } from '../rest/routes.js';

/**
 * QQ group messaging: `api.groups`. Methods take the group's openid (`group_openid` of
 * `GROUP_AT_MESSAGE_CREATE`); send with {@link OpenChatApi.send}, upload media with
 * {@link OpenChatApi.upload}, recall with {@link OpenChatApi.recall}.
 */
export class GroupsApi extends OpenChatApi {
  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    super(rest, {
      messages: Routes.groupMessages,
      message: Routes.groupMessage,
      files: Routes.groupFiles,
      targetParam: 'group_openid',
      targetField: 'groupOpenid',
    });
  }
}
