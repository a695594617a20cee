// Reads entries out of a zip file (a Python wheel is one) without a dependency and without
// loading the archive into memory: the central directory is parsed, then each wanted entry is
// streamed through zlib. Enough of the format for wheels: stored and deflated entries, zip64.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
const SATURATED = 0xffffffff;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new Error(`truncated zip: wanted ${length} bytes at ${position}`);
  return buffer;
}

interface Directory {
  readonly offset: number;
  readonly size: number;
}

async function centralDirectory(handle: FileHandle, fileSize: number): Promise<Directory> {
  // The end record sits in the last 22 bytes plus a comment of at most 65535 bytes.
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(handle, tailStart, tailLength);
  for (let at = tailLength - 22; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== END_OF_CENTRAL_DIRECTORY) continue;
    const size = tail.readUInt32LE(at + 12);
    const offset = tail.readUInt32LE(at + 16);
    if (offset !== SATURATED && size !== SATURATED) return { offset, size };
    // zip64: the locator right before the end record points at the zip64 end record.
    const locatorAt = tailStart + at - 20;
    const locator = await readAt(handle, locatorAt, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw new Error('zip64 end record locator missing');
    const record = await readAt(handle, Number(locator.readBigUInt64LE(8)), 56);
    return { size: Number(record.readBigUInt64LE(40)), offset: Number(record.readBigUInt64LE(48)) };
  }
  throw new Error('not a zip file (no end of central directory)');
}

/** zip64 sizes and offset live in extra field 0x0001, in this order, for each saturated value. */
function zip64Values(extra: Buffer, wanted: readonly boolean[]): number[] {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      const values: number[] = [];
      let field = at + 4;
      for (const want of wanted) {
        if (want) {
          values.push(Number(extra.readBigUInt64LE(field)));
          field += 8;
        }
      }
      return values;
    }
    at += 4 + length;
  }
  throw new Error('zip64 extra field missing');
}

/** Every entry of the archive, from its central directory. */
export async function listZip(file: string): Promise<ZipEntry[]> {
  const handle = await open(file, 'r');
  try {
    const { size: fileSize } = await handle.stat();
    const directory = await centralDirectory(handle, fileSize);
    const data = await readAt(handle, directory.offset, directory.size);
    const entries: ZipEntry[] = [];
    for (let at = 0; at + 46 <= data.length; ) {
      if (data.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw new Error(`bad central directory entry at ${at}`);
      const nameLength = data.readUInt16LE(at + 28);
      const extraLength = data.readUInt16LE(at + 30);
      const commentLength = data.readUInt16LE(at + 32);
      const name = data.toString('utf8', at + 46, at + 46 + nameLength);
      let size = data.readUInt32LE(at + 24);
      let compressedSize = data.readUInt32LE(at + 20);
      let localHeaderOffset = data.readUInt32LE(at + 42);
      const saturated = [size === SATURATED, compressedSize === SATURATED, localHeaderOffset === SATURATED];
      if (saturated.some(Boolean)) {
        const extra = data.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
        const values = zip64Values(extra, saturated);
        if (saturated[0]) size = values.shift() ?? size;
        if (saturated[1]) compressedSize = values.shift() ?? compressedSize;
        if (saturated[2]) localHeaderOffset = values.shift() ?? localHeaderOffset;
      }
      entries.push({ name, method: data.readUInt16LE(at + 10), compressedSize, size, localHeaderOffset });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** Writes one entry to `target` (parent folders created), streaming; checks the size written. */
export async function extractEntry(file: string, entry: ZipEntry, target: string): Promise<void> {
  const handle = await open(file, 'r');
  let dataStart: number;
  try {
    const header = await readAt(handle, entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== LOCAL_FILE_HEADER) throw new Error(`bad local header for ${entry.name}`);
    dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await handle.close();
  }
  await mkdir(path.dirname(target), { recursive: true });
  const output = createWriteStream(target);
  if (entry.compressedSize === 0) {
    output.end();
    await new Promise<void>((resolve, reject) => output.on('finish', resolve).on('error', reject));
  } else {
    const input = createReadStream(file, { start: dataStart, end: dataStart + entry.compressedSize - 1 });
    if (entry.method === DEFLATED) await pipeline(input, createInflateRaw(), output);
    else if (entry.method === STORED) await pipeline(input, output);
    else throw new Error(`${entry.name}: unsupported compression method ${entry.method}`);
  }
  if (output.bytesWritten !== entry.size) {
    throw new Error(`${entry.name}: wrote ${output.bytesWritten} bytes, expected ${entry.size}`);
  }
}
