import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotApi, createLogger, PanelListError, RestClient, Token, type PanelRecord } from '@bot/http';
import { FakePlatform } from './support/fakePlatform.js';

// How api.panels.all() reads pages a platform answers oddly, against a stub host on 127.0.0.1:0.

const record = (n: number) => ({ panel_id: `p${n}`, scope: 'c2c', remark: `r${n}` });

describe('api.panels.all() against pages the platform answers oddly', () => {
  let platform: FakePlatform;
  let rest: RestClient;
  let api: BotApi;
  beforeEach(async () => {
    platform = await FakePlatform.start();
    rest = new RestClient({
      token: new Token('1', 'secret'),
      baseUrl: platform.baseUrl,
      tokenUrl: platform.tokenUrl,
      logger: createLogger('test', 7),
      retries: 0,
    });
    api = new BotApi(rest);
  });
  afterEach(async () => {
    rest.destroy();
    await platform.stop();
  });

  async function readAll(): Promise<PanelRecord[]> {
    const records: PanelRecord[] = [];
    for await (const panel of api.panels.all('c2c')) records.push(panel);
    return records;
  }

  it('stops after a page that says is_end false but gives no next_cursor, instead of reading page 1 again', async () => {
    platform.handler = (request) =>
      request.query.get('cursor') === 'c1'
        ? { status: 200, body: { records: [record(2)], is_end: false } }
        : { status: 200, body: { records: [record(1)], is_end: false, next_cursor: 'c1' } };
    expect((await readAll()).map((r) => r.panel_id)).toEqual(['p1', 'p2']);
    expect(platform.requests).toHaveLength(2);
  });

  it('fails with PanelListError "pageCap" when the cursor never ends, after yielding what it read', async () => {
    let page = 0;
    platform.handler = () => {
      page++;
      return { status: 200, body: { records: [record(page)], is_end: false, next_cursor: `c${page}` } };
    };
    const records: PanelRecord[] = [];
    const error = await (async () => {
      for await (const panel of api.panels.all('c2c')) records.push(panel);
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PanelListError);
    expect(error).toMatchObject({ kind: 'panelList', reason: 'pageCap' });
    expect(records).toHaveLength(100);
    expect(platform.requests).toHaveLength(100);
  });

  it('fails with PanelListError "malformed" when a page has no records array or a record is not an object', async () => {
    platform.handler = () => ({ status: 200, body: { records: 'none', is_end: true } });
    await expect(readAll()).rejects.toMatchObject({ kind: 'panelList', reason: 'malformed' });
    platform.handler = () => ({ status: 200, body: { records: [record(1), 7], is_end: true } });
    await expect(readAll()).rejects.toMatchObject({ kind: 'panelList', reason: 'malformed' });
  });
});
