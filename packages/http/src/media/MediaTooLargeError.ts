import { BotError, type MediaFileType } from '@bot/core';
import { formatBytes, mediaTypeName } from './mediaLimits.js';

/**
 * A file is larger than the platform takes for its media type. Raised before anything is sent:
 * no token, no request, no byte on the wire.
 */
export class MediaTooLargeError extends BotError {
  public readonly kind = 'mediaTooLarge' as const;
  /** `image`, `video`, `voice` or `file`. */
  public readonly typeName: string;

  /**
   * @param fileType - the media type asked for
   * @param size - the file's size in bytes (for a stream: the bytes read when it went past the cap)
   * @param cap - the largest size of that type, in bytes
   */
  public constructor(
    public readonly fileType: MediaFileType,
    public readonly size: number,
    public readonly cap: number,
  ) {
    const typeName = mediaTypeName(fileType);
    super(
      `${typeName} of ${formatBytes(size)} (${size} bytes) is over the platform's ${formatBytes(cap)} cap ` +
        `for ${typeName} uploads: compress or split it, or send a link in a text message instead`,
    );
    this.typeName = typeName;
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    mediaTooLarge: MediaTooLargeError;
  }
}
