import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const filesUnder = (dir: string): string[] =>
  fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(rel) : /\.tsx?$/.test(e.name) ? [rel] : [];
  });

const MODULES = fs
  .readdirSync(path.join(ROOT, 'src/server/modules'))
  .filter((d) => fs.statSync(path.join(ROOT, 'src/server/modules', d)).isDirectory());
const serverFiles = () => filesUnder('src/server/modules').filter((f) => !f.endsWith('.test.ts'));
const moduleOf = (f: string) => f.split(path.sep)[3];

/** Which module owns each table, as the README's module table states it (so the docs stay true). */
function owners(): Map<string, string> {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const out = new Map<string, string>();
  for (const m of readme.matchAll(/^\| `(\w+)` \| ([^|]*) \|/gm)) {
    if (!MODULES.includes(m[1])) continue;
    for (const t of m[2].matchAll(/`(\w+)`/g)) out.set(t[1], m[1]);
  }
  return out;
}

describe('module boundaries', () => {
  it('reaches another server module only through its api.ts (or the schemas.ts of its contract)', () => {
    const offending: string[] = [];
    for (const f of serverFiles()) {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/from\s+'\.\.\/(\w+)\/([^']+)'/g)) {
        if (m[1] !== moduleOf(f) && m[2] !== 'api.ts' && !/^([a-z]+\.)?schemas\.ts$/.test(m[2])) offending.push(`${f} → ${m[1]}/${m[2]}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it("gives every table one owning module, and lets no module's SQL name another module's table", () => {
    const own = owners();
    const types = fs.readFileSync(path.join(ROOT, 'src/server/db/types.ts'), 'utf8');
    const tables = [...(types.match(/export interface DB \{([^}]*)\}/)?.[1] ?? '').matchAll(/^\s+(\w+):/gm)].map((m) => m[1]);
    expect(tables.filter((t) => t !== 'schema_migrations' && !own.has(t))).toEqual([]);
    // A view a module's migration defines for the others (migrations/0016_shared_views.sql) is the
    // owner's contract: reading it is not a reach into the owner's tables.
    const views = new Set(
      fs
        .readdirSync(path.join(ROOT, 'migrations'))
        .flatMap((f) => [...fs.readFileSync(path.join(ROOT, 'migrations', f), 'utf8').matchAll(/create (?:or replace )?view (\w+)/gi)])
        .map((m) => m[1]),
    );
    expect([...views].filter((v) => !own.has(v))).toEqual([]);
    const edges = new Set<string>();
    for (const f of serverFiles()) {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      const mod = moduleOf(f);
      const named = [
        ...[
          ...text.matchAll(/(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto)\(\s*'(\w+)/g),
        ].map((m) => m[1]),
        ...[...text.matchAll(/\b(?:from|join|into|update|table)\s+(\w+)/g)].map((m) => m[1]),
      ];
      for (const t of named) {
        const owner = own.get(t);
        if (owner && owner !== mod && !views.has(t)) edges.add(`${mod} → ${owner}.${t}`);
      }
    }
    expect([...edges].sort()).toEqual([]);
  });

  it('lets the web app take response types from server schemas, and nothing else of the server', () => {
    const offending: string[] = [];
    let typed = 0;
    for (const f of filesUnder('src/web')) {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']*\/server\/[^']*)';/gms)) {
        // Type-only, from a schemas.ts: erased from the bundle, and the server's contract is the only source.
        if (m[1] && /\/([a-z]+\.)?schemas\.ts$/.test(m[2])) typed++;
        else offending.push(`${f}: ${m[0].replace(/\s+/g, ' ')}`);
      }
    }
    expect(offending).toEqual([]);
    expect(typed).toBeGreaterThan(0);
  });

  it('keeps src/shared (vocabularies both sides use) free of code of either side: type imports only', () => {
    const offending = filesUnder('src/shared').flatMap((f) =>
      [...fs.readFileSync(path.join(ROOT, f), 'utf8').matchAll(/^import\s+(?!type\s)[^;]*;/gm)].map((m) => `${f}: ${m[0]}`),
    );
    expect(offending).toEqual([]);
  });

  it('spells no API response shape by hand in the web app: every fetch is typed by a server schema', () => {
    const offending: string[] = [];
    for (const f of filesUnder('src/web')) {
      if (f.includes('.test.')) continue;
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      // A literal object (or array of them) as the response type of a fetch helper is a copy of a schema.
      for (const m of text.matchAll(/\b(useGet|get|post|patch|del|api|postWithProof)<\s*[{(]/g))
        offending.push(`${f}: ${text.slice(m.index, m.index + 60).split('\n')[0]}`);
    }
    expect(offending).toEqual([]);
    expect(fs.existsSync(path.join(ROOT, 'src/web/api/types.ts'))).toBe(false);
  });
});
