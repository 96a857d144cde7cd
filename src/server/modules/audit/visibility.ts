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

/** The public-history rules of one module, by audited entity (a table, or an event's entity name). */
export type HistoryRules = Record<string, Rule>;

/** A rule for entities keyed by a bigint id, or by text (a clave, a CVEGEO) of the given shape. */
export const int = (visible: Rule['visible']): Rule => ({ key: /^[1-9][0-9]{0,17}$/, visible });
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what a key may not hold.
export const text = (visible: Rule['visible'], key = /^[^\u0000]{1,60}$/): Rule => ({ key, visible });
/** Public while a row with that id exists in the table. */
export const exists =
  (table: string, column = 'id') =>
  (id: string) =>
    sql<boolean>`exists (select 1 from ${sql.table(table)} x where x.${sql.ref(column)} = ${id}::bigint)`;
/** The parent's id, read from the child row with that id: `ref('<parent column> from <child table> where id', id)`. */
export const ref = (q: string, id: string) => sql`(select ${sql.raw(q)} = ${id}::bigint limit 1)`;

/**
 * Each module states the rules of its own tables (its `history.ts`) and registers them when its
 * routes are registered, so the SQL that decides what of a table is public lives with the table.
 */
const PUBLIC_HISTORY: HistoryRules = {};
export function registerHistoryRules(rules: HistoryRules) {
  Object.assign(PUBLIC_HISTORY, rules);
}

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
