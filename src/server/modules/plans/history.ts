import { sql, type RawBuilder } from 'kysely';
import { type HistoryRules, int, ref } from '../audit/api.ts';

/** Plans out of draft, with their trees. (Public history rules: see audit/history-rules.ts.) */
const planPublic = (planId: RawBuilder<unknown>) =>
  sql<boolean>`exists (select 1 from plans p where p.id = ${planId} and p.estado <> 'borrador')`;
const elementPublic = (id: string) =>
  sql<boolean>`exists (select 1 from plan_elements e join plans p on p.id = e.plan_id where e.id = ${id}::bigint and p.estado <> 'borrador')`;
export const HISTORY: HistoryRules = {
  plans: int((id) => planPublic(sql`${id}::bigint`)),
  plan_transitions: int((id) => planPublic(sql`${id}::bigint`)),
  plan_versions: int((id) => planPublic(sql`${id}::bigint`)),
  plan_elements: int(elementPublic),
  plan_alignments: int(elementPublic),
  plan_element_ods: int(elementPublic),
  plan_metas: int((id) => planPublic(ref('e.plan_id from plan_metas m join plan_elements e on e.id = m.element_id where m.id', id))),
  plan_comments: int(
    (id) =>
      sql<boolean>`exists (select 1 from plan_comments c join plans p on p.id = c.plan_id where c.id = ${id}::bigint and not c.oculto and p.estado <> 'borrador')`,
  ),
};
