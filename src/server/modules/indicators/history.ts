import { sql } from 'kysely';
import { type HistoryRules, int, text, exists } from '../audit/api.ts';

/** Indicators: published fichas, and the variables and data a published ficha is computed from. (Public history rules: see audit/history-rules.ts.) */
export const HISTORY: HistoryRules = {
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
};
