import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PlanEstado, PlanTipo } from '../../db/types.ts';
import { actorOf, authorize, requireUser } from '../../plugins/auth.ts';
import { Binary, errors, FileOf, lit, Message, MunicipalityId, Nullable, PDF, XLSX } from '../../schemas.ts';
import { addComment, commentSummary, listComments, moderateComment } from './comments.ts';
import { consultationXlsx, planPdf, planXlsx } from './export.ts';
import { importOutline } from './outline.ts';
import * as S from './schemas.ts';
import * as service from './service.ts';
import { readUpload } from '../../upload.ts';
import { registerHistoryRules } from '../audit/api.ts';
import { HISTORY } from './history.ts';

const Tipo = lit<PlanTipo>(...(Object.keys(service.PLAN_TIPOS) as PlanTipo[]));
const Estado = lit<PlanEstado>(...(Object.keys(service.ESTADOS) as PlanEstado[]));
const Params = Type.Object({ municipalityId: MunicipalityId });
const PlanParams = Type.Object({ municipalityId: MunicipalityId, planId: Type.Integer() });
const ElParams = Type.Object({ municipalityId: MunicipalityId, planId: Type.Integer(), elementId: Type.Integer() });
const MetaParams = Type.Object({ municipalityId: MunicipalityId, planId: Type.Integer(), metaId: Type.Integer() });
const CommentParams = Type.Object({ municipalityId: MunicipalityId, planId: Type.Integer(), commentId: Type.Integer() });
const Version = Type.Union([Type.Literal('actual'), Type.Integer({ minimum: 1 })]);

const PlanFields = {
  tipo: Tipo,
  titulo: Type.String({ minLength: 3, maxLength: 300 }),
  descripcion: Type.Optional(Type.String({ maxLength: 8000 })),
  periodoInicio: Type.Optional(Nullable(Type.Integer({ minimum: 1900, maximum: 2200 }))),
  periodoFin: Type.Optional(Nullable(Type.Integer({ minimum: 1900, maximum: 2200 }))),
  niveles: Type.Optional(
    Type.Array(Type.String({ minLength: 2, maxLength: 60 }), {
      minItems: 1,
      maxItems: 8,
      description: 'Nombres de los niveles, p. ej. Eje, Objetivo, Estrategia, Línea de acción',
    }),
  ),
};
const ElementFields = {
  codigo: Type.String({ minLength: 1, maxLength: 40 }),
  titulo: Type.String({ minLength: 1, maxLength: 2000 }),
  descripcion: Type.Optional(Type.String({ maxLength: 8000 })),
  responsables: Type.Optional(Type.Array(Type.Integer(), { maxItems: 30, description: 'Unidades responsables (ids de dependencias)' })),
};
const Valor = Type.Object({ anio: Type.Integer({ minimum: 1900, maximum: 2200 }), valor: Type.Number() });
const MetaFields = {
  descripcion: Type.String({ minLength: 3, maxLength: 1000 }),
  indicatorId: Type.Optional(Nullable(Type.Integer())),
  lineaBase: Type.Optional(Nullable(Type.Number())),
  valores: Type.Optional(Type.Array(Valor, { maxItems: 60, description: 'Meta por año' })),
};
const tags = ['planes'];

