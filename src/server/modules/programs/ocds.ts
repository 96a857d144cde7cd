import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { periodOrder } from './service.ts';

/**
 * Public works as OCDS 1.1 releases (EDCA‑MX is OCDS 1.1 plus Mexican extensions, so a valid core
 * release is its baseline): planning (budget by source), tender (procedure), award (contractor with
 * RFC), contract (amount, period, amendments) and implementation (physical progress as milestones,
 * evidence documents).
 */

const METHOD = {
  licitacion_publica: ['open', 'Licitación pública'],
  invitacion_tres: ['selective', 'Invitación a cuando menos tres personas'],
  adjudicacion_directa: ['direct', 'Adjudicación directa'],
} as const;

const money = (amount: number | string | null | undefined) =>
  amount === null || amount === undefined ? undefined : { amount: Number(amount), currency: 'MXN' };
const isoDate = (d: string | null | undefined) => (d ? `${d}T00:00:00-06:00` : undefined);
const clean = <T>(o: T): T => JSON.parse(JSON.stringify(o));

export interface OcdsContext {
  ocidPrefix: string;
  publicUrl: string;
}

async function worksData(db: Kysely<DB>, municipalityId: string, actionIds?: number[]) {
  let q = db
    .selectFrom('contracts as c')
    .innerJoin('poa_actions as a', 'a.id', 'c.action_id')
    .innerJoin('poa_programs as p', 'p.id', 'a.program_id')
    .innerJoin('shared_departments as d', 'd.id', 'a.department_id')
    .innerJoin('shared_municipalities as m', 'm.id', 'a.municipality_id')
    .selectAll('c')
    .select([
      'a.clave',
      'a.nombre',
      'a.descripcion',
      'a.avance_fisico',
      'a.updated_at as action_updated_at',
      'a.fecha_inicio as a_inicio',
      'a.fecha_fin as a_fin',
      'p.anio',
      'p.clave as programa_clave',
      'p.nombre as programa',
      'd.name as department',
      'm.name as municipio',
    ])
    .select(
      sql<{
        lon: number;
        lat: number;
      } | null>`case when a.geom is null then null else jsonb_build_object('lon', round(ST_X(ST_PointOnSurface(a.geom))::numeric, 6), 'lat', round(ST_Y(ST_PointOnSurface(a.geom))::numeric, 6)) end`.as(
        'punto',
      ),
    )
    .where('a.municipality_id', '=', municipalityId)
    .where('a.publicado', '=', true)
    .where('a.tipo', '=', 'obra')
    .orderBy('a.clave');
  if (actionIds) q = q.where('a.id', 'in', actionIds.length ? actionIds : [-1]);
  const works = await q.execute();
  if (!works.length) return [];
  const ids = works.map((w) => w.action_id);
  const [budgets, amendments, progress] = await Promise.all([
    db
      .selectFrom('action_budgets as b')
      .innerJoin('funding_sources as f', 'f.id', 'b.funding_source_id')
      .select(['b.action_id', 'f.clave', 'f.nombre', 'b.aprobado', 'b.modificado', 'b.ejercido'])
      .where('b.action_id', 'in', ids)
      .execute(),
    db
      .selectFrom('contract_amendments')
      .select(['id', 'contract_id', 'fecha', 'descripcion', 'monto_nuevo', 'fecha_fin_nueva'])
      .where(
        'contract_id',
        'in',
        works.map((w) => w.id),
      )
      .orderBy('fecha')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('progress_reports as r')
      .select(['r.id', 'r.action_id', 'r.periodo', 'r.avance_fisico', 'r.ejercido', 'r.reviewed_at'])
      .select((eb) =>
        eb
          .selectFrom('evidence_files as e')
          .whereRef('e.report_id', '=', 'r.id')
          .select(
            sql<
              { id: number; nombre: string; mime: string }[]
            >`coalesce(jsonb_agg(jsonb_build_object('id', e.id, 'nombre', e.nombre, 'mime', e.mime) order by e.id), '[]'::jsonb)`.as('x'),
          )
          .as('evidencias'),
      )
      .where('r.action_id', 'in', ids)
      .where('r.estado', '=', 'publicado')
      .orderBy(periodOrder('r.periodo'))
      .execute(),
  ]);
  return works.map((w) => ({
    ...w,
    budgets: budgets.filter((b) => b.action_id === w.action_id),
    amendments: amendments.filter((x) => x.contract_id === w.id),
    progress: progress.filter((r) => r.action_id === w.action_id),
  }));
}

type Work = Awaited<ReturnType<typeof worksData>>[number];

