import { describe, expect, it } from 'vitest';
import { FileInfoCache } from '@bot/http';

const media = (fileInfo: string) => ({ file_uuid: 'uuid', file_info: fileInfo, ttl: 0 });

describe('FileInfoCache.forget', () => {
  it('drops every entry holding the refused file_info and keeps the others', () => {
    const cache = new FileInfoCache();
    cache.set('group:G:1:10:sha', media('refused'));
    cache.set('group:H:1:10:sha', media('refused'));
    cache.set('group:G:1:20:sha', media('kept'));
    expect(cache.forget('refused')).toBe(true);
    expect(cache.get('group:G:1:10:sha')).toBeUndefined();
    expect(cache.get('group:H:1:10:sha')).toBeUndefined();
    expect(cache.get('group:G:1:20:sha')?.file_info).toBe('kept');
    expect(cache.size).toBe(1);
  });

  it('answers false for a file_info it does not hold', () => {
    const cache = new FileInfoCache();
    cache.set('k', media('kept'));
    expect(cache.forget('other')).toBe(false);
    expect(cache.size).toBe(1);
  });
});
