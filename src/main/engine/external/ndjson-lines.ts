/**
 * Lines of a hostile stream, bounded: no line longer than maxLineBytes, no
 * more than maxTotalBytes in all (decompressed), neither ever held whole.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { TunebenchError } from '../../../shared/errors.js';

export interface LineLimits {
  maxLineBytes: number;
  maxTotalBytes: number;
}

/** Where an import reads from: a file (plain or gzipped) or text already in memory; opened once per pass. */
export interface ImportSource {
  name: string;
  open(): AsyncIterable<Buffer | string>;
}

export function fileSource(file: string, name: string): ImportSource {
  return {
    name,
    open: () => openMaybeGzipped(file),
  };
}

export function textSource(text: string, name: string): ImportSource {
  return {
    name,
    open: async function* () {
      yield text;
    },
  };
}

async function* openMaybeGzipped(file: string): AsyncIterable<Buffer> {
  const handle = await fs.open(file, 'r');
  const magic = Buffer.alloc(2);
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const raw = createReadStream(file);
  const gzipped = magic[0] === 0x1f && magic[1] === 0x8b;
  const stream = gzipped ? raw.pipe(createGunzip()) : raw;
  if (gzipped) raw.on('error', (error) => stream.destroy(error));
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    throw new Error(gzipped ? `not a readable gzip file (${(error as Error).message})` : (error as Error).message, { cause: error });
  } finally {
    stream.destroy();
    raw.destroy();
  }
}

/** Splits into lines (without their ending), throwing TB_IMPORT_INVALID past a limit; `onBytes` sees every byte (for a digest). */
export async function* boundedLines(
  source: ImportSource,
  limits: LineLimits,
  onBytes?: (chunk: Buffer) => void,
): AsyncIterable<{ line: string; number: number }> {
  const tooLong = (number: number) =>
    new TunebenchError('TB_IMPORT_INVALID', { file: source.name, detail: `line ${number} is longer than ${limits.maxLineBytes / 1024} KB` });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let number = 0;
  let iterator: AsyncIterable<Buffer | string>;
  try {
    iterator = source.open();
  } catch (error) {
    throw new TunebenchError('TB_IMPORT_INVALID', { file: source.name, detail: (error as Error).message });
  }
  try {
    for await (const piece of iterator) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      total += chunk.length;
      if (total > limits.maxTotalBytes) {
        throw new TunebenchError('TB_IMPORT_INVALID', {
          file: source.name,
          detail: `larger than the limit of ${Math.round(limits.maxTotalBytes / 1024 / 1024)} MB (decompressed)`,
        });
      }
      onBytes?.(chunk);
      let start = 0;
      for (let end = chunk.indexOf(0x0a, start); end !== -1; end = chunk.indexOf(0x0a, start)) {
        number++;
        const part = chunk.subarray(start, end);
        if (pendingBytes + part.length > limits.maxLineBytes) throw tooLong(number);
        const line = pendingBytes ? Buffer.concat([...pending, part]).toString('utf8') : part.toString('utf8');
        pending = [];
        pendingBytes = 0;
        yield { line: line.endsWith('\r') ? line.slice(0, -1) : line, number };
        start = end + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        if (pendingBytes + rest.length > limits.maxLineBytes) throw tooLong(number + 1);
        pending.push(rest);
        pendingBytes += rest.length;
      }
    }
  } catch (error) {
    if (error instanceof TunebenchError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new TunebenchError('TB_IMPORT_INVALID', { file: source.name, detail: code === 'ENOENT' ? 'no such file' : (error as Error).message });
  }
  if (pendingBytes) {
    number++;
    yield { line: Buffer.concat(pending).toString('utf8'), number };
  }
}
