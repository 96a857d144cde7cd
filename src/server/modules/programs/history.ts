import { sql } from 'kysely';
import { type HistoryRules, int, text, exists } from '../audit/api.ts';

/** Programs: the catalogue is public; actions once published, reports once reviewed. (Public history rules: see audit/history-rules.ts.) */
const actionPublic = (id: string) => sql<boolean>`exists (select 1 from poa_actions x where x.id = ${id}::bigint and x.publicado)`;
export const HISTORY: HistoryRules = {
  funding_sources: text(
    (id) =>
      sql<boolean>`exists (select 1 from funding_sources f where f.clave = ${id} and f.municipality_id is not distinct from a.municipality_id)`,
  ),
  poa_programs: int(exists('poa_programs')),
  mir_rows: int(exists('mir_rows')),
  poa_actions: int(actionPublic),
  action_budgets: int(actionPublic),
  action_alignments: int(actionPublic),
  progress_reports: int(
    (id) =>
      sql<boolean>`exists (select 1 from progress_reports r join poa_actions x on x.id = r.action_id where r.id = ${id}::bigint and r.estado = 'publicado' and x.publicado)`,
  ),
  evidence_files: int(
    (
      id,
    ) => sql<boolean>`exists (select 1 from evidence_files f join progress_reports r on r.id = f.report_id join poa_actions x on x.id = r.action_id
      where f.id = ${id}::bigint and r.estado = 'publicado' and x.publicado)`,
  ),
  contracts: int(
    (id) =>
      sql<boolean>`exists (select 1 from contracts c join poa_actions x on x.id = c.action_id where c.id = ${id}::bigint and x.publicado)`,
  ),
  contract_amendments: int(
    (id) =>
      sql<boolean>`exists (select 1 from contracts c join poa_actions x on x.id = c.action_id where c.id = ${id}::bigint and x.publicado)`,
  ),
};
