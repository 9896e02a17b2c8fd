/**
 * A small ZIP writer over `node:zlib` (no archiver on a fresh machine: `zip` may be absent, and npm has none built
 * in). Deflate or store per file, whichever is smaller; UTF-8 names; Unix modes; ZIP64 end records when the entry
 * count passes 65,535 (a production node_modules comes close). Entry times are fixed, so the same files give the same
 * archive.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const deflateRaw = promisify(zlib.deflateRaw);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** 2000-01-01 00:00 in MS-DOS format. */
const DOS_TIME = 0;
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const UTF8_FLAG = 0x0800;
const MAX_16 = 0xffff;
const MAX_32 = 0xffffffff;
/** Files compressed at once (zlib runs them on the thread pool). */
const PARALLEL = 16;

interface Entry {
  name: string;
  mode: number;
  crc: number;
  method: 0 | 8;
  compressedSize: number;
  size: number;
  offset: number;
}

/** Every file below `dir`, `/`-separated relative names, sorted. Symbolic links are followed. */
export function listFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const name = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const stat = fs.statSync(path.join(dir, name));
      if (stat.isDirectory()) walk(name);
      else if (stat.isFile()) found.push(name);
    }
  };
  walk('');
  return found.sort();
}

/** The fields local and central headers share, from "version needed" to the name length (24 bytes at `at`). */
function writeFileFields(header: Buffer, at: number, entry: Entry, nameLength: number): void {
  header.writeUInt16LE(20, at);
  header.writeUInt16LE(UTF8_FLAG, at + 2);
  header.writeUInt16LE(entry.method, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(entry.crc, at + 10);
  header.writeUInt32LE(entry.compressedSize, at + 14);
  header.writeUInt32LE(entry.size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

function localHeader(entry: Entry, name: Buffer): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  writeFileFields(header, 4, entry, name.length);
  return header;
}

function centralHeader(entry: Entry, name: Buffer): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes carry the mode
  writeFileFields(header, 6, entry, name.length);
  header.writeUInt32LE(((entry.mode & 0xffff) << 16) >>> 0, 38);
  header.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([header, name]);
}

function endRecords(count: number, centralSize: number, centralOffset: number): Buffer {
  const records: Buffer[] = [];
  const zip64 = count >= MAX_16 || centralOffset >= MAX_32 || centralSize >= MAX_32;
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE((3 << 8) | 45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(centralSize), 40);
    record.writeBigUInt64LE(BigInt(centralOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(centralOffset + centralSize), 8);
    locator.writeUInt32LE(1, 16);
    records.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(count, MAX_16), 8);
  end.writeUInt16LE(Math.min(count, MAX_16), 10);
  end.writeUInt32LE(Math.min(centralSize, MAX_32), 12);
  end.writeUInt32LE(Math.min(centralOffset, MAX_32), 16);
  records.push(end);
  return Buffer.concat(records);
}

/** Writes every file below `dir` into the ZIP archive `file`; returns the number of entries. */
export async function zipFolder(dir: string, file: string): Promise<number> {
  const names = listFiles(dir);
  const fd = fs.openSync(file, 'w');
  try {
    let offset = 0;
    const write = (buffer: Buffer): void => {
      fs.writeSync(fd, buffer);
      offset += buffer.length;
    };
    const central: Buffer[] = [];
    for (let start = 0; start < names.length; start += PARALLEL) {
      const batch = await Promise.all(
        names.slice(start, start + PARALLEL).map(async (name) => {
          const full = path.join(dir, name);
          const data = fs.readFileSync(full);
          const deflated = await deflateRaw(data);
          return { name, mode: fs.statSync(full).mode, data, deflated };
        }),
      );
      for (const { name, mode, data, deflated } of batch) {
        const body = deflated.length < data.length ? deflated : data;
        if (data.length >= MAX_32 || offset >= MAX_32) {
          throw new Error(`${name}: files or archives over 4 GiB are not supported`);
        }
        const entry: Entry = {
          name,
          mode,
          crc: crc32(data),
          method: body === deflated ? 8 : 0,
          compressedSize: body.length,
          size: data.length,
          offset,
        };
        const encoded = Buffer.from(name, 'utf8');
        write(localHeader(entry, encoded));
        write(encoded);
        write(body);
        central.push(centralHeader(entry, encoded));
      }
    }
    const centralOffset = offset;
    const centralDirectory = Buffer.concat(central);
    write(centralDirectory);
    write(endRecords(names.length, centralDirectory.length, centralOffset));
    return names.length;
  } finally {
    fs.closeSync(fd);
  }
}
