/**
 * Content-Encoding of a request body (none, gzip or deflate), bounded after
 * decompression. Shared by the OTLP/HTTP receiver and POST /api/v1/import.
 */
import { promisify } from 'node:util';
import { gunzip as gunzipCb, inflate as inflateCb } from 'node:zlib';

const gunzip = promisify(gunzipCb);
const inflate = promisify(inflateCb);

/** Why a body could not be decompressed: 415 unknown encoding, 413 too large, 400 corrupt. */
export class BodyEncodingError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

export async function decompressBody(contentEncoding: string | string[] | undefined, body: Buffer, max: number): Promise<Buffer> {
  const encoding = String(contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding !== 'gzip' && encoding !== 'deflate') {
    throw new BodyEncodingError(415, `unsupported Content-Encoding "${encoding}": send gzip or none`);
  }
  try {
    return await (encoding === 'gzip' ? gunzip : inflate)(body, { maxOutputLength: max });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new BodyEncodingError(413, `request body exceeds ${max} bytes after decompression`);
    }
    throw new BodyEncodingError(400, `body is not valid ${encoding}: ${(err as Error).message}`);
  }
}
