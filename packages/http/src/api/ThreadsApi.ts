import type { CreateThreadBody, CreateThreadResult, ThreadDetail, ThreadList } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { callEndpoint } from './endpoint.js';
import { threadEndpoints } from './endpoints/threads.js';

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
    return callEndpoint(this.#rest, threadEndpoints.list, { channel_id: channelId }, undefined, options);
  }

  /**
   * Fetches a thread (`GET /channels/{channel_id}/threads/{thread_id}`).
   *
   * @param channelId - the forum channel
   * @param threadId - the thread
   * @param options - signal and timeout
   */
  public async get(channelId: string, threadId: string, options?: CallOptions): Promise<ThreadDetail> {
    return callEndpoint(
      this.#rest,
      threadEndpoints.get,
      { channel_id: channelId, thread_id: threadId },
      undefined,
      options,
    );
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
    return callEndpoint(this.#rest, threadEndpoints.create, { channel_id: channelId }, body, options);
  }

  /**
   * Deletes a thread (`DELETE /channels/{channel_id}/threads/{thread_id}`).
   *
   * @param channelId - the forum channel
   * @param threadId - the thread
   * @param options - signal and timeout
   */
  public async delete(channelId: string, threadId: string, options?: CallOptions): Promise<void> {
    await callEndpoint(
      this.#rest,
      threadEndpoints.delete,
      { channel_id: channelId, thread_id: threadId },
      undefined,
      options,
    );
  }
}
