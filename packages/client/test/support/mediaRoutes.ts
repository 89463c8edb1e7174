import { MediaFileType } from '@bot/client';

// The routes and the image the media reply tests share.

/** The route a group media upload is posted to. */
export const GROUP_FILES = 'POST /v2/groups/{group_openid}/files';
/** The route a C2C media upload is posted to. */
export const C2C_FILES = 'POST /v2/users/{openid}/files';
/** The route a group message is posted to. */
export const GROUP_SEND = 'POST /v2/groups/{group_openid}/messages';
/** The route a C2C message is posted to. */
export const C2C_SEND = 'POST /v2/users/{openid}/messages';

/** A 1×1 PNG: the emulator checks nothing of an image but its size. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  'base64',
);
/** The file type and name of {@link PNG} as a reply's media. */
export const IMAGE = { fileType: MediaFileType.Image, fileName: 'dot.png' } as const;
