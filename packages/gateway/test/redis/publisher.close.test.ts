/**
 * A clean shutdown is no outage, and a closed publisher stays closed. docs/redis-deployment.md,
 * "Redis outages".
 */
import { Logger, type ILogObj } from 'tslog';
import { describe, expect, it } from 'vitest';
import { RedisEventPublisher, UnpublishedEventError } from '@bot/gateway/redis';
import { useRedisFixture } from './support/redisFixture.js';
import { until } from './support/until.js';
import { seqEvent as message } from './support/publishers.js';

const { namespace, connectThroughLink } = useRedisFixture();

/** A logger whose lines the test can read. */
function recordingLogger(): { logger: Logger<ILogObj>; lines: string[] } {
  const lines: string[] = [];
  const logger = new Logger<ILogObj>({ type: 'hidden' });
  logger.attachTransport((record) => lines.push(String(record['0'])));
  return { logger, lines };
}

describe('RedisEventPublisher at shutdown', () => {
  it('reports no outage when the application closes the connection itself', async () => {
    const { logger, lines } = recordingLogger();
    const { connection } = await connectThroughLink();
    const publisher = new RedisEventPublisher(connection, { ...namespace(), logger });
    await publisher.publish(message(1), 0); // the connection watch runs from here
    await publisher.idle();
    connection.disconnect();
    await until(() => connection.status === 'end', 'the connection ending');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(publisher.metrics).toMatchObject({ redisDown: false, outages: 0 });
    expect(lines.filter((line) => line.includes('lost'))).toEqual([]);
    publisher.close();
  });

  it('still reports a connection that drops by itself, at once', async () => {
    const { logger, lines } = recordingLogger();
    const { connection, link } = await connectThroughLink();
    const publisher = new RedisEventPublisher(connection, { ...namespace(), logger });
    await publisher.publish(message(1), 0);
    link.cut();
    await until(() => publisher.metrics.outages === 1, 'the outage reported');
    expect(lines.some((line) => line.includes('the connection to Redis is lost'))).toBe(true);
    publisher.close();
  });

  it('stays closed: a publish after close() is rejected with the event, and nothing restarts', async () => {
    const { logger, lines } = recordingLogger();
    const { connection } = await connectThroughLink();
    const publisher = new RedisEventPublisher(connection, { ...namespace(), logger });
    await publisher.publish(message(1), 0);
    publisher.close();
    const refused = await publisher.publish(message(2), 0).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnpublishedEventError);
    expect(refused).toMatchObject({ reason: 'closed', payload: message(2) });
    // Had the publish started the connection watch again, this close would count as an outage.
    connection.disconnect();
    await until(() => connection.status === 'end', 'the connection ending');
    expect(publisher.metrics.outages).toBe(0);
    expect(lines).toEqual([]);
  });
});
