import { describe, expectTypeOf, it } from 'vitest';
import {
  MediaFileType,
  MediaUploader,
  type BotErrorKinds,
  type MediaSource,
  type MediaUploadStage,
  type UploadedMedia,
  type UploadProgress,
} from '../src/index.js';

describe('uploadMedia types', () => {
  it('narrows the upload errors by kind, with what each carries', () => {
    const error = {} as BotErrorKinds[keyof BotErrorKinds];
    switch (error.kind) {
      case 'mediaTooLarge':
        expectTypeOf(error.cap).toEqualTypeOf<number>();
        expectTypeOf(error.size).toEqualTypeOf<number>();
        expectTypeOf(error.fileType).toEqualTypeOf<MediaFileType>();
        break;
      case 'mediaUpload':
        expectTypeOf(error.stage).toEqualTypeOf<MediaUploadStage>();
        expectTypeOf(error.partIndex).toEqualTypeOf<number | undefined>();
        break;
    }
  });

  it('takes a path, bytes, a stream or a URL, and a chat of a known scene', () => {
    expectTypeOf<string>().toMatchTypeOf<MediaSource>();
    expectTypeOf<Buffer>().toMatchTypeOf<MediaSource>();
    expectTypeOf<URL>().toMatchTypeOf<MediaSource>();
    expectTypeOf<number>().not.toMatchTypeOf<MediaSource>();
    const uploader = {} as MediaUploader;
    expectTypeOf(uploader.upload).returns.resolves.toEqualTypeOf<UploadedMedia>();
    // @ts-expect-error guild channels take no uploaded file_info
    void uploader.upload({ scene: 'guild', id: 'g' }, 'a.png', { fileType: MediaFileType.Image });
    // @ts-expect-error the media type is required
    void uploader.upload({ scene: 'group', id: 'g' }, 'a.png', {});
    expectTypeOf<UploadProgress['bytesDone']>().toEqualTypeOf<number>();
  });
});
