import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy on 127.0.0.1 in front of the emulator that passes every request on whole and
 * holds back the answers to those `hold` picks, until released: the emulator has received and
 * acted on such a request, the client has read nothing of its answer. That is a request cut off
 * after it reached the platform, made on demand.
 */
export class AnswerHoldingProxy {
  /** Picks the requests whose answers are held, by method and path; none by default. */
  public hold: (method: string, path: string) => boolean = () => false;
  /** Requests whose answers are held now. */
  public held = 0;
  readonly #releases = new Set<() => void>();

  private constructor(
    private readonly server: http.Server,
    private readonly target: URL,
  ) {}

  /**
   * Starts a proxy to `target` on an OS-chosen port.
   *
   * @param target - the emulator's REST URL
   */
  public static async start(target: string): Promise<AnswerHoldingProxy> {
    const server = http.createServer();
    const proxy = new AnswerHoldingProxy(server, new URL(target));
    server.on('request', (req, res) => void proxy.#forward(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The proxy's base URL, to give the REST client. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Lets every held answer go. */
  public release(): void {
    for (const release of [...this.#releases]) release();
  }

  /** Stops the proxy, dropping what it holds. */
  public async stop(): Promise<void> {
    this.#releases.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async #forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '/';
    const held = this.hold(req.method ?? 'GET', path.split('?')[0] ?? '/');
    const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        const headers = { ...req.headers, host: this.target.host };
        const forwarded = http.request(
          new URL(path, this.target),
          { method: req.method, headers, agent: false },
          (upstream) => {
            const body: Buffer[] = [];
            upstream.on('data', (chunk: Buffer) => body.push(chunk));
            upstream.on('end', () =>
              resolve({
                status: upstream.statusCode ?? 502,
                headers: upstream.headers,
                body: Buffer.concat(body),
              }),
            );
            upstream.on('error', reject);
          },
        );
        forwarded.on('error', reject);
        forwarded.end(Buffer.concat(chunks));
      },
    ).catch(() => undefined);
    if (answer === undefined) {
      res.destroy();
      return;
    }
    if (held) {
      this.held++;
      await new Promise<void>((resolve) => {
        const release = (): void => {
          this.#releases.delete(release);
          resolve();
        };
        this.#releases.add(release);
        res.on('close', release);
      });
      this.held--;
    }
    if (res.destroyed) return;
    const { connection: _, 'keep-alive': __, 'transfer-encoding': ___, ...headers } = answer.headers;
    res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
    res.end(answer.body);
  }
}
