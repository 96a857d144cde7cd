/**
 * Generates src/server/db/types.ts, the row types of every table, from a database migrated from
 * migrations/ (a throwaway PGlite), with kysely-codegen. `--check` compares instead of writing and
 * exits 1 on a difference (the suite runs the same comparison on both databases).
 *
 *   node --import tsx scripts/db-types.ts [--check]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { generate, PostgresDialect, RawExpressionNode } from 'kysely-codegen';
import { openDatabase } from '../src/server/db/connection.ts';
import { migrate } from '../src/server/db/migrate.ts';

export const TYPES_FILE = path.resolve(import.meta.dirname, '../src/server/db/types.ts');

/**
 * Columns whose values SQL states only as a CHECK or as jsonb: their types live in column-types.ts
 * (the generator adds `| null` to nullable ones).
 */
const COLUMNS: Record<string, string> = {
  'audit_log.action': "'insert' | 'update' | 'delete' | 'event'",
  'audit_log.after': 'Json',
  'audit_log.before': 'Json',
  'citizen_reports.estado': "Generated<'open' | 'closed'>",
  'committee_members.sexo': 'Sexo',
  'committee_reports.estado': "Generated<'abierto' | 'en_atencion' | 'atendido'>",
  'committee_reports.tipo': "Generated<'informe' | 'hallazgo' | 'queja'>",
  'consultation_questions.tipo': "'unica' | 'multiple' | 'abierta'",
  'consultations.estado': "Generated<'borrador' | 'abierta' | 'cerrada'>",
  'contracts.procedimiento': "'licitacion_publica' | 'invitacion_tres' | 'adjudicacion_directa'",
  'council_agreements.estado': "Generated<'pendiente' | 'en_proceso' | 'cumplido' | 'cancelado'>",
  'council_items.resolucion': 'Resolucion',
  'council_items.tipo': "'plan' | 'programa' | 'proyecto' | 'politica' | 'informe' | 'otro'",
  'council_members.cargo': "Generated<'presidencia' | 'secretaria_tecnica' | 'consejero'>",
  'council_members.sector': 'CouncilSector',
  'council_members.sexo': 'Sexo',
  'council_opinions.opinion': "'favorable' | 'con_observaciones' | 'desfavorable'",
  'council_opinions.voto': "'a_favor' | 'en_contra' | 'abstencion'",
  'council_sessions.estado': "Generated<'convocada' | 'abierta' | 'cerrada' | 'cancelada'>",
  'council_sessions.tipo': "Generated<'ordinaria' | 'extraordinaria'>",
  'emergency_calls.prioridad': "'alta' | 'media' | 'baja'",
  'evaluation_reports.snapshot': 'Json<unknown>',
  'evaluation_reports.tipo': "'trimestral' | 'anual'",
  'funding_sources.orden_gobierno': "'federal' | 'estatal' | 'municipal' | 'otro'",
  'gis_features.properties': 'Json',
  'gis_layers.atributos': 'Json<LayerAttribute[]>',
  'gis_layers.estilo': 'Json',
  'indicator_variables.agregacion': "Defaulted<'suma' | 'ninguna'>",
  'indicators.dimension': "Defaulted<'eficacia' | 'eficiencia' | 'calidad' | 'economia'>",
  'indicators.estado': "Defaulted<'borrador' | 'publicado'>",
  'indicators.frecuencia': "Defaulted<'anual' | 'semestral' | 'trimestral' | 'mensual'>",
  'indicators.sentido': "Defaulted<'ascendente' | 'descendente'>",
  'indicators.tipo': "Defaulted<'estrategico' | 'gestion'>",
  'mir_rows.nivel': "'fin' | 'proposito' | 'componente' | 'actividad'",
  'municipalities.settings': 'Json',
  'pb_processes.estilo': "Generated<'mochila' | 'aprobacion'>",
  'pb_processes.fase': 'Generated<PbFase>',
  'pb_processes.fechas': 'Json<PhaseDates>',
  'plan_metas.valores': 'Json<MetaValue[]>',
  'plan_versions.snapshot': 'Json<unknown>',
  'plans.estado': 'Generated<PlanEstado>',
  'plans.tipo': 'PlanTipo',
  'plan_transitions.a': 'PlanEstado',
  'plan_transitions.de': 'PlanEstado',
  'plan_versions.estado': 'PlanEstado',
  'poa_actions.tipo': "Generated<'accion' | 'obra'>",
  'progress_reports.estado': "Generated<'enviado' | 'publicado' | 'devuelto'>",
  'proposal_files.tipo': "'imagen' | 'documento'",
  'proposals.estado': 'Generated<ProposalEstado>',
  'resident_verifications.metodo': "'sms' | 'presencial'",
  'role_grants.role': 'Role',
  'territorial_units.attributes': 'Json',
  'territorial_units.level': 'TerritorialLevel',
  'territory_imports.report': 'Json',
  'user_tokens.purpose': "'verify_email' | 'reset_password' | 'invitation'",
  'users.status': "Defaulted<'active' | 'blocked'>",
  // PostGIS geometry: written from SQL (ST_…), read as GeoJSON or WKB through SQL, never as a value.
  ...Object.fromEntries(
    [
      'citizen_reports',
      'emergency_calls',
      'gis_features',
      'gis_overviews',
      'pb_projects',
      'poa_actions',
      'proposals',
      'territorial_units',
    ].map((t) => [`${t}.geom`, 'unknown']),
  ),
};
const pascal = (name: string) => name.replace(/(^|_)(\w)/g, (_, _s, c: string) => c.toUpperCase());
const fieldsOf = (text: string, name: string) => {
  const found = new RegExp(`export interface ${pascal(name)} \\{([^}]*)\\}`).exec(text);
  if (!found) throw new Error(`${name} is not in the schema.`);
  return new Map([...found[1].matchAll(/^\s+(\w+): (.*);$/gm)].map((m) => [m[1], m[2]]));
};
/**
 * PostgreSQL reports every column of a view as nullable. The shared views (a module's contract for
 * the others) pass their owner's columns through unchanged, so each view column gets the type of the
 * base-table column of the same name that the view reads; a view column that is not such a
 * pass-through stops the generator, to be written as one.
 */
