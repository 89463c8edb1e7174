import type { JsonObject } from '../../util/guards.js';
import type { MultipartFile } from '../multipart.js';

/** A guild or DM send held for manual audit (audit mode). */
export interface PendingAudit {
  auditId: string;
  scene: 'guild' | 'dm';
  guildId: string;
  channelId: string;
  /** Where the message goes: channel id, or DM guild id. */
  target: string;
  body: JsonObject;
  files: MultipartFile[];
  /** Unix milliseconds when the send was accepted for audit. */
  createdAt: number;
}

/**
 * Audit mode: when on, guild and DM sends answer 202 with code 304024 and wait here until a test
 * passes or rejects them (`simulate.auditPass` / `simulate.auditReject`).
 */
export class AuditQueue {
  /** Whether sends are currently held for audit. */
  enabled: boolean;
  readonly #pending = new Map<string, PendingAudit>();

  /** @param enabled whether audit mode starts on */
  constructor(enabled = false) {
    this.enabled = enabled;
  }

  /** Holds a send. */
  hold(audit: PendingAudit): void {
    this.#pending.set(audit.auditId, audit);
  }

  /** Removes and returns a held send. */
  take(auditId: string): PendingAudit | undefined {
    const audit = this.#pending.get(auditId);
    this.#pending.delete(auditId);
    return audit;
  }

  /** Every held send, oldest first. */
  pending(): PendingAudit[] {
    return [...this.#pending.values()];
  }
}
