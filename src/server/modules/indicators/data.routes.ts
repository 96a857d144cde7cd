// Indicators' data: the municipality's variables and the loads of observations (files or JSON rows).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { withActor } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { actorOf, authorize, hasRole, requireUser } from '../../plugins/auth.ts';
import { errors, MunicipalityId } from '../../schemas.ts';
import { readUpload } from '../../upload.ts';
import { loadObservations, loadRows } from './load.ts';
import * as S from './schemas.ts';

const Params = Type.Object({ municipalityId: MunicipalityId });

const dataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/municipalities/:municipalityId/variables',
    { schema: { tags: ['indicadores'], summary: 'Variables del municipio', params: Params, response: { 200: Type.Array(S.VariableOut) } } },
    async (req) =>
      (
        await app.db
          .selectFrom('indicator_variables')
          .selectAll()
          .where('municipality_id', '=', req.params.municipalityId)
          .orderBy('clave')
          .execute()
      ).map(S.variableOut),
  );

  app.post(
    '/municipalities/:municipalityId/variables',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Crear una variable (con su medio de verificación)',
        params: Params,
        body: S.Variable,
        response: { 201: Type.Object({ id: Type.Integer() }), ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      authorize(req, ['planner'], mid);
      const b = req.body;
      if (
        await app.db
          .selectFrom('indicator_variables')
          .select('id')
          .where('municipality_id', '=', mid)
          .where('clave', '=', b.clave)
          .executeTakeFirst()
      ) {
        throw new AppError('BRJ_ERR_CONFLICT', `Ya existe la variable ${b.clave}.`);
      }
      if (
        b.departmentId != null &&
        !(await app.db
          .selectFrom('shared_departments')
          .select('id')
          .where('id', '=', b.departmentId)
          .where('municipality_id', '=', mid)
          .executeTakeFirst())
      ) {
        throw new AppError('BRJ_ERR_VALIDATION', 'La dependencia no pertenece a este municipio.');
      }
      const v = await withActor(app.db, actorOf(req), (trx) =>
        trx
          .insertInto('indicator_variables')
          .values({
            municipality_id: mid,
            clave: b.clave,
            nombre: b.nombre,
            unidad: b.unidad ?? '',
            fuente: b.fuente ?? '',
            agregacion: b.agregacion ?? 'suma',
            department_id: b.departmentId ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
      return reply.status(201).send({ id: v.id });
    },
  );

  app.post(
    '/municipalities/:municipalityId/indicators/data',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Cargar observaciones desde CSV o XLSX (formato largo: clave, cvegeo, periodo, desagregacion, valor)',
        description: 'Multipart: `file` y `dryRun` (true/false). Todo o nada. Los enlaces solo cargan variables de su dependencia.',
        params: Params,
        consumes: ['multipart/form-data'],
        response: { 200: S.LoadReportOut, 201: S.LoadReportOut, ...errors(400, 401, 403, 413, 415, 422) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = requireUser(req);
      if (!hasRole(user, ['planner', 'enlace'], mid)) throw new AppError('BRJ_ERR_FORBIDDEN');
      const file = await readUpload(req);
      const dryRun = file.field('dryRun') === 'true';
      const planner = hasRole(user, ['planner'], mid);
      const report = await loadObservations(app.db, actorOf(req), mid, file.nombre, file.bytes, {
        dryRun,
        // Planners load any variable; an enlace only those of a department they are liaison for.
        allowedVariable: (v) => planner || (v.department_id !== null && hasRole(user, ['enlace'], mid, { departmentId: v.department_id })),
      });
      return reply.status(report.committed && !dryRun ? 201 : 200).send(report);
    },
  );

  app.post(
    '/municipalities/:municipalityId/indicators/data.json',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Enviar observaciones en JSON (sistemas de las dependencias, con token de API)',
        description:
          'Autenticación: `Authorization: Bearer brj_…` (token de una dependencia) o sesión. Todo o nada; mismas validaciones que la carga de archivos.',
        params: Params,
        body: Type.Object({
          dryRun: Type.Optional(Type.Boolean()),
          fuente: Type.Optional(Type.String({ maxLength: 200 })),
          observaciones: Type.Array(
            Type.Object({
              clave: Type.String({ maxLength: 40 }),
              cvegeo: Type.String({ maxLength: 40 }),
              periodo: Type.String({ maxLength: 10 }),
              desagregacion: Type.Optional(Type.String({ maxLength: 60 })),
              valor: Type.Union([Type.Number(), Type.String({ maxLength: 40 })]),
            }),
            { minItems: 1, maxItems: 100000 },
          ),
        }),
        response: { 200: S.LoadReportOut, 201: S.LoadReportOut, ...errors(400, 401, 403, 422) },
      },
      bodyLimit: 32 * 1024 * 1024,
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = requireUser(req);
      if (!hasRole(user, ['planner', 'enlace'], mid)) throw new AppError('BRJ_ERR_FORBIDDEN');
      const planner = hasRole(user, ['planner'], mid);
      const rows = req.body.observaciones.map((o) => ({
        clave: o.clave,
        cvegeo: o.cvegeo,
        periodo: o.periodo,
        desagregacion: o.desagregacion ?? '',
        valor: String(o.valor),
      }));
      const report = await loadRows(
        app.db,
        actorOf(req),
        mid,
        req.body.fuente ?? (req.apiToken ? `API: ${req.apiToken.name}` : 'API'),
        rows,
        {
          dryRun: req.body.dryRun,
          allowedVariable: (v) =>
            planner || (v.department_id !== null && hasRole(user, ['enlace'], mid, { departmentId: v.department_id })),
        },
      );
      if (req.apiToken)
        await app.db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', req.apiToken.id).execute();
      return reply.status(report.committed && !req.body.dryRun ? 201 : 200).send(report);
    },
  );
};

export default dataRoutes;
