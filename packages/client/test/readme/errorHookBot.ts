// The error() example of the client README, as it is printed there (snippets.test checks that the
// two read the same); errorHook.test runs it against the emulator.
import {
  PlatformCode,
  platformCodeOf,
  ReplyWindowClosedError,
  type ClientError,
  type Context,
  type EventHandler,
  type GroupMessage,
  type ShardStatusEvent,
} from '@bot/client';

class Bot implements EventHandler {
  async groupMessageCreate(_ctx: Context, message: GroupMessage): Promise<void> {
    await message.reply(`you said: ${message.cleanContent}`);
  }

  // Every failure of the client, whatever its source (see the list below); `switch` on `kind`
  // narrows `error` to its class, with its own fields.
  error(error: ClientError, ctx?: Context): void {
    const log = ctx?.log ?? console;
    switch (error.kind) {
      case 'handler': // a handler method threw: which one, on which event and shard
        // A reply after the message's window, or past its count, is refused by the client before
        // any request: the ReplyWindowClosedError is the cause, and nothing was sent.
        if (error.cause instanceof ReplyWindowClosedError) {
          log.warn(`${error.handler} did not reply on ${error.event}: window ${error.cause.reason}`);
          break;
        }
        // A reply the platform refused inside a handler arrives here too, the ApiError as `cause`;
        // platformCodeOf reads the code through it.
        switch (platformCodeOf(error)) {
          case PlatformCode.ReplyMarkdownNotPermitted: // not granted: send text, or richContentFallback()
            log.warn(`${error.handler}: markdown refused on ${error.event}`);
            break;
          case PlatformCode.ReplyExpired: // the platform's window had passed (its clock ahead of ours, or replyWindows('ignore'))
            log.warn(`${error.handler} replied too late on ${error.event}`);
            break;
          default:
            log.error(`${error.handler} failed on ${error.event}`, error.cause);
        }
        break;
      case 'malformedEvent': // the platform sent a payload its model refused: the event was skipped
        log.warn(`${error.event} ${error.eventId}: ${error.field}`);
        break;
      case 'api': // the platform refused a request the client made itself (a handler's: 'handler')
        log.error(`code ${error.code}, trace ${error.traceId}`);
        break;
      case 'abandoned': // shutdown() ran out of time: each event is in error.events
        log.warn(`${error.events.length} events not handled`);
        break;
      case 'handlerTimeout': // an event's handlers outlived handlerTimeout: its shard went on without them
        log.warn(error.message);
        break;
      case 'rateLimited':
      case 'network':
      case 'timeout':
        log.warn(error.message);
        break;
      default: // 'authentication', 'gateway', 'validation', 'decode', 'threadHandler', 'workerRestartsExhausted'
        log.error(error.message);
    }
  }

  shardStatus(event: ShardStatusEvent): void {
    console.log(`shard ${event.shardId}: ${event.previous} → ${event.state}`);
  }
}
export { Bot }; // not printed
