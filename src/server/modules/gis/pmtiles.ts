import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';

/**
 * PMTiles v3 (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md): one file with every tile
 * of a basemap, read by browsers with HTTP range requests — no tile server. npm's `pmtiles` only
 * reads archives, so the writer is here (header, Hilbert tile ids, varint directories, gzip).
 */

export const TILE_TYPES = { mvt: 1, png: 2, jpeg: 3, webp: 4 } as const;
const HEADER = 127;
const ROOT_MAX = 16_384 - HEADER;

/** Tile id along the Hilbert curve of its zoom, after every tile of the lower zooms. */
export function tileId(z: number, x: number, y: number): number {
  let id = ((1 << z) * (1 << z) - 1) / 3;
  let [tx, ty] = [x, y];
  for (let a = 1 << (z - 1); a > 0; a >>= 1) {
    const rx = tx & a;
    const ry = ty & a;
    id += ((3 * rx) ^ ry) * a;
    if (ry === 0) {
      if (rx !== 0) [tx, ty] = [a - 1 - tx, a - 1 - ty];
      [tx, ty] = [ty, tx];
    }
  }
  return id;
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

function varint(out: number[], n: number) {
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

function directory(entries: Entry[]): Buffer {
  const out: number[] = [];
  varint(out, entries.length);
  let last = 0;
  for (const e of entries) {
    varint(out, e.tileId - last);
    last = e.tileId;
  }
  for (const e of entries) varint(out, e.runLength);
  for (const e of entries) varint(out, e.length);
  entries.forEach((e, i) => varint(out, i > 0 && e.offset === entries[i - 1].offset + entries[i - 1].length ? 0 : e.offset + 1));
  return zlib.gzipSync(Buffer.from(out));
}

/** Root directory (and leaf directories when the root would not fit in the first 16 KiB). */
function directories(entries: Entry[]): { root: Buffer; leaves: Buffer } {
  const root = directory(entries);
  if (root.length <= ROOT_MAX) return { root, leaves: Buffer.alloc(0) };
  for (let size = 4096; ; size *= 2) {
    const rootEntries: Entry[] = [];
    const parts: Buffer[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += size) {
      const leaf = directory(entries.slice(i, i + size));
      rootEntries.push({ tileId: entries[i].tileId, offset, length: leaf.length, runLength: 0 });
      parts.push(leaf);
      offset += leaf.length;
    }
    const r = directory(rootEntries);
    if (r.length <= ROOT_MAX) return { root: r, leaves: Buffer.concat(parts) };
  }
}

export interface ArchiveInfo {
  tileType: keyof typeof TILE_TYPES;
  minZoom: number;
  maxZoom: number;
  bounds: [number, number, number, number];
  center?: [number, number, number];
  metadata: Record<string, unknown>;
}

/**
 * Writes an archive from tiles given in any order (each tile's bytes gzip-compressed here for MVT);
 * identical tiles are stored once. The file is written to a temporary name and renamed, so a reader
 * never sees half a basemap.
 */
export function writeArchive(file: string, tiles: { z: number; x: number; y: number; data: Buffer }[], info: ArchiveInfo) {
  const sorted = tiles.map((t) => ({ id: tileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.id - b.id);
  const entries: Entry[] = [];
  const chunks: Buffer[] = [];
  const seen = new Map<string, { offset: number; length: number }>();
  let offset = 0;
  for (const t of sorted) {
    const body = info.tileType === 'mvt' ? zlib.gzipSync(t.data) : t.data;
    const hash = crypto.createHash('sha1').update(body).digest('hex');
    let at = seen.get(hash);
    if (!at) {
      at = { offset, length: body.length };
      seen.set(hash, at);
      chunks.push(body);
      offset += body.length;
    }
    const prev = entries[entries.length - 1];
    // Consecutive ids with the same content become one run (empty ocean, repeated fills).
    if (prev && prev.offset === at.offset && prev.tileId + prev.runLength === t.id) prev.runLength++;
    else entries.push({ tileId: t.id, offset: at.offset, length: at.length, runLength: 1 });
  }
  const { root, leaves } = directories(entries);
  const metadata = zlib.gzipSync(Buffer.from(JSON.stringify(info.metadata)));
  const data = Buffer.concat(chunks);
  const h = Buffer.alloc(HEADER);
  h.write('PMTiles', 0, 'ascii');
  h.writeUInt8(3, 7);
  const u64 = (at: number, v: number) => h.writeBigUInt64LE(BigInt(v), at);
  const rootOffset = HEADER;
  const metaOffset = rootOffset + root.length;
  const leafOffset = metaOffset + metadata.length;
  const dataOffset = leafOffset + leaves.length;
  u64(8, rootOffset);
  u64(16, root.length);
  u64(24, metaOffset);
  u64(32, metadata.length);
  u64(40, leafOffset);
  u64(48, leaves.length);
  u64(56, dataOffset);
  u64(64, data.length);
  u64(72, sorted.length);
  u64(80, entries.length);
  u64(88, seen.size);
  h.writeUInt8(1, 96); // clustered: tile data in tile-id order
  h.writeUInt8(2, 97); // directories and metadata gzip
  h.writeUInt8(info.tileType === 'mvt' ? 2 : 1, 98);
  h.writeUInt8(TILE_TYPES[info.tileType], 99);
  h.writeUInt8(info.minZoom, 100);
  h.writeUInt8(info.maxZoom, 101);
  const e7 = (v: number) => Math.round(v * 1e7);
  const [w, s, e, n] = info.bounds;
  h.writeInt32LE(e7(w), 102);
  h.writeInt32LE(e7(s), 106);
  h.writeInt32LE(e7(e), 110);
  h.writeInt32LE(e7(n), 114);
  const center = info.center ?? [(w + e) / 2, (s + n) / 2, Math.min(info.maxZoom, Math.max(info.minZoom, 12))];
  h.writeUInt8(center[2], 118);
  h.writeInt32LE(e7(center[0]), 119);
  h.writeInt32LE(e7(center[1]), 123);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.concat([h, root, metadata, leaves, data]));
  fs.renameSync(tmp, file);
  return {
    tiles: sorted.length,
    entries: entries.length,
    contents: seen.size,
    bytes: HEADER + root.length + metadata.length + leaves.length + data.length,
  };
}

/** What the web map needs to style an archive: its kind, zooms, extent and (vector) layer names. */
export function readArchiveInfo(file: string) {
  const fd = fs.openSync(file, 'r');
  try {
    const h = Buffer.alloc(HEADER);
    fs.readSync(fd, h, 0, HEADER, 0);
    if (h.toString('ascii', 0, 7) !== 'PMTiles' || h.readUInt8(7) !== 3) return null;
    const u64 = (at: number) => Number(h.readBigUInt64LE(at));
    const meta = Buffer.alloc(u64(32));
    fs.readSync(fd, meta, 0, meta.length, u64(24));
    const compression = h.readUInt8(97);
    const metadata = JSON.parse((compression === 2 ? zlib.gunzipSync(meta) : meta).toString('utf8') || '{}') as {
      vector_layers?: { id: string }[];
      name?: string;
      attribution?: string;
    };
    const type = (Object.entries(TILE_TYPES).find(([, v]) => v === h.readUInt8(99))?.[0] ?? 'unknown') as
      | keyof typeof TILE_TYPES
      | 'unknown';
    return {
      tileType: type,
      minZoom: h.readUInt8(100),
      maxZoom: h.readUInt8(101),
      bounds: [h.readInt32LE(102) / 1e7, h.readInt32LE(106) / 1e7, h.readInt32LE(110) / 1e7, h.readInt32LE(114) / 1e7] as [
        number,
        number,
        number,
        number,
      ],
      vectorLayers: (metadata.vector_layers ?? []).map((l) => l.id),
      name: metadata.name ?? '',
      attribution: metadata.attribution ?? '',
    };
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}