const plansRoutes: FastifyPluginAsyncTypebox = async (app) => {
  registerHistoryRules(HISTORY);
  const writeLimit = { rateLimit: { max: app.config.publicWriteRateLimit, timeWindow: '1 minute' } };
  const staff = (mid: string, req: Parameters<typeof requireUser>[0]) => authorize(req, ['planner'], mid);

  app.get(
    '/plan-types',
    { schema: { tags, summary: 'Tipos de plan, estados y ciclo de vida', response: { 200: S.PlanTypes } } },
    async () => ({
      tipos: (Object.entries(service.PLAN_TIPOS) as [PlanTipo, string][]).map(([code, name]) => ({ code, name })),
      estados: (Object.entries(service.ESTADOS) as [PlanEstado, string][]).map(([code, name]) => ({ code, name })),
      transiciones: service.TRANSITIONS,
    }),
  );

  app.get('/ods', { schema: { tags, summary: 'Objetivos de Desarrollo Sostenible', response: { 200: Type.Array(S.OdsGoal) } } }, async () =>
    app.db.selectFrom('ods_goals').select(['numero', 'nombre', 'nombre_en as nombreEn']).orderBy('numero').execute(),
  );

  app.get(
    '/ods/:meta/elements',
    {
      schema: {
        tags,
        summary: 'Elementos de planes alineados a una meta ODS (o a un objetivo: "11")',
        params: Type.Object({ meta: Type.String({ pattern: '^[0-9]{1,2}(\\.[0-9a-z]{1,2})?$' }) }),
        response: { 200: Type.Array(S.OdsElement) },
      },
    },
    async (req) => {
      const m = req.params.meta;
      return app.db
        .selectFrom('plan_element_ods as o')
        .innerJoin('plan_elements as e', 'e.id', 'o.element_id')
        .innerJoin('plans as p', 'p.id', 'e.plan_id')
        .select([
          'o.ods_meta as odsMeta',
          'e.id',
          'e.codigo',
          'e.titulo',
          'p.id as planId',
          'p.titulo as planTitulo',
          'p.municipality_id as municipalityId',
        ])
        .where((eb) => (m.includes('.') ? eb('o.ods_meta', '=', m) : eb('o.ods_meta', 'like', `${m}.%`)))
        .where('p.estado', '<>', 'borrador')
        .orderBy('p.municipality_id')
        .orderBy('e.codigo')
        .execute();
    },
  );

  app.get(
    '/municipalities/:municipalityId/plans',
    { schema: { tags, summary: 'Planes del municipio', params: Params, response: { 200: Type.Array(S.PlanListItem) } } },
    async (req) => (await service.listPlans(app.db, req.params.municipalityId, req.user)).map(S.planListItemOut),
  );

  app.post(
    '/municipalities/:municipalityId/plans',
    {
      schema: {
        tags,
        summary: 'Crear un plan (borrador)',
        params: Params,
        body: Type.Object(PlanFields),
        response: { 201: S.Plan, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      staff(req.params.municipalityId, req);
      return reply.status(201).send(S.planOut(await service.createPlan(app.db, actorOf(req), req.params.municipalityId, req.body)));
    },
  );

  app.get(
    '/municipalities/:municipalityId/plans/:planId',
    {
      schema: {
        tags,
        summary: 'Un plan con su árbol completo, metas y alineaciones',
        params: PlanParams,
        response: { 200: S.PlanView, ...errors(404) },
      },
    },
    async (req) => {
      const { municipalityId: mid, planId } = req.params;
      const plan = await service.getPlan(app.db, mid, planId, req.user);
      const [elements, versiones, historial] = await Promise.all([
        service.planTree(app.db, planId),
        service.listVersions(app.db, planId),
        service.transitions(app.db, planId),
      ]);
      return {
        plan: S.planOut(plan),
        elements: elements.map(S.treeElementOut),
        versiones: versiones.map((v) => ({ numero: v.numero, estado: v.estado, createdAt: v.created_at })),
        historial,
        transicionesPermitidas: service.allowedTransitions(req.user, mid, plan.estado),
        editable: ['borrador', 'consulta'].includes(plan.estado) && service.canSeeDrafts(req.user, mid),
      };
    },
  );

  app.patch(
    '/municipalities/:municipalityId/plans/:planId',
    {
      schema: {
        tags,
        summary: 'Modificar los datos de un plan',
        params: PlanParams,
        body: Type.Partial(Type.Object(PlanFields)),
        response: { 200: S.Plan, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = staff(req.params.municipalityId, req);
      return S.planOut(await service.updatePlan(app.db, actorOf(req), req.params.municipalityId, req.params.planId, req.body, user));
    },
  );

  app.delete(
    '/municipalities/:municipalityId/plans/:planId',
    {
      schema: {
        tags,
        summary: 'Eliminar un plan en borrador',
        params: PlanParams,
        response: { 200: Message, ...errors(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = staff(req.params.municipalityId, req);
      await service.deletePlan(app.db, actorOf(req), req.params.municipalityId, req.params.planId, user);
      return { message: 'Plan eliminado.' };
    },
  );

  app.post(
    '/municipalities/:municipalityId/plans/:planId/transitions',
    {
      schema: {
        tags,
        summary: 'Avanzar el plan en su ciclo de vida',
        description:
          'borrador → consulta (planeación) → validación del Consejo Ciudadano (consejo) → aprobado por cabildo con fecha y acuerdo (administración) → vigente (planeación) → evaluado. Cada aprobación congela una versión.',
        params: PlanParams,
        body: Type.Object({
          a: Estado,
          nota: Type.Optional(Type.String({ maxLength: 2000 })),
          cabildoFecha: Type.Optional(Type.String({ format: 'date' })),
          cabildoAcuerdo: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: { 200: S.Plan, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) =>
      S.planOut(await service.transition(app.db, actorOf(req), req.params.municipalityId, req.params.planId, req.body, requireUser(req))),
  );

  app.get(
    '/municipalities/:municipalityId/plans/:planId/versions/compare',
    {
      schema: {
        tags,
        summary: 'Comparar dos versiones elemento por elemento ("actual" = el plan como está)',
        params: PlanParams,
        querystring: Type.Object({ de: Version, a: Version }),
        response: { 200: S.Comparison, ...errors(404) },
      },
    },
    async (req) => {
      await service.getPlan(app.db, req.params.municipalityId, req.params.planId, req.user);
      return service.compare(app.db, req.params.planId, req.query.de, req.query.a);
    },
  );

  // Elements (tree operations)
  app.post(
    '/municipalities/:municipalityId/plans/:planId/elements',
    {
      schema: {
        tags,
        summary: 'Agregar un elemento (al final de sus hermanos)',
        params: PlanParams,
        body: Type.Object({ parentId: Type.Optional(Nullable(Type.Integer())), ...ElementFields }),
        response: { 201: S.Element, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const user = staff(req.params.municipalityId, req);
      return reply
        .status(201)
        .send(
          S.elementOut(await service.createElement(app.db, actorOf(req), req.params.municipalityId, req.params.planId, req.body, user)),
        );
    },
  );

  app.get(
    '/municipalities/:municipalityId/plans/:planId/elements/:elementId',
    {
      schema: {
        tags,
        summary: 'Un elemento: ruta, hijos, metas e indicadores, alineaciones en ambos sentidos',
        params: ElParams,
        response: { 200: S.ElementDetail, ...errors(404) },
      },
    },
    async (req) =>
      S.elementDetailOut(await service.elementDetail(app.db, req.params.municipalityId, req.params.planId, req.params.elementId, req.user)),
  );

  app.patch(
    '/municipalities/:municipalityId/plans/:planId/elements/:elementId',
    {
      schema: {
        tags,
        summary: 'Modificar un elemento',
        params: ElParams,
        body: Type.Partial(Type.Object(ElementFields)),
        response: { 200: S.Element, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = staff(req.params.municipalityId, req);
      return S.elementOut(
        await service.updateElement(
          app.db,
          actorOf(req),
          req.params.municipalityId,
          req.params.planId,
          req.params.elementId,
          req.body,
          user,
        ),
      );
    },
  );

  app.post(
    '/municipalities/:municipalityId/plans/:planId/elements/:elementId/move',
    {
      schema: {
        tags,
        summary: 'Mover o reordenar un elemento con su subárbol',
        params: ElParams,
        body: Type.Object({ parentId: Nullable(Type.Integer()), posicion: Type.Integer({ minimum: 0 }) }),
        response: { 200: S.Element, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = staff(req.params.municipalityId, req);
      return S.elementOut(
        await service.moveElement(app.db, actorOf(req), req.params.municipalityId, req.params.planId, req.params.elementId, req.body, user),
      );
    },
  );

  app.delete(
    '/municipalities/:municipalityId/plans/:planId/elements/:elementId',
    {
      schema: {
        tags,
        summary: 'Eliminar un elemento con sus hijos (se rechaza si algo lo referencia)',
        params: ElParams,
        response: { 200: Type.Object({ eliminados: Type.Integer() }), ...errors(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = staff(req.params.municipalityId, req);
      return service.deleteElement(app.db, actorOf(req), req.params.municipalityId, req.params.planId, req.params.elementId, user);
    },
  );

  app.put(
    '/municipalities/:municipalityId/plans/:planId/elements/:elementId/alignments',
    {
      schema: {
        tags,
        summary: 'Alineación del elemento a otros planes (PED, PND…) y a metas ODS',
        params: ElParams,
        body: Type.Object({
          elementos: Type.Optional(Type.Array(Type.Integer(), { maxItems: 100 })),
          ods: Type.Optional(Type.Array(Type.String({ pattern: '^(1[0-7]|[1-9])\\.([0-9]{1,2}|[a-c])$' }), { maxItems: 50 })),
        }),
        response: { 200: Message, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = staff(req.params.municipalityId, req);
      await service.setAlignments(app.db, actorOf(req), req.params.municipalityId, req.params.planId, req.params.elementId, req.body, user);
      return { message: 'Alineación guardada.' };
    },
  );

  app.post(
    '/municipalities/:municipalityId/plans/:planId/elements/:elementId/metas',
    {
      schema: {
        tags,
        summary: 'Agregar una meta ligada a un indicador',
        params: ElParams,
        body: Type.Object(MetaFields),
        response: { 201: S.Meta, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const user = staff(req.params.municipalityId, req);
      return reply
        .status(201)
        .send(
          S.metaOut(
            await service.addMeta(app.db, actorOf(req), req.params.municipalityId, req.params.planId, req.params.elementId, req.body, user),
          ),
        );
    },
  );
  app.patch(
    '/municipalities/:municipalityId/plans/:planId/metas/:metaId',
    {
      schema: {
        tags,
        summary: 'Modificar una meta',
        params: MetaParams,
        body: Type.Partial(Type.Object(MetaFields)),
        response: { 200: S.Meta, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = staff(req.params.municipalityId, req);
      return S.metaOut(
        await service.updateMeta(app.db, actorOf(req), req.params.municipalityId, req.params.planId, req.params.metaId, req.body, user),
      );
    },
  );
  app.delete(
    '/municipalities/:municipalityId/plans/:planId/metas/:metaId',
    { schema: { tags, summary: 'Eliminar una meta', params: MetaParams, response: { 200: Message, ...errors(401, 403, 404, 409) } } },
    async (req) => {
      const user = staff(req.params.municipalityId, req);
      await service.deleteMeta(app.db, actorOf(req), req.params.municipalityId, req.params.planId, req.params.metaId, user);
      return { message: 'Meta eliminada.' };
    },
  );

  // Import and export
  app.post(
    '/municipalities/:municipalityId/plans/:planId/outline',
    {
      schema: {
        tags,
        summary: 'Cargar el esquema del plan desde XLSX o CSV (nivel, codigo, texto)',
        description:
          'multipart/form-data con el archivo en "file" y opcionalmente dryRun=true. Todo o nada: con errores responde 422 con el reporte por fila.',
        params: PlanParams,
        consumes: ['multipart/form-data'],
        response: { 200: S.OutlineReport, 201: S.OutlineReport, ...errors(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (req, reply) => {
      const user = staff(req.params.municipalityId, req);
      const file = await readUpload(req);
      const report = await importOutline(
        app.db,
        actorOf(req),
        req.params.municipalityId,
        req.params.planId,
        file.nombre,
        file.bytes,
        user,
        file.field('dryRun') === 'true',
      );
      return reply.status(report.committed ? 201 : 200).send(report);
    },
  );

  async function exportContext(mid: string) {
    const [m, deps] = await Promise.all([
      app.db.selectFrom('shared_municipalities').select('name').where('id', '=', mid).executeTakeFirst(),
      app.db.selectFrom('shared_departments').select(['id', 'name']).where('municipality_id', '=', mid).execute(),
    ]);
    return { municipio: m?.name ?? mid, departamentos: new Map(deps.map((d) => [d.id, d.name])) };
  }
  const fileName = (p: { titulo: string }, ext: string) =>
    `${p.titulo
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .slice(0, 60)}.${ext}`;

  app.get(
    '/municipalities/:municipalityId/plans/:planId/export.xlsx',
    {
      schema: {
        tags,
        summary: 'Descargar el plan en XLSX (el esquema se puede volver a cargar)',
        params: PlanParams,
        response: { 200: FileOf('El plan en XLSX', XLSX), ...errors(404) },
      },
    },
    async (req, reply) => {
      const plan = await service.getPlan(app.db, req.params.municipalityId, req.params.planId, req.user);
      const buf = await planXlsx(plan, await service.planTree(app.db, plan.id), await exportContext(plan.municipality_id));
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${fileName(plan, 'xlsx')}"`)
        .send(buf);
    },
  );

  app.get(
    '/municipalities/:municipalityId/plans/:planId/export.pdf',
    {
      schema: {
        tags,
        summary: 'Descargar el plan en PDF para sesión de cabildo',
        params: PlanParams,
        response: { 200: FileOf('El plan en PDF', PDF), ...errors(404) },
      },
    },
    async (req, reply) => {
      const plan = await service.getPlan(app.db, req.params.municipalityId, req.params.planId, req.user);
      const buf = await planPdf(plan, await service.planTree(app.db, plan.id), await exportContext(plan.municipality_id));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${fileName(plan, 'pdf')}"`)
        .send(buf);
    },
  );

  // Consultation
  app.get(
    '/municipalities/:municipalityId/plans/:planId/comments',
    {
      schema: {
        tags,
        summary: 'Comentarios de la consulta pública',
        params: PlanParams,
        querystring: Type.Object({ elementId: Type.Optional(Type.Integer()) }),
        response: { 200: Type.Array(S.Comment), ...errors(404) },
      },
    },
    async (req) =>
      (await listComments(app.db, req.params.municipalityId, req.params.planId, req.user, req.query.elementId)).map(S.commentOut),
  );

  app.post(
    '/municipalities/:municipalityId/plans/:planId/elements/:elementId/comments',
    {
      config: writeLimit,
      schema: {
        tags,
        summary: 'Comentar un elemento de un plan en consulta pública (personas registradas)',
        params: ElParams,
        body: Type.Object({ texto: Type.String({ minLength: 3, maxLength: 4000 }) }),
        response: { 201: S.NewComment, ...errors(400, 401, 404, 409, 429) },
      },
    },
    async (req, reply) => {
      const c = await addComment(
        app.db,
        actorOf(req),
        req.params.municipalityId,
        req.params.planId,
        req.params.elementId,
        req.body.texto,
        requireUser(req),
      );
      return reply.status(201).send({ id: c.id, elementId: c.element_id, texto: c.texto, createdAt: c.created_at });
    },
  );

  app.patch(
    '/municipalities/:municipalityId/plans/:planId/comments/:commentId',
    {
      schema: {
        tags,
        summary: 'Responder u ocultar (con motivo público) un comentario',
        params: CommentParams,
        body: Type.Object({
          respuesta: Type.Optional(Type.String({ maxLength: 4000 })),
          oculto: Type.Optional(Type.Boolean()),
          motivoOculto: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: { 200: S.Moderated, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const user = staff(req.params.municipalityId, req);
      const c = await moderateComment(
        app.db,
        actorOf(req),
        req.params.municipalityId,
        req.params.planId,
        req.params.commentId,
        req.body,
        user,
      );
      return { id: c.id, respuesta: c.respuesta, oculto: c.oculto, motivoOculto: c.motivo_oculto };
    },
  );

  app.get(
    '/municipalities/:municipalityId/plans/:planId/comments/summary',
    {
      schema: {
        tags,
        summary: 'Resumen de la consulta por elemento (JSON; ?formato=xlsx para el Consejo)',
        params: PlanParams,
        querystring: Type.Object({ formato: Type.Optional(lit('json', 'xlsx')) }),
        response: {
          200: {
            description: 'Resumen por elemento, o el libro XLSX con formato=xlsx',
            content: { 'application/json': { schema: S.CommentSummary }, [XLSX]: { schema: Binary } },
          },
          ...errors(404),
        },
      },
    },
    async (req, reply) => {
      const plan = await service.getPlan(app.db, req.params.municipalityId, req.params.planId, req.user);
      const summary = await commentSummary(app.db, plan.id);
      if (req.query.formato !== 'xlsx') return summary;
      const comments = await listComments(app.db, plan.municipality_id, plan.id, req.user);
      const buf = await consultationXlsx(plan, summary, comments);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="consulta_${fileName(plan, 'xlsx')}"`)
        .send(buf);
    },
  );
};

export default plansRoutes;
