import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { failureKind } from '../../src/redis/support/failureKind.js';

/** A reply error as the client makes it from the server's `-CODE message` line. */
const reply = (line: string): Error => new (ReplyError as new (message: string) => Error)(line);

describe('failureKind', () => {
  it.each([
    ['LOADING Redis is loading the dataset in memory'],
    ['BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT.'],
    ['TRYAGAIN Multiple keys request during rehashing of slot'],
    ['CLUSTERDOWN The cluster is down'],
    ['MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no.'],
    ['MOVED 3999 127.0.0.1:6381'],
    ['ASK 3999 127.0.0.1:6381'],
    ["READONLY You can't write against a read only replica."],
    ['NOREPLICAS Not enough good replicas to write.'],
    ['MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.'],
    ["OOM command not allowed when used memory > 'maxmemory'."],
  ])('counts a reply of a passing server state as transient: %s', (line) => {
    expect(failureKind(reply(line))).toBe('transient');
  });

  it.each([
    ['WRONGTYPE Operation against a key holding the wrong kind of value'],
    ['ERR Protocol error: invalid bulk length'],
    ['ERR Error running script (call to f_0123): @user_script:1: bad argument'],
    ["NOPERM this user has no permissions to run the 'evalsha' command"],
    ['NOSCRIPT No matching script. Please use EVAL.'],
    ['an error reply without a code'],
  ])('counts a refusal of the command as permanent: %s', (line) => {
    expect(failureKind(reply(line))).toBe('permanent');
  });

  it('counts a failure without a reply as transient: lost connection, no answer, the client giving up', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    expect(failureKind(refused)).toBe('transient');
    expect(failureKind(new Error('no answer within 500 ms'))).toBe('transient');
    expect(failureKind(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(
      'transient',
    );
    const gaveUp = Object.assign(new Error('Reached the max retries per request limit (which is 20).'), {
      name: 'MaxRetriesPerRequestError',
    });
    expect(failureKind(gaveUp)).toBe('transient');
    expect(failureKind('not even an error')).toBe('transient');
  });
});