/** The last day of a reporting period: 2026, 2026-S1, 2026-T3 or 2026-08. */
export function periodEnd(periodo: string): string {
  const [y, p = ''] = periodo.split('-');
  const month = p.startsWith('S') ? Number(p.slice(1)) * 6 : p.startsWith('T') ? Number(p.slice(1)) * 3 : p ? Number(p) : 12;
  const last = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  return `${y}-${String(month).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
}

/**
 * Implementation milestones: one `reporting` milestone per published progress report (met when the
 * report was published, due at the end of its period) and the `delivery` of the work, met by the
 * first report at 100 % and otherwise due at the contract's (possibly amended) end.
 */
function milestones(w: Work) {
  const at = (d: Date | string | null) => (d ? new Date(d).toISOString() : undefined);
  const reporting = w.progress.map((r) => ({
    id: `avance-${r.periodo}`,
    title: `Reporte de avance ${r.periodo}`,
    type: 'reporting',
    status: 'met',
    description: `Avance físico ${Number(r.avance_fisico)} %; ejercido acumulado ${Number(r.ejercido).toFixed(2)} MXN.`,
    dueDate: isoDate(periodEnd(r.periodo)),
    dateMet: at(r.reviewed_at),
    dateModified: at(r.reviewed_at),
  }));
  const done = w.progress.find((r) => Number(r.avance_fisico) >= 100);
  const end = [...w.amendments].reverse().find((a) => a.fecha_fin_nueva)?.fecha_fin_nueva ?? w.fecha_fin;
  const delivery = {
    id: 'conclusion',
    title: 'Conclusión de la obra',
    type: 'delivery',
    status: done ? 'met' : 'scheduled',
    dueDate: isoDate(end),
    dateMet: done ? at(done.reviewed_at) : undefined,
  };
  return [...reporting, delivery];
}

export function releaseOf(w: Work, municipalityId: string, ctx: OcdsContext) {
  const ocid = `${ctx.ocidPrefix}-${municipalityId}-${w.clave.replace(/[^A-Za-z0-9-]/g, '-')}`;
  const buyerId = `MX-INEGI-${municipalityId}`;
  const supplierId = w.contratista_rfc ? `MX-RFC-${w.contratista_rfc}` : null;
  const vigente = w.budgets.reduce((s, b) => s + Number(b.modificado ?? b.aprobado), 0);
  const [method, methodDetails] = METHOD[w.procedimiento];
  const actionUrl = `${ctx.publicUrl}/m/${municipalityId}/acciones/${w.action_id}`;
  const tags = ['planning', 'tender'];
  if (w.contratista_nombre || w.fecha_adjudicacion) tags.push('award');
  if (w.fecha_firma || w.monto_contratado !== null) tags.push('contract');
  if (w.progress.length) tags.push('implementation');
  if (w.amendments.length) tags.push('contractAmendment');
  const date = new Date(Math.max(new Date(w.updated_at).getTime(), new Date(w.action_updated_at).getTime())).toISOString();
  const body = {
    ocid,
    date,
    tag: tags,
    initiationType: 'tender',
    language: 'es',
    parties: [
      {
        id: buyerId,
        name: `Municipio de ${w.municipio}`,
        identifier: { scheme: 'MX-INEGI', id: municipalityId, legalName: `Municipio de ${w.municipio}` },
        roles: ['buyer', 'procuringEntity', 'payer'],
      },
      ...(supplierId
        ? [
            {
              id: supplierId,
              name: w.contratista_nombre,
              identifier: { scheme: 'MX-RFC', id: w.contratista_rfc!, legalName: w.contratista_nombre },
              roles: ['supplier', 'tenderer'],
            },
          ]
        : []),
    ],
    buyer: { id: buyerId, name: `Municipio de ${w.municipio}` },
    planning: {
      rationale: `Programa ${w.programa_clave} ${w.programa} (POA ${w.anio}), ${w.department}.`,
      budget: {
        id: `${w.anio}-${w.programa_clave}`,
        description: w.budgets.map((b) => `${b.nombre}: ${Number(b.modificado ?? b.aprobado).toFixed(2)} MXN`).join('; '),
        amount: money(vigente),
        project: w.nombre,
        projectID: w.clave,
        uri: actionUrl,
      },
    },
    tender: {
      id: `${w.clave}-licitacion`,
      title: w.nombre,
      description: w.descripcion || undefined,
      status: w.contratista_nombre ? 'complete' : 'active',
      procuringEntity: { id: buyerId, name: `Municipio de ${w.municipio}` },
      procurementMethod: method,
      procurementMethodDetails: methodDetails,
      mainProcurementCategory: 'works',
      value: money(vigente),
      tenderPeriod: w.fecha_convocatoria ? { startDate: isoDate(w.fecha_convocatoria), endDate: isoDate(w.fecha_adjudicacion) } : undefined,
      // The parties with the role tenderer: only the winning bid is recorded.
      tenderers: supplierId ? [{ id: supplierId, name: w.contratista_nombre }] : undefined,
      items: [
        {
          id: '1',
          description: w.nombre,
          classification: { scheme: 'CUCOP', id: '62000000', description: 'Obra pública' },
          quantity: 1,
          deliveryLocation: w.punto
            ? { geometry: { type: 'Point', coordinates: [Number(w.punto.lon), Number(w.punto.lat)] }, description: w.municipio }
            : undefined,
        },
      ],
    },
    awards: supplierId
      ? [
          {
            id: `${w.clave}-adjudicacion`,
            title: w.nombre,
            status: 'active',
            date: isoDate(w.fecha_adjudicacion),
            value: money(w.monto_contratado),
            suppliers: [{ id: supplierId, name: w.contratista_nombre }],
          },
        ]
      : [],
    contracts:
      supplierId && (w.fecha_firma || w.monto_contratado !== null)
        ? [
            {
              id: w.numero_contrato || `${w.clave}-contrato`,
              awardID: `${w.clave}-adjudicacion`,
              title: w.nombre,
              status: Number(w.avance_fisico) >= 100 ? 'terminated' : 'active',
              value: money(w.monto_contratado),
              dateSigned: isoDate(w.fecha_firma),
              period: { startDate: isoDate(w.fecha_inicio), endDate: isoDate(w.fecha_fin) },
              amendments: w.amendments.map((a) => ({
                id: String(a.id),
                date: isoDate(a.fecha),
                rationale: a.descripcion,
                description:
                  [
                    a.monto_nuevo !== null ? `Monto: ${Number(a.monto_nuevo).toFixed(2)} MXN` : '',
                    a.fecha_fin_nueva ? `Nuevo término: ${a.fecha_fin_nueva}` : '',
                  ]
                    .filter(Boolean)
                    .join('. ') || a.descripcion,
              })),
              implementation: {
                milestones: milestones(w),
                documents: w.progress.flatMap((r) =>
                  (r.evidencias ?? []).map((e) => ({
                    id: `evidencia-${e.id}`,
                    documentType: 'physicalProgressReport',
                    title: `${r.periodo}: ${e.nombre}`,
                    url: `${ctx.publicUrl}/api/v1/municipalities/${municipalityId}/evidence/${e.id}`,
                    format: e.mime,
                    language: 'es',
                  })),
                ),
              },
            },
          ]
        : [],
  };
  const release = clean(body);
  // A release id changes exactly when its content does.
  const hash = crypto.createHash('sha256').update(JSON.stringify(release)).digest('hex').slice(0, 12);
  return { id: `${ocid}-${hash}`, ...release };
}

export async function releasePackage(db: Kysely<DB>, municipalityId: string, ctx: OcdsContext, actionIds?: number[]) {
  const works = await worksData(db, municipalityId, actionIds);
  const releases = works.map((w) => releaseOf(w, municipalityId, ctx));
  // biome-ignore lint/complexity/useMathMinMax: ISO 8601 strings, compared as text.
  const published = releases.reduce((m, r) => (r.date > m ? r.date : m), '1970-01-01T00:00:00.000Z');
  return {
    uri: `${ctx.publicUrl}/api/v1/municipalities/${municipalityId}/ocds/releases.json${actionIds?.length === 1 ? `?obra=${actionIds[0]}` : ''}`,
    version: '1.1' as const,
    publishedDate: releases.length ? published : new Date().toISOString(),
    publisher: { name: `Municipio ${municipalityId} — Brújula`, uri: ctx.publicUrl },
    license: 'https://creativecommons.org/licenses/by/4.0/',
    publicationPolicy: `${ctx.publicUrl}/datos-abiertos`,
    releases,
  };
}

/**
 * A record package: one record per work (ocid) with its release embedded and the compiled release.
 * Brújula publishes the current state of each work, so a record holds one release and its compiled
 * release is that release tagged `compiled`.
 */
export async function recordPackage(db: Kysely<DB>, municipalityId: string, ctx: OcdsContext, actionIds?: number[]) {
  const pkg = await releasePackage(db, municipalityId, ctx, actionIds);
  const only = actionIds?.length === 1 ? `?obra=${actionIds[0]}` : '';
  return {
    uri: `${ctx.publicUrl}/api/v1/municipalities/${municipalityId}/ocds/records.json${only}`,
    version: pkg.version,
    publishedDate: pkg.publishedDate,
    publisher: pkg.publisher,
    license: pkg.license,
    publicationPolicy: pkg.publicationPolicy,
    packages: [pkg.uri],
    records: pkg.releases.map((r) => ({
      ocid: r.ocid,
      releases: [r],
      compiledRelease: { ...r, id: `${r.ocid}-compiled`, tag: ['compiled'] },
    })),
  };
}
