import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors.ts';
import { paginate } from '../../db/paginate.ts';
import { actorOf, authorize, hasRole, requireUser } from '../../plugins/auth.ts';
import {
  CSV,
  errors,
  FeatureCollection,
  Geometry,
  FileOf,
  IMAGE,
  lit,
  Message,
  MunicipalityId,
  Nullable,
  OcdsPackage,
  OcdsRecordPackage,
  PageQuery,
  PDF,
  XLSX,
} from '../../schemas.ts';
import * as plans from '../plans/api.ts';
import { recordPackage, releasePackage } from './ocds.ts';
import * as S from './schemas.ts';
import * as service from './service.ts';
import { readUpload } from '../../upload.ts';
import { registerHistoryRules } from '../audit/api.ts';
import { HISTORY } from './history.ts';

const tags = ['programas'];
const Params = Type.Object({ municipalityId: MunicipalityId });
const IdParams = Type.Object({ municipalityId: MunicipalityId, id: Type.Integer() });
const DateStr = Type.String({ format: 'date' });

const Budget = Type.Object({
  fuente: Type.String({ maxLength: 40, description: 'Clave de la fuente: FISM-DF, FORTAMUN-DF, PROPIOS…' }),
  aprobado: Type.Number({ minimum: 0 }),
  modificado: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
  ejercido: Type.Optional(Type.Number({ minimum: 0 })),
});
const ActionFields = {
  programId: Type.Integer(),
  clave: Type.String({ minLength: 1, maxLength: 40 }),
  nombre: Type.String({ minLength: 3, maxLength: 300 }),
  descripcion: Type.Optional(Type.String({ maxLength: 8000 })),
  tipo: Type.Optional(lit('accion', 'obra')),
  ubicacion: Type.Optional(Nullable(Geometry)),
  beneficiarios: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
  beneficiariosDescripcion: Type.Optional(Type.String({ maxLength: 500 })),
  fechaInicio: Type.Optional(Nullable(DateStr)),
  fechaFin: Type.Optional(Nullable(DateStr)),
  publicado: Type.Optional(Type.Boolean()),
  presupuesto: Type.Optional(Type.Array(Budget, { maxItems: 20 })),
  alineacion: Type.Optional(Type.Array(Type.Integer(), { maxItems: 50, description: 'Elementos de plan a los que sirve' })),
};
const MirFields = {
  nivel: lit('fin', 'proposito', 'componente', 'actividad'),
  resumenNarrativo: Type.String({ minLength: 3, maxLength: 2000 }),
  indicatorId: Type.Optional(Nullable(Type.Integer())),
  indicadorTexto: Type.Optional(Type.String({ maxLength: 1000 })),
  mediosVerificacion: Type.Optional(Type.String({ maxLength: 2000 })),
  supuestos: Type.Optional(Type.String({ maxLength: 2000 })),
  posicion: Type.Optional(Type.Integer({ minimum: 0 })),
};
const ActionQuery = Type.Object({
  anio: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2200 })),
  tipo: Type.Optional(lit('accion', 'obra')),
  departmentId: Type.Optional(Type.Integer()),
  programId: Type.Optional(Type.Integer()),
  elementId: Type.Optional(Type.Integer({ description: 'Acciones alineadas al elemento de plan o a cualquiera de sus hijos' })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
});

const programsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  registerHistoryRules(HISTORY);
  plans.registerElementReferences(service.alignedActions);
  const planner = (req: Parameters<typeof requireUser>[0], mid: string) => authorize(req, ['planner'], mid);

  app.get(
    '/municipalities/:municipalityId/funding-sources',
    { schema: { tags, summary: 'Catálogo de fuentes de financiamiento', params: Params, response: { 200: Type.Array(S.FundingSource) } } },
    async (req) => (await service.fundingSources(app.db, req.params.municipalityId)).map(S.fundingSourceOut),
  );
  app.post(
    '/municipalities/:municipalityId/funding-sources',
    {
      schema: {
        tags,
        summary: 'Agregar o modificar una fuente propia del municipio',
        params: Params,
        body: Type.Object({
          clave: Type.String({ pattern: '^[A-Z0-9][A-Z0-9_-]{0,39}$' }),
          nombre: Type.String({ minLength: 3, maxLength: 300 }),
          ordenGobierno: lit('federal', 'estatal', 'municipal', 'otro'),
          activo: Type.Optional(Type.Boolean()),
        }),
        response: { 201: S.FundingSource, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply
        .status(201)
        .send(S.fundingSourceOut(await service.saveFundingSource(app.db, actorOf(req), req.params.municipalityId, req.body)));
    },
  );

  // Programs and MIR
  app.get(
    '/municipalities/:municipalityId/programs',
    {
      schema: {
        tags,
        summary: 'Programas del POA con totales',
        params: Params,
        querystring: Type.Object({ anio: Type.Optional(Type.Integer()) }),
        response: { 200: S.ProgramList },
      },
    },
    async (req) => ({
      anios: await service.years(app.db, req.params.municipalityId),
      programas: (await service.listPrograms(app.db, req.params.municipalityId, req.query.anio, req.user)).map(S.programListItemOut),
    }),
  );
  app.post(
    '/municipalities/:municipalityId/programs',
    {
      schema: {
        tags,
        summary: 'Crear un programa del POA',
        params: Params,
        body: Type.Object({
          anio: Type.Integer({ minimum: 2000, maximum: 2200 }),
          departmentId: Type.Integer(),
          clave: Type.String({ minLength: 1, maxLength: 40 }),
          nombre: Type.String({ minLength: 3, maxLength: 300 }),
          descripcion: Type.Optional(Type.String({ maxLength: 4000 })),
        }),
        response: { 201: S.Program, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply.status(201).send(S.programOut(await service.createProgram(app.db, actorOf(req), req.params.municipalityId, req.body)));
    },
  );
  app.get(
    '/municipalities/:municipalityId/programs/:id',
    {
      schema: {
        tags,
        summary: 'Un programa con su MIR y sus acciones',
        params: IdParams,
        response: { 200: S.ProgramDetail, ...errors(404) },
      },
    },
    async (req) => {
      const p = await service.getProgram(app.db, req.params.municipalityId, req.params.id);
      const acciones = await service.actionsQuery(app.db, req.params.municipalityId, { programId: p.id }, req.user).execute();
      return S.programDetailOut(p, await service.mirRows(app.db, p.id), acciones);
    },
  );
  app.post(
    '/municipalities/:municipalityId/programs/:id/mir',
    {
      schema: {
        tags,
        summary: 'Agregar una fila a la MIR',
        params: IdParams,
        body: Type.Object(MirFields),
        response: { 201: S.SavedMirRow, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply
        .status(201)
        .send(S.savedMirRowOut(await service.saveMirRow(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body)));
    },
  );
  const MirParams = Type.Object({ municipalityId: MunicipalityId, id: Type.Integer(), rowId: Type.Integer() });
  app.patch(
    '/municipalities/:municipalityId/programs/:id/mir/:rowId',
    {
      schema: {
        tags,
        summary: 'Modificar una fila de la MIR',
        params: MirParams,
        body: Type.Partial(Type.Object(MirFields)),
        response: { 200: S.SavedMirRow, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return S.savedMirRowOut(
        await service.saveMirRow(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body, req.params.rowId),
      );
    },
  );
  app.delete(
    '/municipalities/:municipalityId/programs/:id/mir/:rowId',
    { schema: { tags, summary: 'Eliminar una fila de la MIR', params: MirParams, response: { 200: Message, ...errors(401, 403, 404) } } },
    async (req) => {
      planner(req, req.params.municipalityId);
      await service.deleteMirRow(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.params.rowId);
      return { message: 'Fila eliminada.' };
    },
  );

  // Actions and public works
  app.get(
    '/municipalities/:municipalityId/actions',
    {
      schema: {
        tags,
        summary: 'Acciones y obras del POA (paginado)',
        params: Params,
        querystring: Type.Object({ ...ActionQuery.properties, ...PageQuery }),
        response: { 200: S.ActionPage },
      },
    },
    async (req) => {
      const { page, limit, ...f } = req.query;
      const { items, total } = await paginate(service.actionsQuery(app.db, req.params.municipalityId, f, req.user), page, limit);
      return { items: items.map(S.actionRowOut), total, page, limit };
    },
  );
  app.get(
    '/municipalities/:municipalityId/actions.:formato',
    {
      schema: {
        tags,
        summary: 'Descargar acciones y obras (CSV o XLSX) con presupuesto, avance y líneas del plan',
        params: Type.Object({ municipalityId: MunicipalityId, formato: lit('csv', 'xlsx') }),
        querystring: ActionQuery,
        response: { 200: FileOf('Acciones en CSV o XLSX', CSV, XLSX), ...errors(404) },
      },
    },
    async (req, reply) => {
      const rows = await service.actionsExport(app.db, req.params.municipalityId, req.query, req.user);
      const name = `acciones_${req.params.municipalityId}${req.query.anio ? `_${req.query.anio}` : ''}`;
      if (req.params.formato === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(service.toCsv(rows));
      }
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}.xlsx"`)
        .send(await service.toXlsx(rows));
    },
  );
  app.get(
    '/municipalities/:municipalityId/actions.geojson',
    {
      schema: {
        tags,
        summary: 'Acciones y obras ubicadas, como capa GeoJSON',
        params: Params,
        querystring: ActionQuery,
        response: { 200: FeatureCollection, ...errors(404) },
      },
    },
    async (req, reply) =>
      reply.type('application/geo+json').send(await service.actionsGeoJson(app.db, req.params.municipalityId, req.query, req.user)),
  );
  app.post(
    '/municipalities/:municipalityId/actions',
    {
      schema: {
        tags,
        summary: 'Crear una acción u obra del POA',
        params: Params,
        body: Type.Object(ActionFields),
        response: { 201: S.ActionCreated, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply.status(201).send(await service.createAction(app.db, actorOf(req), req.params.municipalityId, req.body));
    },
  );
  app.get(
    '/municipalities/:municipalityId/actions/:id',
    {
      schema: {
        tags,
        summary: 'Una acción u obra: líneas del plan, metas e indicadores, dinero por fuente, avances con evidencias, ubicación y contrato',
        params: IdParams,
        response: { 200: S.ActionDetail, ...errors(404) },
      },
    },
    async (req) => S.actionDetailOut(await service.actionDetail(app.db, req.params.municipalityId, req.params.id, req.user)),
  );
  app.patch(
    '/municipalities/:municipalityId/actions/:id',
    {
      schema: {
        tags,
        summary: 'Modificar una acción (presupuesto y alineación se reemplazan completos)',
        params: IdParams,
        body: Type.Partial(Type.Object(ActionFields)),
        response: { 200: S.ActionUpdated, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return service.updateAction(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body);
    },
  );
  app.delete(
    '/municipalities/:municipalityId/actions/:id',
    {
      schema: {
        tags,
        summary: 'Eliminar una acción sin avances publicados',
        params: IdParams,
        response: { 200: Message, ...errors(401, 403, 404, 409) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      await service.deleteAction(app.db, actorOf(req), req.params.municipalityId, req.params.id);
      return { message: 'Acción eliminada.' };
    },
  );

  app.put(
    '/municipalities/:municipalityId/actions/:id/contract',
    {
      schema: {
        tags,
        summary: 'Datos de contrato de una obra pública (la marca como obra)',
        params: IdParams,
        body: Type.Object({
          procedimiento: S.PROCEDIMIENTO,
          numeroContrato: Type.Optional(Type.String({ maxLength: 100 })),
          contratistaNombre: Type.Optional(Type.String({ maxLength: 300 })),
          contratistaRfc: Type.Optional(Nullable(Type.String({ maxLength: 13 }))),
          montoContratado: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
          fechaConvocatoria: Type.Optional(Nullable(DateStr)),
          fechaAdjudicacion: Type.Optional(Nullable(DateStr)),
          fechaFirma: Type.Optional(Nullable(DateStr)),
          fechaInicio: Type.Optional(Nullable(DateStr)),
          fechaFin: Type.Optional(Nullable(DateStr)),
        }),
        response: { 200: S.SavedContract, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return S.savedContractOut(await service.saveContract(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body));
    },
  );
  app.post(
    '/municipalities/:municipalityId/actions/:id/contract/amendments',
    {
      schema: {
        tags,
        summary: 'Registrar un convenio modificatorio',
        params: IdParams,
        body: Type.Object({
          fecha: DateStr,
          descripcion: Type.String({ minLength: 3, maxLength: 2000 }),
          montoNuevo: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
          fechaFinNueva: Type.Optional(Nullable(DateStr)),
        }),
        response: { 201: S.Amendment, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply
        .status(201)
        .send(S.amendmentOut(await service.addAmendment(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body)));
    },
  );

  // Progress reports with evidence
  app.get(
    '/municipalities/:municipalityId/reports',
    {
      schema: {
        tags,
        summary: 'Reportes de avance (personal: por revisar; enlaces ven los de su dependencia)',
        params: Params,
        querystring: Type.Object({ estado: Type.Optional(lit('enviado', 'publicado', 'devuelto')) }),
        response: { 200: Type.Array(S.Report), ...errors(401, 403) },
      },
    },
    async (req) => {
      const mid = req.params.municipalityId;
      const user = authorize(req, ['planner', 'enlace'], mid);
      const departmentIds = hasRole(user, ['planner'], mid)
        ? undefined
        : user.grants
            .filter((g) => g.role === 'enlace' && (g.municipalityId === mid || g.municipalityId === null) && g.departmentId !== null)
            .map((g) => g.departmentId!);
      return (await service.reports(app.db, { municipalityId: mid, estado: req.query.estado, departmentIds })).map(S.reportOut);
    },
  );
  app.post(
    '/municipalities/:municipalityId/actions/:id/reports',
    {
      schema: {
        tags,
        summary: 'Reportar el avance de un periodo (enlace de la dependencia o planeación)',
        params: IdParams,
        body: Type.Object({
          periodo: Type.String({ pattern: '^[0-9]{4}-(T[1-4]|(0[1-9]|1[0-2]))$', description: 'Trimestre (2026-T2) o mes (2026-05)' }),
          avanceFisico: Type.Number({ minimum: 0, maximum: 100 }),
          ejercido: Type.Optional(Type.Number({ minimum: 0 })),
          narrativa: Type.Optional(Type.String({ maxLength: 8000 })),
        }),
        response: { 201: S.SubmittedReport, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          S.submittedReportOut(
            await service.submitReport(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body, requireUser(req)),
          ),
        ),
  );

  app.post(
    '/municipalities/:municipalityId/reports/:id/evidence',
    {
      schema: {
        tags,
        summary: 'Adjuntar evidencia (JPEG, PNG, WebP o PDF) a un reporte de avance',
        description: `multipart/form-data, campo "file". Se verifica el tipo real por su contenido; tamaño máximo configurable (BRUJULA_EVIDENCE_MAX_MB).`,
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 201: S.Evidence, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      // Permission first: an upload is not read for someone who may not attach it.
      await service.assertEvidenceTarget(app.db, req.params.municipalityId, req.params.id, user);
      const file = await readUpload(req, app.config.evidenceMaxMb, 'Reduzca la imagen o divida el PDF.');
      return reply
        .status(201)
        .send(
          await service.addEvidence(
            app.db,
            actorOf(req),
            req.params.municipalityId,
            req.params.id,
            { nombre: file.nombre, bytes: file.bytes },
            user,
          ),
        );
    },
  );
  app.get(
    '/municipalities/:municipalityId/evidence/:id',
    {
      schema: {
        tags,
        summary: 'Descargar una evidencia',
        params: IdParams,
        response: { 200: FileOf('La evidencia tal como se cargó', ...IMAGE, PDF), ...errors(404) },
      },
    },
    async (req, reply) => {
      const e = await service.getEvidence(app.db, req.params.municipalityId, req.params.id, req.user);
      return reply
        .type(e.mime)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .header('etag', `"${e.sha256}"`)
        .header('cache-control', 'public, max-age=86400')
        .header('content-disposition', `inline; filename="${encodeURIComponent(e.nombre)}"`)
        .send(e.contenido);
    },
  );
  app.post(
    '/municipalities/:municipalityId/reports/:id/review',
    {
      schema: {
        tags,
        summary: 'Publicar o devolver un reporte de avance (planeación)',
        params: IdParams,
        body: Type.Object({ decision: lit('publicar', 'devolver'), nota: Type.Optional(Type.String({ maxLength: 2000 })) }),
        response: { 200: S.Reviewed, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = planner(req, req.params.municipalityId);
      return service.reviewReport(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body, user);
    },
  );

  // The golden thread from the plan side
  const ElParams = Type.Object({ municipalityId: MunicipalityId, planId: Type.Integer(), elementId: Type.Integer() });
  app.get(
    '/municipalities/:municipalityId/plans/:planId/elements/:elementId/rollup',
    {
      schema: {
        tags: ['planes', ...tags],
        summary: 'Acciones y dinero alineados al elemento (y sus hijos) con el avance ponderado por presupuesto',
        params: ElParams,
        querystring: Type.Object({ municipio: Type.Optional(MunicipalityId) }),
        response: { 200: S.ElementRollup, ...errors(404) },
      },
    },
    async (req) => {
      const plan = await plans.getPlan(app.db, req.params.municipalityId, req.params.planId, req.user);
      const e = await plans.getElement(app.db, req.params.elementId);
      if (e.plan_id !== plan.id) throw new AppError('BRJ_ERR_NOT_FOUND', 'El elemento no pertenece a este plan.');
      // Higher plans (PED) live in the state's tenant: their actions are those of the municipality asking.
      const actionsOf = req.query.municipio ?? req.params.municipalityId;
      const r = await service.elementRollup(app.db, actionsOf, e.id, req.user);
      return { ...r, acciones: r.acciones.map(S.actionRowOut) };
    },
  );
  app.get(
    '/municipalities/:municipalityId/plans/:planId/rollup',
    {
      schema: {
        tags: ['planes', ...tags],
        summary: 'Avance ponderado de cada elemento del plan',
        params: Type.Object({ municipalityId: MunicipalityId, planId: Type.Integer() }),
        response: { 200: S.PlanRollup, ...errors(404) },
      },
    },
    async (req) => {
      const plan = await plans.getPlan(app.db, req.params.municipalityId, req.params.planId, req.user);
      return service.planRollup(app.db, req.params.municipalityId, plan.id, req.user);
    },
  );

  // OCDS
  const ctx = () => ({ ocidPrefix: app.config.ocidPrefix, publicUrl: app.config.publicUrl.replace(/\/$/, '') });
  app.get(
    '/municipalities/:municipalityId/ocds/releases.json',
    {
      schema: {
        tags: ['ocds', ...tags],
        summary: 'Paquete de releases OCDS 1.1 (EDCA‑MX) de las obras públicas publicadas',
        params: Params,
        querystring: Type.Object({ obra: Type.Optional(Type.Integer({ description: 'Solo la obra con este id' })) }),
        response: { 200: OcdsPackage, ...errors(404) },
      },
    },
    async (req, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send(await releasePackage(app.db, req.params.municipalityId, ctx(), req.query.obra ? [req.query.obra] : undefined)),
  );
  app.get(
    '/municipalities/:municipalityId/works/:id/ocds',
    {
      schema: {
        tags: ['ocds', ...tags],
        summary: 'Paquete OCDS de una obra',
        params: IdParams,
        response: { 200: OcdsPackage, ...errors(404) },
      },
    },
    async (req, reply) => {
      const pkg = await releasePackage(app.db, req.params.municipalityId, ctx(), [req.params.id]);
      if (!pkg.releases.length)
        throw new AppError('BRJ_ERR_NOT_FOUND', 'La obra no existe, no está publicada o no tiene datos de contrato.');
      return reply.type('application/json; charset=utf-8').send(pkg);
    },
  );
  app.get(
    '/municipalities/:municipalityId/ocds/records.json',
    {
      schema: {
        tags: ['ocds', ...tags],
        summary: 'Paquete de registros OCDS 1.1: por obra, su release y el release compilado',
        params: Params,
        querystring: Type.Object({ obra: Type.Optional(Type.Integer({ description: 'Solo la obra con este id' })) }),
        response: { 200: OcdsRecordPackage, ...errors(404) },
      },
    },
    async (req, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send(await recordPackage(app.db, req.params.municipalityId, ctx(), req.query.obra ? [req.query.obra] : undefined)),
  );
  app.get(
    '/municipalities/:municipalityId/works/:id/ocds/record',
    {
      schema: {
        tags: ['ocds', ...tags],
        summary: 'Registro OCDS de una obra',
        params: IdParams,
        response: { 200: OcdsRecordPackage, ...errors(404) },
      },
    },
    async (req, reply) => {
      const pkg = await recordPackage(app.db, req.params.municipalityId, ctx(), [req.params.id]);
      if (!pkg.records.length)
        throw new AppError('BRJ_ERR_NOT_FOUND', 'La obra no existe, no está publicada o no tiene datos de contrato.');
      return reply.type('application/json; charset=utf-8').send(pkg);
    },
  );
};

export default programsRoutes;
