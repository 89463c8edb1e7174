import type { RestClient } from '../rest/RestClient.js';
import {
  type CreateThreadBody,
  type CreateThreadResult,
  requireId,
  requireObject,
  requireOneOf,
  requireText,
  type ThreadDetail,
  ThreadFormat,
  type ThreadList,
} from '@bot/core';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

const THREAD_FORMATS = Object.values(ThreadFormat);

/** Threads (帖子) of forum channels: `api.threads`. */
export class ThreadsApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
  }

  /**
   * Lists a forum channel's threads (`GET /channels/{channel_id}/threads`).
   *
   * @param channelId - the forum channel
   * @param options - signal and timeout
   */
  public async list(channelId: string, options?: CallOptions): Promise<ThreadList> {
    return this.#rest.request<ThreadList>({
      method: 'GET',
      route: Routes.threads,
      params: { channel_id: requireId(channelId, 'channelId') },
      ...callControls(options),
    });
  }

  /**
   * Fetches a thread (`GET /channels/{channel_id}/threads/{thread_id}`).
   *
   * @param channelId - the forum channel
   * @param threadId - the thread
   * @param options - signal and timeout
   */
  public async get(channelId: string, threadId: string, options?: CallOptions): Promise<ThreadDetail> {
    return this.#rest.request<ThreadDetail>({
      method: 'GET',
      route: Routes.thread,
      params: { channel_id: requireId(channelId, 'channelId'), thread_id: requireId(threadId, 'threadId') },
      ...callControls(options),
    });
  }

  /**
   * Publishes a thread (`PUT /channels/{channel_id}/threads`); it appears once audited.
   *
   * @param channelId - the forum channel
   * @param body - `title`, `content` and its `format`
   * @param options - signal and timeout
   */
  public async create(
    channelId: string,
    body: CreateThreadBody,
    options?: CallOptions,
  ): Promise<CreateThreadResult> {
    const channel = requireId(channelId, 'channelId');
    requireObject(body, 'body');
    requireText(body.title, 'body.title');
    requireText(body.content, 'body.content');
    requireOneOf(body.format, 'body.format', THREAD_FORMATS);
    return this.#rest.request<CreateThreadResult>({
      method: 'PUT',
      route: Routes.threads,
      params: { channel_id: channel },
      body,
      ...callControls(options),
    });
  }

  /**
   * Deletes a thread (`DELETE /channels/{channel_id}/threads/{thread_id}`).
   *
   * @param channelId - the forum channel
   * @param threadId - the thread
   * @param options - signal and timeout
   */
  public async delete(channelId: string, threadId: string, options?: CallOptions): Promise<void> {
    await this.#rest.request<unknown>({
      method: 'DELETE',
      route: Routes.thread,
      params: { channel_id: requireId(channelId, 'channelId'), thread_id: requireId(threadId, 'threadId') },
      ...callControls(options),
    });
  }
}
