import type { RestClient } from '../rest/RestClient.js';
import { OpenChatApi } from './OpenChatApi.js';
import { Routes } from '../rest/routes.js';

/**
 * QQ one-to-one (C2C) messaging: `api.c2c`. Methods take the user's openid (`author.user_openid`
 * of `C2C_MESSAGE_CREATE`); send with {@link OpenChatApi.send}, upload media with
 * {@link OpenChatApi.upload}, recall with {@link OpenChatApi.recall}.
 */
export class C2cApi extends OpenChatApi {
  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    super(rest, {
      messages: Routes.userMessages,
      message: Routes.userMessage,
      files: Routes.userFiles,
      targetParam: 'openid',
      targetField: 'openid',
    });
  }
}
