import { sql, type RawBuilder } from 'kysely';

/**
 * Which audited records have a public history, and when. The public history of a record is shown
 * only while the record itself is public — the same rule its own public page applies — so a draft
 * plan, an unpublished action or a report not yet reviewed has no public history at all, even
 * though its audit rows are marked public. Staff read everything through /audit.
 *
 * Each rule is an SQL condition on the audit row `a` being read; `id` is the requested entity id,
 * already checked against the key's shape (so casts cannot fail).
 */
type Rule = { key: RegExp; visible: (id: string) => RawBuilder<boolean> };

const int = (visible: Rule['visible']): Rule => ({ key: /^[1-9][0-9]{0,17}$/, visible });
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what a key may not hold.
const text = (visible: Rule['visible'], key = /^[^\u0000]{1,60}$/): Rule => ({ key, visible });

// Shared conditions, by the column that holds the parent's id.
const planPublic = (planId: RawBuilder<unknown>) =>
  sql<boolean>`exists (select 1 from plans p where p.id = ${planId} and p.estado <> 'borrador')`;
const elementPublic = (id: string) =>
  sql<boolean>`exists (select 1 from plan_elements e join plans p on p.id = e.plan_id where e.id = ${id}::bigint and p.estado <> 'borrador')`;
const actionPublic = (id: string) => sql<boolean>`exists (select 1 from poa_actions x where x.id = ${id}::bigint and x.publicado)`;
const proposalPublic = (id: string) => sql<boolean>`exists (select 1 from proposals x where x.id = ${id}::bigint and not x.oculto)`;
const reportPublic = (id: string) => sql<boolean>`exists (select 1 from citizen_reports x where x.id = ${id}::bigint and not x.oculto)`;
const pbProcessPublic = (processId: RawBuilder<unknown>) =>
  sql<boolean>`exists (select 1 from pb_processes x where x.id = ${processId} and x.fase <> 'borrador')`;
const exists =
  (table: string, column = 'id') =>
  (id: string) =>
    sql<boolean>`exists (select 1 from ${sql.table(table)} x where x.${sql.ref(column)} = ${id}::bigint)`;
const ref = (q: string, id: string) => sql`(select ${sql.raw(q)} = ${id}::bigint limit 1)`;

export const PUBLIC_HISTORY: Record<string, Rule> = {
  // Territory and catalogues: public while they exist (and the municipality is in use).
  municipalities: text((id) => sql<boolean>`exists (select 1 from municipalities m where m.id = ${id} and m.active)`),
  territorial_units: text(
    (id) => sql<boolean>`exists (select 1 from territorial_units u where u.cvegeo = ${id} and u.municipality_id = a.municipality_id)`,
  ),
  territory_imports: int(exists('territory_imports')),
  territory_import: int(exists('territory_imports')),
  departments: int(exists('departments')),
  funding_sources: text(
    (id) =>
      sql<boolean>`exists (select 1 from funding_sources f where f.clave = ${id} and f.municipality_id is not distinct from a.municipality_id)`,
  ),
  report_services: int((id) => sql<boolean>`exists (select 1 from report_services s where s.id = ${id}::bigint and s.activo)`),
  evaluation_settings: text((id) => sql<boolean>`exists (select 1 from evaluation_settings s where s.municipality_id = ${id})`),

  // Indicators: published fichas, and the variables and data a published ficha is computed from.
  indicators: text(
    (id) =>
      sql<boolean>`exists (select 1 from indicators i where i.clave = ${id} and i.municipality_id = a.municipality_id and i.estado = 'publicado')`,
  ),
  indicator_loads: int(exists('indicator_loads')),
  indicator_targets: int((id) => sql<boolean>`exists (select 1 from indicators i where i.id = ${id}::bigint and i.estado = 'publicado')`),
  indicator_benchmarks: int(
    (id) => sql<boolean>`exists (select 1 from indicators i where i.id = ${id}::bigint and i.estado = 'publicado')`,
  ),
  indicator_variables: text(
    (id) =>
      sql<boolean>`exists (select 1 from indicators i where i.municipality_id = a.municipality_id and i.estado = 'publicado' and i.formula ~ ('\\m' || ${id} || '\\M'))`,
    // The clave becomes part of a regular expression: only a variable's own shape is accepted.
    /^[A-Za-z][A-Za-z0-9_]{0,39}$/,
  ),
  indicator_observations: int(
    (id) => sql<boolean>`exists (select 1 from indicator_variables v join indicators i on i.municipality_id = v.municipality_id
      where v.id = ${id}::bigint and i.estado = 'publicado' and i.formula ~ ('\\m' || v.clave || '\\M'))`,
  ),

  // Plans out of draft, with their trees.
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

  // Programs: the catalogue is public; actions once published, reports once reviewed.
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

  // Participation: what moderation has not hidden; processes and consultations out of draft.
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

  // Evaluation and the Consejo: public records; opinions once their session closed.
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

/** Columns never shown in the public history: who did what is the entry's actor name, not ids. */
const PRIVATE_FIELDS = [
  'user_id',
  'client_id',
  'created_by',
  'updated_by',
  'reported_by',
  'reviewed_by',
  'respondido_por',
  'publicado_por',
  'evaluadores',
  'nota_revision',
];

export function publicImage(image: unknown): Record<string, unknown> | null {
  if (!image || typeof image !== 'object') return null;
  const out = { ...(image as Record<string, unknown>) };
  for (const f of PRIVATE_FIELDS) delete out[f];
  return out;
}

/** The rule for an entity and id, or null when that history is not public in any case. */
export function historyRule(entity: string, id: string): RawBuilder<boolean> | null {
  const rule = Object.hasOwn(PUBLIC_HISTORY, entity) ? PUBLIC_HISTORY[entity] : undefined;
  if (!rule) return null;
  if (!rule.key.test(id)) return null;
  return rule.visible(id);
}
