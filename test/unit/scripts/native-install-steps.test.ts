// The native install's steps that decide and report, without the network: which variant an
// environment asks for, the one-line failure when pip is missing, and the zip reader that takes
// libtensorflow out of the wheel (checked on an archive built here, stored and deflated entries).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { StepFailure } from '../../../scripts/native/run';
import { cacheDirectory, chooseVariant } from '../../../scripts/native/variants';
import { fetchWheel } from '../../../scripts/native/wheels';
import { extractEntry, listZip } from '../../../scripts/native/zip';

describe('STREAMTRAIN_TENSORFLOW', () => {
  it('defaults to the CPU build of @tensorflow/tfjs-node from tensorflow-cpu 2.21.0', () => {
    const choice = chooseVariant({});
    expect(choice.kind === 'install' && [choice.variant.pkg, choice.variant.tensorflow.requirement]).toEqual(['@tensorflow/tfjs-node', 'tensorflow-cpu==2.21.0']);
  });

  it('gpu opts in to @tensorflow/tfjs-node-gpu on tensorflow 2.9.1 with the CUDA 11 wheels', () => {
    const choice = chooseVariant({ STREAMTRAIN_TENSORFLOW: 'gpu' });
    expect(choice.kind === 'install' && choice.variant.pkg).toBe('@tensorflow/tfjs-node-gpu');
    expect(choice.kind === 'install' && choice.variant.runtime.map((w) => w.requirement)).toContain('nvidia-cudnn-cu11==8.6.0.163');
  });

  it('skip skips, and a wrong value skips saying what is allowed', () => {
    expect(chooseVariant({ STREAMTRAIN_TENSORFLOW: 'skip' })).toEqual({ kind: 'skip', why: 'STREAMTRAIN_TENSORFLOW=skip' });
    expect(chooseVariant({ STREAMTRAIN_TENSORFLOW: 'yes' })).toEqual({ kind: 'skip', why: 'STREAMTRAIN_TENSORFLOW=yes is not one of cpu, gpu, skip' });
  });

  it('keeps wheels in STREAMTRAIN_CACHE_DIR, else under XDG_CACHE_HOME', () => {
    expect(cacheDirectory({ STREAMTRAIN_CACHE_DIR: '/c' })).toBe('/c');
    expect(cacheDirectory({ XDG_CACHE_HOME: '/x' })).toBe(path.join('/x', 'streamtrain'));
  });
});

it('without pip the wheel step fails with what is missing and what to do', async () => {
  const variant = chooseVariant({});
  if (variant.kind !== 'install') throw new Error('expected the default variant');
  const empty = mkdtempSync(path.join(os.tmpdir(), 'streamtrain-wheels-'));
  const savedPath = process.env.PATH;
  process.env.PATH = empty; // no python, no pip
  try {
    const attempt = fetchWheel(variant.variant.tensorflow, empty, () => undefined);
    await expect(attempt).rejects.toBeInstanceOf(StepFailure);
    await expect(attempt).rejects.toThrow(/pip was not found .*; install it \(Debian: apt-get install python3-pip\)/);
  } finally {
    process.env.PATH = savedPath;
  }
});

/** A zip archive in the layout wheels use: local headers, then the central directory, then its end. */
function zipOf(files: Array<{ name: string; data: Buffer; deflate: boolean }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const body = file.deflate ? deflateRawSync(file.data) : file.data;
    const name = Buffer.from(file.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(file.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(file.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(file.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc32(file.data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(file.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

it('the zip reader lists and extracts stored and deflated entries byte for byte', async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'streamtrain-zip-'));
  const library = Buffer.alloc(300000, 7);
  library.write('ELF', 0);
  const header = Buffer.from('#include "tensorflow/c/c_api.h"\n');
  const archive = path.join(folder, 'x.whl');
  writeFileSync(archive, zipOf([
    { name: 'tensorflow/libtensorflow_cc.so.2', data: library, deflate: true },
    { name: 'tensorflow/include/tensorflow/c/eager/c_api.h', data: header, deflate: false },
  ]));
  const entries = await listZip(archive);
  expect(entries.map((e) => [e.name, e.size])).toEqual([
    ['tensorflow/libtensorflow_cc.so.2', 300000],
    ['tensorflow/include/tensorflow/c/eager/c_api.h', header.length],
  ]);
  await extractEntry(archive, entries[0], path.join(folder, 'out', 'lib.so'));
  await extractEntry(archive, entries[1], path.join(folder, 'out', 'c_api.h'));
  expect(readFileSync(path.join(folder, 'out', 'lib.so')).equals(library)).toBe(true);
  expect(readFileSync(path.join(folder, 'out', 'c_api.h')).equals(header)).toBe(true);
  await expect(listZip(path.join(folder, 'out', 'c_api.h'))).rejects.toThrow(/not a zip file/);
});
