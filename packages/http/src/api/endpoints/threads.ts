import {
  type CreateThreadBody,
  type CreateThreadResult,
  requireObject,
  requireOneOf,
  requireText,
  type ThreadDetail,
  ThreadFormat,
  type ThreadList,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, jsonBody } from '../endpoint.js';

const THREAD_FORMATS = Object.values(ThreadFormat);

/** Forum threads. */
export const threadEndpoints = {
  list: endpoint('GET', Routes.threads).returns<ThreadList>(),
  get: endpoint('GET', Routes.thread).returns<ThreadDetail>(),
  create: endpoint('PUT', Routes.threads, {
    request: jsonBody(validateThread),
    messageField: 'body',
  }).returns<CreateThreadResult>(),
  delete: endpoint('DELETE', Routes.thread),
};

function validateThread(body: CreateThreadBody): void {
  requireObject(body, 'body');
  requireText(body.title, 'body.title');
  requireText(body.content, 'body.content');
  requireOneOf(body.format, 'body.format', THREAD_FORMATS);
}
