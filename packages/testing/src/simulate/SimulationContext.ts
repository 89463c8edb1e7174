import type { EventBus } from '../dispatch/EventBus.js';
import type { AuditQueue } from '../rest/rules/AuditQueue.js';
import type { ReplyLedger } from '../rest/rules/ReplyLedger.js';
import type { World } from '../state/World.js';
import type { IdFactory } from '../util/ids.js';

/** What simulations act on. */
export interface SimulationContext {
  readonly appId: string;
  readonly world: World;
  readonly ids: IdFactory;
  readonly events: EventBus;
  readonly replies: ReplyLedger;
  readonly audits: AuditQueue;
}

/** Escapes user text the way inbound content arrives: `&`, `<`, `>` as entities. */
export function escapeContent(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
