import { describe, expect, it } from 'vitest';
import { Client, Intents, Token, createLogger, type EventHandler } from '@bot/client';
import { misnamedMethodsWarning } from '../src/events/misnamedMethods.js';

// A handler method spelt almost like an event method compiles (a class may have methods of its
// own) and is never called: the bot silently does not answer. The client says so when it is built.

class Misspelt {
  public groupAtMessageCreate(): void {}
  public onMessageCreate(): void {}
  public interactionCreated(): void {}
  public ready(): void {}
  public formatReply(): string {
    return '';
  }
}

describe('handler methods named almost like event methods', () => {
  it('are named with their handler and the method meant, and helpers of the handler are not', () => {
    const warning = misnamedMethodsWarning([new Misspelt()]);
    expect(warning).toContain('Misspelt#0.groupAtMessageCreate (did you mean groupMessageCreate?)');
    expect(warning).toContain('Misspelt#0.onMessageCreate (did you mean messageCreate?)');
    expect(warning).toContain('Misspelt#0.interactionCreated (did you mean interactionCreate?)');
    expect(warning).not.toContain('formatReply');
    expect(warning).not.toContain('ready');
  });

  it('leaves helpers named like an attempt alone, and names onRestAttempt', () => {
    class Retries {
      public lastAttempt(): void {}
      public nextAttempt(): void {}
      public resetAttempt(): void {}
      public testAttempt(): void {}
      public onRestAttempt(): void {}
    }
    expect(misnamedMethodsWarning([new Retries() as EventHandler])).toBe(
      'handler methods named almost like event methods are never called: Retries#0.onRestAttempt (did you mean restAttempt?); ' +
        'rename them to the event method, or ignore this for a method of your own',
    );
  });

  it('leaves short helper names alone: reply, read, react, retry, isReady, resume', () => {
    class Helpers {
      public messageCreate(): void {}
      public reply(): void {}
      public read(): void {}
      public react(): void {}
      public retry(): void {}
      public isReady(): void {}
      public resume(): void {}
      public errors(): void {}
    }
    expect(misnamedMethodsWarning([new Helpers()])).toBeUndefined();
    class Prefixed {
      public messageCreate(): void {}
      public onReady(): void {}
    }
    expect(misnamedMethodsWarning([new Prefixed()])).toContain('Prefixed#0.onReady (did you mean ready?)');
  });

  it('says nothing for handlers whose methods are all spelt right, as objects or classes', () => {
    class Right {
      public groupMessageCreate(): void {}
      public error(): void {}
    }
    const plain: EventHandler = { c2cMessageCreate: () => undefined, shardsReady: () => undefined };
    expect(misnamedMethodsWarning([new Right(), plain])).toBeUndefined();
  });

  it('is logged as a warning once, when the client is built', () => {
    const warnings: unknown[] = [];
    const logger = createLogger('test', 0);
    logger.settings.type = 'hidden';
    logger.attachTransport((record) => {
      const entry = record as Record<string, unknown> & { _meta: { logLevelName: string } };
      if (entry._meta.logLevelName === 'WARN') warnings.push(entry['0']);
    });
    const handler = new Misspelt();
    void Client.builder(new Token('1', 'secret'), Intents.default().withGroupAndC2cEvent())
      .eventHandler(handler)
      .logger(logger)
      .build();
    expect(warnings.filter((each) => String(each).includes('groupAtMessageCreate'))).toHaveLength(1);
  });
});
