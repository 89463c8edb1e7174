/** A file part of a multipart body; the emulator keeps its metadata, not its bytes. */
export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
}

/** A parsed multipart/form-data body. */
export interface MultipartBody {
  fields: Record<string, string>;
  files: MultipartFile[];
}

/** The boundary of a `multipart/form-data` content type, or undefined for other types. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2]?.trim();
}

/**
 * Parses a multipart/form-data body. Returns undefined when the body does not follow the format
 * (missing boundaries, parts without a name), so the caller can answer 400.
 */
export function parseMultipart(bytes: Buffer, boundary: string): MultipartBody | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const body: MultipartBody = { fields: {}, files: [] };
  let position = bytes.indexOf(delimiter);
  if (position === -1) return undefined;
  for (;;) {
    position += delimiter.length;
    // "--" right after a delimiter marks the end of the body.
    if (bytes[position] === 0x2d && bytes[position + 1] === 0x2d) return body;
    if (bytes[position] === 0x0d && bytes[position + 1] === 0x0a) position += 2;
    const next = bytes.indexOf(delimiter, position);
    if (next === -1) return undefined;
    // The part ends with CRLF before the next delimiter.
    const part = bytes.subarray(position, Math.max(position, next - 2));
    if (!addPart(body, part)) return undefined;
    position = next;
  }
}

function addPart(body: MultipartBody, part: Buffer): boolean {
  const headerEnd = part.indexOf('\r\n\r\n');
  if (headerEnd === -1) return false;
  const headers = part.subarray(0, headerEnd).toString('utf8').split('\r\n');
  const content = part.subarray(headerEnd + 4);
  const disposition = headers.find((line) => /^content-disposition:/i.test(line));
  const name = disposition && /\bname="([^"]*)"/i.exec(disposition)?.[1];
  if (!name) return false;
  const filename = disposition ? /\bfilename="([^"]*)"/i.exec(disposition)?.[1] : undefined;
  if (filename !== undefined) {
    const typeLine = headers.find((line) => /^content-type:/i.test(line));
    const contentType = typeLine
      ? typeLine.slice(typeLine.indexOf(':') + 1).trim()
      : 'application/octet-stream';
    body.files.push({ field: name, filename, contentType, size: content.length });
  } else {
    body.fields[name] = content.toString('utf8');
  }
  return true;
}
