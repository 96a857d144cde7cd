import { sql, type RawBuilder } from 'kysely';
import { type HistoryRules, int, ref } from '../audit/api.ts';

/** Participation: what moderation has not hidden; processes and consultations out of draft. (Public history rules: see audit/history-rules.ts.) */
const proposalPublic = (id: string) => sql<boolean>`exists (select 1 from proposals x where x.id = ${id}::bigint and not x.oculto)`;
const reportPublic = (id: string) => sql<boolean>`exists (select 1 from citizen_reports x where x.id = ${id}::bigint and not x.oculto)`;
const pbProcessPublic = (processId: RawBuilder<unknown>) =>
  sql<boolean>`exists (select 1 from pb_processes x where x.id = ${processId} and x.fase <> 'borrador')`;
export const HISTORY: HistoryRules = {
  report_services: int((id) => sql<boolean>`exists (select 1 from report_services s where s.id = ${id}::bigint and s.activo)`),
  proposals: int(proposalPublic),
  proposal_status_changes: int(proposalPublic),
  proposal_files: int(
    (id) =>
      sql<boolean>`exists (select 1 from proposal_files f join proposals x on x.id = f.proposal_id where f.id = ${id}::bigint and not x.oculto)`,
  ),
  proposal_comments: int(
    (id) =>
      sql<boolean>`exists (select 1 from proposal_comments c join proposals x on x.id = c.proposal_id where c.id = ${id}::bigint and not c.oculto and not x.oculto)`,
  ),
  pb_processes: int((id) => pbProcessPublic(sql`${id}::bigint`)),
  pb_territories: int((id) => pbProcessPublic(ref('process_id from pb_territories where id', id))),
  pb_projects: int((id) => pbProcessPublic(ref('process_id from pb_projects where id', id))),
  pb_results: int((id) => pbProcessPublic(ref('process_id from pb_results where project_id', id))),
  consultations: int((id) => sql<boolean>`exists (select 1 from consultations c where c.id = ${id}::bigint and c.estado <> 'borrador')`),
  consultation_questions: int(
    (id) =>
      sql<boolean>`exists (select 1 from consultation_questions q join consultations c on c.id = q.consultation_id where q.id = ${id}::bigint and c.estado <> 'borrador')`,
  ),
  citizen_reports: int(reportPublic),
  report_updates: int(reportPublic),
  report_photos: int(
    (id) =>
      sql<boolean>`exists (select 1 from report_photos f join citizen_reports x on x.id = f.report_id where f.id = ${id}::bigint and not x.oculto)`,
  ),
};
