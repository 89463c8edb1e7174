import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { Deferred } from '@bot/core';
import { Emulator } from '@bot/testing';
import { emulatorManager } from './emulator.js';
import { emulatorTest, EmulatorOfTest, type EmulatorAndManager } from './emulatorTest.js';
import { useFakeClock } from './harness.js';

// The promises of emulatorTest's fixture, each checked in the test after the one that sets it up:
// what a test started is ended after it, and nothing it does reaches another test's emulator.
// The tests in parentheses set up what the next one checks: run them as a file, since a check
// picked alone with -t has nothing to look at.

/** What `run` threw, or `undefined` if it returned. */
function captured(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Whether an emulator still answers on `url`. */
function listening(url: string): Promise<boolean> {
  return fetch(url).then(
    () => true,
    () => false,
  );
}

describe('a test that started its emulator and manager', () => {
  let emulatorStop: ReturnType<typeof vi.fn> | undefined;
  let managerShutdown: ReturnType<typeof vi.fn> | undefined;
  let pair: EmulatorAndManager | undefined;

  emulatorTest('(starts them)', async ({ emulatorOfTest }) => {
    pair = await emulatorOfTest.start();
    emulatorStop = vi.spyOn(pair.emulator, 'stop');
    managerShutdown = vi.spyOn(pair.manager, 'shutdownAll');
  });

  emulatorTest('has them ended once after it', async () => {
    expect(managerShutdown).toHaveBeenCalledOnce();
    expect(emulatorStop).toHaveBeenCalledOnce();
    expect(await listening(pair?.emulator.restUrl ?? '')).toBe(false);
  });

  emulatorTest('(a test that names the fixture but starts nothing)', ({ emulatorOfTest }) => {
    expect(emulatorOfTest).toBeDefined();
  });

  emulatorTest('has nothing ended again by a later test that started nothing', () => {
    expect(managerShutdown).toHaveBeenCalledOnce();
    expect(emulatorStop).toHaveBeenCalledOnce();
  });
});

describe('a test that started its emulator, then made several managers facing it', () => {
  const shutdowns: ReturnType<typeof vi.fn>[] = [];
  let emulatorStop: ReturnType<typeof vi.fn> | undefined;

  emulatorTest('(makes them)', async ({ emulatorOfTest }) => {
    const emulator = await emulatorOfTest.startEmulator({ pacing: 'instant' });
    emulatorStop = vi.spyOn(emulator, 'stop');
    const manager = emulatorOfTest.manager();
    const another = emulatorOfTest.manager({ onFatal: 'keepHealthy' });
    shutdowns.push(vi.spyOn(manager, 'shutdownAll'), vi.spyOn(another, 'shutdownAll'));
  });

  emulatorTest('has every one of them shut down once after it, and its emulator stopped', () => {
    expect(shutdowns).toHaveLength(2);
    for (const shutdown of shutdowns) expect(shutdown).toHaveBeenCalledOnce();
    expect(emulatorStop).toHaveBeenCalledOnce();
  });

  emulatorTest('cannot make a manager before its emulator has started', ({ emulatorOfTest }) => {
    expect(() => emulatorOfTest.manager()).toThrow(
      'this test has no emulator yet: await startEmulator() or start() first',
    );
  });

  emulatorTest('cannot start a second emulator after startEmulator', async ({ emulatorOfTest }) => {
    await emulatorOfTest.startEmulator();
    await expect(emulatorOfTest.start()).rejects.toThrow('this test started its emulator already');
  });
});

describe('a test that built a manager itself and handed it over', () => {
  let shutdown: ReturnType<typeof vi.fn> | undefined;
  let late: unknown;

  emulatorTest('(adopts it and leaves it to the fixture)', async ({ emulatorOfTest }) => {
    const emulator = await emulatorOfTest.startEmulator({ pacing: 'instant' });
    const manager = emulatorOfTest.adopt(emulatorManager(emulator));
    shutdown = vi.spyOn(manager, 'shutdownAll');
    onTestFinished(() => {
      late = captured(() => emulatorOfTest.adopt(emulatorManager(emulator)));
    });
  });

  emulatorTest('has it shut down once after the test, and refuses one handed over after its end', () => {
    expect(shutdown).toHaveBeenCalledOnce();
    expect(late).toEqual(new Error('this test has ended: hand it its managers inside the test'));
  });
});

describe('a start still pending when its test ends', () => {
  let outcome: Promise<string> | undefined;
  let starting: Promise<Emulator> | undefined;

  emulatorTest('(ends while its emulator is starting)', ({ emulatorOfTest }) => {
    const start = Emulator.start.bind(Emulator);
    const testOver = new Deferred<void>();
    onTestFinished(() => testOver.resolve()); // runs after the fixture has ended the test
    const spy = vi.spyOn(Emulator, 'start').mockImplementationOnce(async (options) => {
      await testOver.promise;
      starting = start(options);
      return starting;
    });
    onTestFinished(() => spy.mockRestore());
    outcome = emulatorOfTest.start().then(
      () => 'started',
      (error: Error) => error.message,
    );
  });

  emulatorTest('rejects, and the emulator it started then no longer listens', async () => {
    expect(await outcome).toBe('the test ended before its emulator started; it has been stopped');
    const late = await starting;
    expect(late).toBeInstanceOf(Emulator);
    expect(await listening(late?.restUrl ?? '')).toBe(false);
  });
});

describe('a test whose body makes a manager after it ended', () => {
  let late: string | undefined;

  emulatorTest('(makes one once its emulator was stopped)', async ({ emulatorOfTest }) => {
    await emulatorOfTest.startEmulator({ pacing: 'instant' });
    // runs after the fixture has ended the test, as a body still running after its timeout would
    onTestFinished(() => {
      late = String(captured(() => emulatorOfTest.manager()));
    });
  });

  emulatorTest('is refused: nothing would shut that manager down', () => {
    expect(late).toBe('Error: this test has ended: make its managers inside the test');
  });
});

describe('an end called while the emulator is starting', () => {
  it('refuses the start that finishes meanwhile and stops its emulator', async () => {
    const emulator = await Emulator.start({ pacing: 'instant' });
    onTestFinished(() => emulator.stop());
    const released = new Deferred<void>();
    const start = vi.spyOn(Emulator, 'start').mockImplementationOnce(async () => {
      await released.promise;
      return emulator;
    });
    onTestFinished(() => start.mockRestore());
    const ofTest = new EmulatorOfTest();
    const starting = ofTest.startEmulator();
    const ending = ofTest.end();
    released.resolve();
    await expect(starting).rejects.toThrow('the test ended before its emulator started; it has been stopped');
    await ending;
    expect(await listening(emulator.restUrl)).toBe(false);
  });
});

describe('a start that failed', () => {
  emulatorTest('can be tried again in the same test', async ({ emulatorOfTest }) => {
    const start = vi.spyOn(Emulator, 'start').mockRejectedValueOnce(new Error('no free port'));
    onTestFinished(() => start.mockRestore());
    await expect(emulatorOfTest.startEmulator()).rejects.toThrow('no free port');
    await expect(emulatorOfTest.startEmulator()).resolves.toBeInstanceOf(Emulator);
  });
});

describe('two starts at once', () => {
  let first: EmulatorAndManager | undefined;

  emulatorTest('the second rejects and starts no emulator', async ({ emulatorOfTest }) => {
    const start = vi.spyOn(Emulator, 'start');
    onTestFinished(() => start.mockRestore());
    const [one, two] = await Promise.allSettled([emulatorOfTest.start(), emulatorOfTest.start()]);
    expect(two).toMatchObject({
      status: 'rejected',
      reason: new Error('this test started its emulator already: start it once'),
    });
    expect(one?.status).toBe('fulfilled');
    if (one?.status === 'fulfilled') first = one.value;
    expect(start).toHaveBeenCalledOnce();
  });

  emulatorTest('nothing of that test still listens afterwards', async () => {
    expect(first).toBeDefined();
    expect(await listening(first?.emulator.restUrl ?? '')).toBe(false);
  });
});

describe('the clock', () => {
  emulatorTest('(a test on the fake clock)', async ({ emulatorOfTest }) => {
    useFakeClock();
    await emulatorOfTest.start();
    expect(vi.isFakeTimers()).toBe(true);
  });

  emulatorTest('is the real one again in the next test', () => {
    expect(vi.isFakeTimers()).toBe(false);
  });
});

describe('an end that hangs', () => {
  it('fails once its deadline passed, on the real clock, and gives back the real clock', async () => {
    const ofTest = new EmulatorOfTest();
    useFakeClock(); // the manager's own shutdown deadline would then never fire
    const { emulator, manager } = await ofTest.start();
    onTestFinished(async () => {
      vi.useRealTimers();
      await emulator.stop();
    });
    vi.spyOn(manager, 'shutdownAll').mockReturnValue(new Promise(() => undefined));
    await expect(ofTest.end(50)).rejects.toThrow("the test's managers and emulator did not end within 50 ms");
    expect(vi.isFakeTimers()).toBe(false);
  });
});

describe.concurrent('tests that run at the same time', () => {
  const secondEnded = new Deferred<void>();

  // Concurrent tests take `expect` and `onTestFinished` from their context, so each counts for its own test.
  emulatorTest('keep their own emulator when another test ends first', async ({ emulatorOfTest, expect }) => {
    const { emulator } = await emulatorOfTest.start();
    await secondEnded.promise;
    expect(await listening(emulator.restUrl)).toBe(true);
  });

  emulatorTest('each start their own', async ({ emulatorOfTest, expect, onTestFinished }) => {
    onTestFinished(() => secondEnded.resolve()); // after the fixture has ended this test
    await expect(emulatorOfTest.start()).resolves.toMatchObject({ emulator: expect.any(Emulator) });
  });
});
