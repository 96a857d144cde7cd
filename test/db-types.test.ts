import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dbTypes, TYPES_FILE } from '../scripts/db-types.ts';
import { freshDatabase, TARGETS } from './helpers.ts';

/**
 * The row types in src/server/db/types.ts are generated from the migrated schema, never written by
 * hand: regenerating them from a fresh database must give the committed file, on both engines (so
 * the migrations also build the same schema on PGlite and on PostgreSQL).
 */
describe.each(TARGETS)('generated database types on %s', (kind) => {
  it('match the schema the migrations build', async () => {
    const database = await freshDatabase(kind);
    try {
      const text = await dbTypes(database.db as unknown as Kysely<never>);
      // One assertion on the whole file: its diff says which table or column moved.
      expect(text, 'run: node --import tsx scripts/db-types.ts').toBe(fs.readFileSync(TYPES_FILE, 'utf8'));
    } finally {
      await database.close();
    }
  }, 120_000);
});
