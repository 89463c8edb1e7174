import { BotError } from '@bot/core';
import { formatBytes } from '../media/mediaLimits.js';

/**
 * A guild channel or DM message's local image (`MessageParams.fileImage`) would make its multipart
 * body larger than {@link MAX_GUILD_FORM_BYTES}, found before any byte was sent. Send the image by
 * URL (`MessageParams.image(url)`), or a file of at most {@link FileImageTooLargeError.maxImageBytes}.
 */
export class FileImageTooLargeError extends BotError {
  public readonly kind = 'fileImageTooLarge' as const;

  /**
   * @param field - the image's name in the message (`params.fileImage`)
   * @param size - the image's size in bytes
   * @param bodyBytes - the size the whole multipart body would have (an upper estimate)
   * @param cap - the largest body allowed, in bytes
   * @param maxImageBytes - the largest image the same message's other fields leave room for
   */
  public constructor(
    public readonly field: string,
    public readonly size: number,
    public readonly bodyBytes: number,
    public readonly cap: number,
    public readonly maxImageBytes: number,
  ) {
    super(
      `${field} of ${formatBytes(size)} (${size} bytes) would make a request of about ${bodyBytes} bytes, ` +
        `over the ${formatBytes(cap)} (${cap} bytes) a guild message with a local image may carry: ` +
        `send the image by URL with MessageParams.image(url), or a smaller file ` +
        `(at most ${maxImageBytes} bytes beside this message's other fields)`,
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    fileImageTooLarge: FileImageTooLargeError;
  }
}
