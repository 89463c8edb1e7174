/** The ingest contenders, by the name the table shows, in table order (rounds rotate it). */
export const INGEST_CONTENDERS = [
  'bare ws + JSON.parse',
  'bare ws + JSON.parse (control)',
  'bare ws, HTTP through got',
  '@bot/gateway Shard',
  '@bot/client',
  '@bot/client, async handlers',
  'qq-official-bot',
] as const;

/** One contender's name. */
export type IngestContender = (typeof INGEST_CONTENDERS)[number];

/** What an ingest child is asked to do: connect one contender to the stream server and count. */
export interface IngestJob {
  /** Who to measure. */
  contender: IngestContender;
  /** Stream server's REST base URL (`/gateway/bot`). */
  restUrl: string;
  /** Stream server's token endpoint. */
  tokenUrl: string;
  /** Stream server's gateway URL, for contenders that take it directly. */
  gatewayUrl: string;
  /** Dispatches before the clock starts. */
  warmup: number;
  /** Dispatches measured. */
  events: number;
}
