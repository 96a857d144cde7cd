import { sql } from 'kysely';
import { type HistoryRules, int, text, exists } from '../audit/api.ts';

/** Territory: public while it exists (and the municipality is in use). (Public history rules: see audit/history-rules.ts.) */
export const HISTORY: HistoryRules = {
  municipalities: text((id) => sql<boolean>`exists (select 1 from municipalities m where m.id = ${id} and m.active)`),
  territorial_units: text(
    (id) => sql<boolean>`exists (select 1 from territorial_units u where u.cvegeo = ${id} and u.municipality_id = a.municipality_id)`,
  ),
  territory_imports: int(exists('territory_imports')),
  territory_import: int(exists('territory_imports')),
};
