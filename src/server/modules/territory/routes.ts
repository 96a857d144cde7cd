import { scheduleBasemap } from '../gis/api.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { withActor } from '../../db/connection.ts';
import { paginate } from '../../db/paginate.ts';
import type { TerritorialLevel } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { actorOf, authorize, hasRole, requireUser } from '../../plugins/auth.ts';
import { errors, Message, MunicipalityId, Nullable, Paged, PageQuery } from '../../schemas.ts';
import { importTerritory } from './importer.ts';
import { IMPORT_LEVELS as LEVELS } from './levels.ts';
import * as repo from './repo.ts';
import * as S from './schemas.ts';
import { readUpload } from '../../upload.ts';
import { registerHistoryRules } from '../audit/api.ts';
import { HISTORY } from './history.ts';

const territoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  registerHistoryRules(HISTORY);
  app.get(
    '/states',
    {
      schema: {
        tags: ['territorio'],
        summary: 'Entidades federativas (catálogo INEGI)',
        response: {
          200: S.States,
        },
      },
    },
    async () =>
      (await repo.listStates(app.db)).map((s) => ({
        cveEnt: s.cve_ent,
        name: s.name,
        abbreviation: s.abbreviation,
        activeMunicipalities: Number(s.active_municipalities ?? 0),
      })),
  );

  app.get(
    '/municipalities',
    {
      schema: {
        tags: ['territorio'],
        summary: 'Municipios de la instalación',
        querystring: Type.Object({
          cveEnt: Type.Optional(Type.String({ pattern: '^[0-9]{2}$' })),
          active: Type.Optional(Type.Boolean()),
          q: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: { 200: Type.Array(S.MunicipalityOut) },
      },
    },
    async (req) => (await repo.listMunicipalities(app.db, req.query)).map(S.municipalityOut),
  );

  app.get(
    '/municipalities/:municipalityId',
    {
      schema: {
        tags: ['territorio'],
        summary: 'Ficha de un municipio: extensión, población y unidades territoriales por nivel',
        params: Type.Object({ municipalityId: MunicipalityId }),
        response: {
          200: S.MunicipalityDetail,
          ...errors(404),
        },
      },
    },
    async (req) => {
      const m = await repo.getMunicipality(app.db, req.params.municipalityId);
      if (!m) throw new AppError('BRJ_ERR_MUNICIPALITY_NOT_FOUND');
      const counts = await repo.levelCounts(app.db, m.id);
      return {
        ...S.municipalityOut(m),
        unitId: m.unit_id,
        bbox: m.bbox ? (m.bbox.map(Number) as [number, number, number, number]) : null,
        levels: Object.fromEntries(counts.map((c) => [c.level, Number(c.n)])),
      };
    },
  );

  app.patch(
    '/municipalities/:municipalityId',
    {
      schema: {
        tags: ['territorio'],
        summary: 'Activar o desactivar un municipio en la instalación (administración estatal)',
        params: Type.Object({ municipalityId: MunicipalityId }),
        body: Type.Object({ active: Type.Optional(Type.Boolean()), name: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })) }),
        response: { 200: Message, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      authorize(req, ['admin'], null);
      const r = await withActor(app.db, actorOf(req), (trx) =>
        trx
          .updateTable('municipalities')
          .set({ ...(req.body.active !== undefined && { active: req.body.active }), ...(req.body.name && { name: req.body.name }) })
          .where('id', '=', req.params.municipalityId)
          .executeTakeFirst(),
      );
      if (!r.numUpdatedRows) throw new AppError('BRJ_ERR_MUNICIPALITY_NOT_FOUND');
      // The basemap covers the active municipalities.
      if (req.body.active !== undefined && app.config.basemapAuto) scheduleBasemap(app.db, app.config.dataDir, app.log);
      return { message: 'Municipio actualizado.' };
    },
  );

  app.get(
    '/municipalities/:municipalityId/units',
    {
      schema: {
        tags: ['territorio'],
        summary: 'Unidades territoriales de un municipio (sin geometría)',
        params: Type.Object({ municipalityId: MunicipalityId }),
        querystring: Type.Object({
          level: Type.Optional(S.Level),
          q: Type.Optional(Type.String({ maxLength: 100, description: 'Busca por nombre (sin acentos) o clave' })),
          parentId: Type.Optional(Type.Integer()),
          ...PageQuery,
        }),
        response: { 200: Paged(S.UnitOut) },
      },
    },
    async (req) => {
      const { page, limit, ...f } = req.query;
      const base = repo.unitsQuery(app.db, req.params.municipalityId, { ...f, level: f.level as TerritorialLevel | undefined });
      const { items, total } = await paginate(base.select(repo.UNIT_COLUMNS).orderBy('u.level').orderBy('u.cvegeo'), page, limit);
      return { items: items.map(S.unitOut), total, page, limit };
    },
  );

  app.get(
    '/municipalities/:municipalityId/places',
    {
      schema: {
        tags: ['territorio'],
        summary: 'Buscar lugares por nombre (localidades, colonias, AGEB) con su extensión, para los mapas',
        params: Type.Object({ municipalityId: MunicipalityId }),
        querystring: Type.Object({ q: Type.String({ minLength: 2, maxLength: 100 }) }),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.Integer(),
              level: Type.String(),
              name: Type.String(),
              cvegeo: Type.String(),
              bbox: Type.Array(Type.Number()),
            }),
          ),
        },
      },
    },
    async (req) => repo.places(app.db, req.params.municipalityId, req.query.q.trim()),
  );

  app.get(
    '/municipalities/:municipalityId/units.geojson',
    {
      schema: {
        tags: ['territorio'],
        summary: 'Unidades territoriales de un nivel como GeoJSON (EPSG:4326)',
        params: Type.Object({ municipalityId: MunicipalityId }),
        querystring: Type.Object({
          level: S.Level,
          tolerance: Type.Number({
            minimum: 0,
            maximum: 0.1,
            default: 0,
            description: 'Simplificación en grados (0 = geometría completa)',
          }),
        }),
        response: { 200: Type.Unsafe<unknown>({ type: 'object', description: 'GeoJSON FeatureCollection' }) },
      },
    },
    async (req, reply) => {
      const fc = await repo.unitsGeoJson(app.db, req.params.municipalityId, req.query.level as TerritorialLevel, req.query.tolerance);
      return reply.type('application/geo+json; charset=utf-8').header('cache-control', 'public, max-age=60').send(fc);
    },
  );

  app.get(
    '/units/:unitId',
    {
      schema: {
        tags: ['territorio'],
        summary: 'Una unidad territorial con su geometría y atributos',
        params: Type.Object({ unitId: Type.Integer() }),
        response: {
          200: Type.Object({ ...S.UnitOut.properties, attributes: Type.Record(Type.String(), Type.Unknown()), geometry: Type.Unknown() }),
          ...errors(404),
        },
      },
    },
    async (req) => {
      const u = await repo.getUnit(app.db, req.params.unitId);
      if (!u) throw new AppError('BRJ_ERR_NOT_FOUND', 'La unidad territorial no existe.');
      return { ...S.unitOut(u), attributes: u.attributes as Record<string, unknown>, geometry: JSON.parse(u.geometry) };
    },
  );

  app.get(
    '/territory/imports',
    {
      schema: {
        tags: ['territorio'],
        summary: 'Historial de importaciones territoriales',
        querystring: Type.Object({
          municipalityId: Type.Optional(MunicipalityId),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.Integer(),
              municipalityId: Nullable(Type.String()),
              level: Type.String(),
              fileName: Type.String(),
              format: Type.String(),
              sourceSrid: Nullable(Type.Integer()),
              features: Type.Integer(),
              inserted: Type.Integer(),
              updated: Type.Integer(),
              repaired: Type.Integer(),
              rejected: Type.Integer(),
              createdAt: Type.String({ format: 'date-time' }),
            }),
          ),
        },
      },
    },
    async (req) =>
      (await repo.listImports(app.db, req.query.municipalityId ?? null, req.query.limit)).map((i) => ({
        id: i.id,
        municipalityId: i.municipality_id,
        level: i.level,
        fileName: i.file_name,
        format: i.format,
        sourceSrid: i.source_srid,
        features: i.features,
        inserted: i.inserted,
        updated: i.updated,
        repaired: i.repaired,
        rejected: i.rejected,
        createdAt: new Date(i.created_at).toISOString(),
      })),
  );

  app.post(
    '/territory/imports',
    {
      schema: {
        tags: ['territorio'],
        summary: 'Importar unidades territoriales (GeoJSON, Shapefile .zip, GeoPackage o KML/KMZ)',
        description:
          'Formulario multipart: los campos level, keyField, nameField, populationField, municipalityId, layer, dryRun (true/false), onInvalid (fail/skip), missingName (skip, key, o un objeto JSON {clave: "skip"|"key"} para elegir por elemento qué hacer con los que no tienen nombre) y, al final, `file`. Un Shapefile debe traer .shp, .shx, .dbf y .prj. Todo o nada: si falla, no se guarda ningún registro.',
        consumes: ['multipart/form-data'],
        response: { 200: S.ImportReportOut, 201: S.ImportReportOut, ...errors(400, 401, 403, 413, 415, 422) },
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      const { nombre, bytes, field } = await readUpload(req);
      const level = field('level') as TerritorialLevel | undefined;
      const keyField = field('keyField');
      const nameField = field('nameField');
      if (!level || !LEVELS.includes(level))
        throw new AppError('BRJ_ERR_VALIDATION', `Indique el nivel territorial (${LEVELS.join(', ')}).`);
      if (!keyField || !nameField)
        throw new AppError('BRJ_ERR_VALIDATION', 'Indique el campo de la clave (keyField) y el del nombre (nameField).');
      const municipalityId = field('municipalityId');
      if (municipalityId && !/^\d{5}$/.test(municipalityId))
        throw new AppError('BRJ_ERR_VALIDATION', 'municipalityId debe tener 5 dígitos.');
      const dryRun = field('dryRun') === 'true';
      const missingName = parseMissingName(field('missingName'));
      const report = await importTerritory(app.db, actorOf(req), bytes, {
        level,
        keyField,
        nameField,
        populationField: field('populationField'),
        municipalityId,
        layer: field('layer'),
        dryRun,
        onInvalid: field('onInvalid') === 'skip' ? 'skip' : 'fail',
        missingName,
        fileName: nombre,
        // Planners (or admins) of every municipality touched; new municipalities thus need a state-wide grant.
        authorize: (mids) => {
          const denied = mids.filter((m) => !hasRole(user, ['planner'], m));
          if (denied.length)
            throw new AppError('BRJ_ERR_FORBIDDEN', `No tiene permiso de planeación en: ${denied.slice(0, 10).join(', ')}.`);
        },
      });
      if (report.committed && !dryRun && app.config.basemapAuto) scheduleBasemap(app.db, app.config.dataDir, app.log);
      return reply.status(report.committed && !dryRun ? 201 : 200).send(report);
    },
  );
};

/** missingName: 'skip', 'key', or a JSON object choosing per key. */
function parseMissingName(raw: string | undefined) {
  if (raw === undefined) return undefined;
  if (raw === 'skip' || raw === 'key') return raw;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    v = null;
  }
  if (
    !v ||
    typeof v !== 'object' ||
    Array.isArray(v) ||
    Object.values(v).some((c) => c !== 'skip' && c !== 'key') ||
    Object.keys(v).length > 100_000
  ) {
    throw new AppError('BRJ_ERR_VALIDATION', 'missingName debe ser skip, key o un objeto {clave: "skip" | "key"}.');
  }
  return v as Record<string, 'skip' | 'key'>;
}

export default territoryRoutes;