const viewUsage = async (db: Kysely<never>) =>
  (
    await sql<{ view: string; table: string; column: string }>`
      select view_name as view, table_name as table, column_name as column
        from information_schema.view_column_usage where view_schema = 'public' and view_name like 'shared\_%'`.execute(db)
  ).rows;
function typedViews(usage: Awaited<ReturnType<typeof viewUsage>>, text: string) {
  let out = text;
  for (const view of new Set(usage.map((u) => u.view))) {
    const fields = [...fieldsOf(out, view).keys()].sort().map((c) => {
      const bases = usage.filter((u) => u.view === view && u.column === c).map((u) => fieldsOf(text, u.table).get(c));
      if (bases.length !== 1 || !bases[0])
        throw new Error(`The column ${view}.${c} does not pass one base-table column through unchanged; name it as one.`);
      // Read-only: a default of the base table means nothing to a reader of the view.
      return `  ${c}: ${bases[0].replace(/^(?:Generated|Defaulted)<(.*)>$/, '$1')};`;
    });
    out = out.replace(
      new RegExp(`export interface ${pascal(view)} \\{[^}]*\\}`),
      `export interface ${pascal(view)} {\n${fields.join('\n')}\n}`,
    );
  }
  return out;
}

const NAMES = [
  'Json',
  'Defaulted',
  'LayerAttribute',
  'PhaseDates',
  'MetaValue',
  'TerritorialLevel',
  'Role',
  'PlanTipo',
  'PlanEstado',
  'ProposalEstado',
  'PbFase',
  'CouncilSector',
  'Sexo',
  'Resolucion',
];

/** The types file for the schema of `db` (already migrated). */
export async function dbTypes(db: Kysely<never>): Promise<string> {
  const usage = await viewUsage(db);
  // A view column passing an overridden column through gets the same override (jsonb, CHECKed text).
  const columns = { ...COLUMNS };
  for (const u of usage) if (COLUMNS[`${u.table}.${u.column}`]) columns[`${u.view}.${u.column}`] = COLUMNS[`${u.table}.${u.column}`];
  // The same schema on both engines: PostGIS's own tables and views are not Brújula's.
  const out = await generate({
    db,
    dialect: new PostgresDialect(),
    outFile: null,
    typeOnlyImports: true,
    excludePattern: '(public.spatial_ref_sys|public.geometry_columns|public.geography_columns|tiger.*|topology.*)',
    // The drivers parse int8 and numeric to numbers and leave dates as text (db/pglite-host.js).
    typeMapping: { int8: 'number', numeric: 'number', date: 'string', geometry: 'unknown' },
    // As raw nodes: the generator's parser for type strings needs TypeScript's JS API, which TypeScript 7 lacks.
    overrides: { columns: Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, new RawExpressionNode(v)])) },
  });
  // A stable header: the generator's version line would change the file on every upgrade.
  const names = NAMES.join(', ');
  return [
    '// Generated by scripts/db-types.ts from migrations/ (kysely-codegen). Do not edit: run',
    '// `node --import tsx scripts/db-types.ts` after a migration.',
    `import type { ${names} } from './column-types.ts';`,
    typedViews(usage, out.replace(/^\/\*\*[\s\S]*?\*\/\n\n/, '')).trimEnd(),
    '',
    `export type { ${names} };`,
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brj-types-'));
  fs.rmSync(dir, { recursive: true });
  const database = await openDatabase({ databaseUrl: null, dataDir: dir });
  try {
    await migrate(database);
    await sql`select 1`.execute(database.db);
    const text = await dbTypes(database.db as unknown as Kysely<never>);
    if (process.argv.includes('--check')) {
      const same = fs.readFileSync(TYPES_FILE, 'utf8') === text;
      console.log(
        same ? 'src/server/db/types.ts is up to date.' : 'src/server/db/types.ts is out of date: run node --import tsx scripts/db-types.ts',
      );
      process.exitCode = same ? 0 : 1;
    } else {
      fs.writeFileSync(TYPES_FILE, text);
      console.log(`Wrote ${path.relative(process.cwd(), TYPES_FILE)}.`);
    }
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
