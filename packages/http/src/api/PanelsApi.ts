import type {
  CreatePanelBody,
  CreatePanelResult,
  Panel,
  PanelListQuery,
  PanelListResult,
  PanelRecord,
  PanelScope,
  PanelTargetBody,
  UpdatePanelResult,
} from '@bot/core';
import { isPlainObject } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { panelEndpoints } from './endpoints/panels.js';
import { PanelListError } from './PanelListError.js';

/** At most this many pages are read by {@link PanelsApi.all}, so a cursor that never ends cannot loop forever. */
export const MAX_PANEL_PAGES = 100;

/**
 * Command panels, the list a QQ client shows when the user taps "/": `api.panels`. Known from the
 * official SDK only (docs/protocol.md §14). Choosing a `command` entry types its name into the
 * input box, so what it produces arrives as an ordinary message.
 *
 * ```ts
 * const { panel_id } = await api.panels.create({
 *   scope: 'c2c',
 *   panel: { remark: 'my-bot', items: [{ type: 'command', name: '/help', desc: 'All commands' }] },
 * });
 * ```
 */
export class PanelsApi {
  readonly #endpoints: BoundEndpoints<typeof panelEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, panelEndpoints);
  }

  /**
   * One page of the bot's panels of a scope (`GET /v2/panels`).
   *
   * @param query - scope, and the previous page's `next_cursor` and a page size (1–50)
   * @param options - signal and timeout
   */
  public async list(query: PanelListQuery, options?: CallOptions): Promise<PanelListResult> {
    return this.#endpoints.list({}, query, options);
  }

  /**
   * Every panel of a scope, page after page, until the platform says the last page was read or
   * gives no new cursor.
   *
   * @param scope - where the panels show
   * @param options - signal and timeout of each page's call
   * @throws {@link PanelListError} `'pageCap'` when the cursor goes on past {@link MAX_PANEL_PAGES}
   *   pages, `'malformed'` when a page has no `records` array; the panels read before are yielded
   */
  public async *all(scope: PanelScope, options?: CallOptions): AsyncGenerator<PanelRecord> {
    let cursor: string | undefined;
    for (let page = 1; page <= MAX_PANEL_PAGES; page++) {
      const result = await this.list(cursor === undefined ? { scope } : { scope, cursor }, options);
      yield* pageRecords(result, page);
      const next = result.next_cursor;
      if (result.is_end || typeof next !== 'string' || next === '' || next === cursor) return;
      cursor = next;
    }
    throw new PanelListError(
      'pageCap',
      MAX_PANEL_PAGES,
      `the panel list of scope ${scope} went on past ${MAX_PANEL_PAGES} pages without an end; ` +
        'read it page by page with api.panels.list() if the bot really has that many panels',
    );
  }

  /**
   * One panel with the peers it shows to (`GET /v2/panels/{panel_id}`).
   *
   * @param panelId - the panel
   * @param options - signal and timeout
   */
  public async get(panelId: string, options?: CallOptions): Promise<PanelRecord> {
    return this.#endpoints.get({ panel_id: panelId }, options);
  }

  /**
   * Creates a panel (`POST /v2/panels`). Panels accumulate per bot: find yours (by `remark`) and
   * update it rather than creating one on every start.
   *
   * @param body - scope, targets and configuration
   * @param options - signal and timeout
   */
  public async create(body: CreatePanelBody, options?: CallOptions): Promise<CreatePanelResult> {
    return this.#endpoints.create({}, body, options);
  }

  /**
   * Replaces a panel's configuration (`PUT /v2/panels/{panel_id}`); scope and targets stay.
   *
   * @param panelId - the panel
   * @param panel - the new configuration
   * @param options - signal and timeout
   * @returns the panel's new version
   */
  public async update(panelId: string, panel: Panel, options?: CallOptions): Promise<UpdatePanelResult> {
    return this.#endpoints.update({ panel_id: panelId }, panel, options);
  }

  /**
   * Deletes a panel (`DELETE /v2/panels/{panel_id}`).
   *
   * @param panelId - the panel
   * @param options - signal and timeout
   */
  public async delete(panelId: string, options?: CallOptions): Promise<void> {
    await this.#endpoints.delete({ panel_id: panelId }, options);
  }

  /**
   * Adds or removes peers of a `specific` panel (`PUT /v2/panels/{panel_id}/target`); an `all`
   * panel refuses it.
   *
   * @param panelId - the panel
   * @param body - `add` or `del`, and at most 20 openids
   * @param options - signal and timeout
   */
  public async updateTarget(panelId: string, body: PanelTargetBody, options?: CallOptions): Promise<void> {
    await this.#endpoints.updateTarget({ panel_id: panelId }, body, options);
  }
}

/** The records of one page, checked: an array of objects. */
function pageRecords(result: unknown, page: number): PanelRecord[] {
  const records = isPlainObject(result) ? result['records'] : undefined;
  if (!Array.isArray(records) || !records.every(isPlainObject))
    throw new PanelListError(
      'malformed',
      page,
      `page ${page} of the panel list has no array of panel records; report the answer with its trace id`,
    );
  return records as unknown[] as PanelRecord[];
}
