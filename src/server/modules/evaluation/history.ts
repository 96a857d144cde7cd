import { sql } from 'kysely';
import { type HistoryRules, int, text, exists } from '../audit/api.ts';

/** Evaluation and the Consejo: public records; opinions once their session closed. (Public history rules: see audit/history-rules.ts.) */
export const HISTORY: HistoryRules = {
  evaluation_settings: text((id) => sql<boolean>`exists (select 1 from evaluation_settings s where s.municipality_id = ${id})`),
  council_members: int(exists('council_members')),
  council_sessions: int(exists('council_sessions')),
  council_attendance: int(exists('council_sessions')),
  council_items: int(exists('council_items')),
  council_opinions: int(
    (id) =>
      sql<boolean>`exists (select 1 from council_items i join council_sessions s on s.id = i.session_id where i.id = ${id}::bigint and s.estado = 'cerrada')`,
  ),
  council_agreements: int(exists('council_agreements')),
  social_committees: int(exists('social_committees')),
  committee_members: int(exists('social_committees')),
  committee_works: int(exists('social_committees')),
  committee_reports: int(exists('committee_reports')),
  evaluation_reports: int(exists('evaluation_reports')),
  work_rating_photos: int((id) => sql<boolean>`exists (select 1 from work_ratings r where r.id = ${id}::bigint and not r.oculto)`),
};
