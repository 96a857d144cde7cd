import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const filesUnder = (dir: string): string[] =>
  fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(rel) : /\.tsx?$/.test(e.name) ? [rel] : [];
  });

describe('module boundaries', () => {
  it('lets the web app take response types from server schemas, and nothing else of the server', () => {
    const offending: string[] = [];
    let typed = 0;
    for (const f of filesUnder('src/web')) {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']*\/server\/[^']*)';/gms)) {
        // Type-only, from a schemas.ts: erased from the bundle, and the server's contract is the only source.
        if (m[1] && m[2].endsWith('/schemas.ts')) typed++;
        else offending.push(`${f}: ${m[0].replace(/\s+/g, ' ')}`);
      }
    }
    expect(offending).toEqual([]);
    expect(typed).toBeGreaterThan(0);
  });
});
