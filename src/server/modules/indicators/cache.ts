import crypto from 'node:crypto';
import zlib from 'node:zlib';

interface Entry {
  at: number;
  body: string;
  etag: string;
  /** Brotli of the body, made once on first request that accepts it. */
  br?: Buffer;
}

/** The body to send for an Accept-Encoding header: brotli when accepted (and worth it), else plain. */
export function encoded(e: Entry, acceptEncoding: string | undefined): { body: string | Buffer; encoding: 'br' | null } {
  if (e.body.length < 1024 || !/\bbr\b/.test(acceptEncoding ?? '')) return { body: e.body, encoding: null };
  e.br ??= zlib.brotliCompressSync(e.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
  return { body: e.br, encoding: 'br' };
}

/**
 * Cache of public indicator responses (series, dashboard), by municipality, one per app instance.
 * Every write in the indicators module clears its municipality at once in this process; other app
 * processes see the change within the TTL. Entries are serialized JSON, so a hit costs no query
 * and no serialization.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  constructor(
    private readonly ttlMs = 30_000,
    private readonly max = 1000,
  ) {}

  get(municipalityId: string, key: string): Entry | null {
    const k = `${municipalityId}|${key}`;
    const e = this.entries.get(k);
    if (!e) return null;
    if (Date.now() - e.at > this.ttlMs) {
      this.entries.delete(k);
      return null;
    }
    return e;
  }

  set(municipalityId: string, key: string, value: unknown): Entry {
    const body = JSON.stringify(value);
    const e = { at: Date.now(), body, etag: `"${crypto.createHash('sha1').update(body).digest('base64url')}"` };
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(`${municipalityId}|${key}`, e);
    return e;
  }

  invalidate(municipalityId: string) {
    for (const k of this.entries.keys()) if (k.startsWith(`${municipalityId}|`)) this.entries.delete(k);
  }
}
