import type { GatewayBotInfo, GatewayInfoSource } from '@bot/gateway';

/** A `/gateway/bot` stand-in pointing at a fake gateway, counting its calls. */
export class FakeGatewayInfo implements GatewayInfoSource {
  public calls = 0;

  public constructor(
    public url: string,
    public limit: GatewayBotInfo['session_start_limit'] = {
      total: 1_000,
      remaining: 1_000,
      reset_after: 86_400_000,
      max_concurrency: 1,
    },
    public shards = 1,
  ) {}

  public gatewayBot(): Promise<GatewayBotInfo> {
    this.calls++;
    return Promise.resolve({ url: this.url, shards: this.shards, session_start_limit: { ...this.limit } });
  }
}
