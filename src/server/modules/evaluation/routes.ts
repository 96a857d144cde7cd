import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { withActor } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { actorOf, authorize, hasRole, requireUser } from '../../plugins/auth.ts';
import { CSV, errors, FileOf, IMAGE, lit, MunicipalityId, Nullable, PDF } from '../../schemas.ts';
import { toCsvText } from '../../tabular.ts';
import { readUpload } from '../../upload.ts';
import { registerApprovalGate } from '../plans/api.ts';
import * as committees from './committees.ts';
import * as council from './council.ts';
import * as ratings from './ratings.ts';
import * as reports from './reports.ts';
import * as S from './schemas.ts';
import * as scorecards from './scorecards.ts';
import { registerHistoryRules } from '../audit/api.ts';
import { HISTORY } from './history.ts';

const Params = Type.Object({ municipalityId: MunicipalityId });
const IdParams = Type.Object({ municipalityId: MunicipalityId, id: Type.Integer() });
const PlanParams = Type.Object({ municipalityId: MunicipalityId, planId: Type.Integer() });
const Periodo = Type.String({ pattern: '^[0-9]{4}(-T[1-4])?$', description: 'Año (2026) o trimestre (2026-T2)' });
/** Without it, the latest year in which most metas have a value (the answer says which). */
const DefaultPeriodo = Type.Optional(
  Type.String({
    pattern: '^[0-9]{4}(-T[1-4])?$',
    description: 'Año (2026) o trimestre (2026-T2); por omisión, el último año en que la mayoría de las metas tiene valor',
  }),
);
const tags = ['evaluación'];
const ctags = ['Consejo Ciudadano'];
const Sector = lit(...(Object.keys(council.SECTORES) as (keyof typeof council.SECTORES)[]));
const Member = Type.Object({
  nombre: Type.String({ minLength: 3, maxLength: 200 }),
  sector: Sector,
  sexo: lit('mujer', 'hombre', 'no_binario'),
  cargo: Type.Optional(lit('presidencia', 'secretaria_tecnica', 'consejero')),
  inicio: Type.String({ format: 'date' }),
  fin: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  email: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'Cuenta de Brújula de la persona (para opinar y votar)' }))),
});

const evaluationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  registerHistoryRules(HISTORY);
  // A plan passes the council's validation only with its favourable resolution (plans asks through this gate).
  registerApprovalGate(council.councilApprovalGate);
  const planner = (req: FastifyRequest, mid: string) => authorize(req, ['planner'], mid);
  const municipio = async (mid: string) =>
    (await app.db.selectFrom('shared_municipalities').select('name').where('id', '=', mid).executeTakeFirst())?.name ?? mid;

  // ---------- scorecards ----------
  app.get(
    '/municipalities/:municipalityId/evaluation/settings',
    { schema: { tags, summary: 'Pesos y umbrales del tablero de evaluación', params: Params, response: { 200: S.Weights } } },
    async (req) => scorecards.weights(app.db, req.params.municipalityId),
  );
  app.put(
    '/municipalities/:municipalityId/evaluation/settings',
    {
      schema: {
        tags,
        summary: 'Configurar los pesos (metas, avance físico, avance financiero) y los umbrales del semáforo (planeación)',
        params: Params,
        body: Type.Object({
          metas: Type.Number({ minimum: 0, maximum: 1000 }),
          fisico: Type.Number({ minimum: 0, maximum: 1000 }),
          financiero: Type.Number({ minimum: 0, maximum: 1000 }),
          verde: Type.Number({ minimum: 0, maximum: 100 }),
          amarillo: Type.Number({ minimum: 0, maximum: 100 }),
        }),
        response: { 200: S.Weights, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const mid = req.params.municipalityId;
      planner(req, mid);
      const b = req.body;
      if (b.metas + b.fisico + b.financiero <= 0) throw new AppError('BRJ_ERR_VALIDATION', 'Al menos un peso debe ser mayor que cero.');
      if (b.amarillo > b.verde) throw new AppError('BRJ_ERR_VALIDATION', 'El umbral amarillo no puede ser mayor que el verde.');
      const values = {
        peso_metas: b.metas,
        peso_fisico: b.fisico,
        peso_financiero: b.financiero,
        umbral_verde: b.verde,
        umbral_amarillo: b.amarillo,
      };
      await withActor(app.db, actorOf(req), (trx) =>
        trx
          .insertInto('evaluation_settings')
          .values({ municipality_id: mid, ...values })
          .onConflict((oc) => oc.column('municipality_id').doUpdateSet({ ...values, updated_at: new Date() }))
          .execute(),
      );
      return scorecards.weights(app.db, mid);
    },
  );
  app.get(
    '/municipalities/:municipalityId/plans/:planId/scorecard',
    {
      schema: {
        tags,
        summary: 'Tablero del plan en un periodo: metas, avance físico y financiero y semáforo por elemento, con la regla de agregación',
        params: PlanParams,
        querystring: Type.Object({ periodo: DefaultPeriodo }),
        response: { 200: S.Scorecard, ...errors(400, 404) },
      },
    },
    async (req) =>
      S.scorecardOut(
        await scorecards.planScorecard(
          app.db,
          req.params.municipalityId,
          req.params.planId,
          req.query.periodo ?? (await scorecards.defaultPeriod(app.db, [req.params.planId])),
          req.user,
        ),
      ),
  );
  app.get(
    '/municipalities/:municipalityId/plans/:planId/scorecard/compare',
    {
      schema: {
        tags,
        summary: 'Comparar dos periodos del tablero y listar lo que más empeoró',
        params: PlanParams,
        querystring: Type.Object({ de: Periodo, a: Periodo }),
        response: { 200: S.Comparison, ...errors(400, 404) },
      },
    },
    async (req) => scorecards.comparePeriods(app.db, req.params.municipalityId, req.params.planId, req.query.de, req.query.a, req.user),
  );

  app.get(
    '/municipalities/:municipalityId/plans/:planId/scorecard.csv',
    {
      schema: {
        tags,
        summary: 'Descargar el tablero de un plan (CSV)',
        params: PlanParams,
        querystring: Type.Object({ periodo: Periodo }),
        response: { 200: FileOf('Tablero en CSV (UTF-8)', CSV), ...errors(404) },
      },
    },
    async (req, reply) => {
      const s = await scorecards.planScorecard(app.db, req.params.municipalityId, req.params.planId, req.query.periodo, req.user);
      const csv = toCsvText(
        [
          'codigo',
          'elemento',
          'nivel',
          'metas_pct',
          'avance_fisico_pct',
          'avance_financiero_pct',
          'calificacion',
          'semaforo',
          'metas',
          'acciones',
          'vigente',
          'ejercido',
        ],
        s.elementos.map((e) => [
          e.codigo,
          e.titulo,
          e.nivel,
          e.metas,
          e.fisico,
          e.financiero,
          e.calificacion,
          e.semaforo,
          e.nMetas,
          e.nAcciones,
          e.vigente,
          e.ejercido,
        ]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="tablero-${req.params.planId}-${req.query.periodo}.csv"`)
        .send(csv);
    },
  );
  app.get(
    '/municipalities/:municipalityId/evaluation/overview',
    {
      schema: {
        tags,
        summary:
          '¿Cómo vamos?: planes en vigor, metas por semáforo, tablero por dependencia y por tema, resoluciones del Consejo y calificación ciudadana de las obras',
        params: Params,
        querystring: Type.Object({ periodo: DefaultPeriodo }),
        response: { 200: S.Overview, ...errors(400) },
      },
    },
    async (req) => {
      const mid = req.params.municipalityId;
      const periodo = req.query.periodo ?? (await scorecards.defaultPeriod(app.db, await scorecards.plansInForce(app.db, [mid])));
      const [g, resoluciones, calificaciones] = await Promise.all([
        scorecards.groupScorecards(app.db, mid, periodo, req.user),
        app.db
          .selectFrom('council_items as i')
          .innerJoin('council_sessions as s', 's.id', 'i.session_id')
          .select(['i.id', 'i.titulo', 'i.resolucion', 'i.plan_id', 's.id as session_id', 's.numero', 's.fecha'])
          .where('s.municipality_id', '=', mid)
          .where('s.estado', '=', 'cerrada')
          .orderBy('s.fecha', 'desc')
          .limit(10)
          .execute(),
        ratings.overview(app.db, mid),
      ]);
      return S.overviewOut(g, resoluciones, calificaciones);
    },
  );
  app.get(
    '/evaluation/municipalities',
    {
      schema: {
        tags,
        summary: 'Instalaciones estatales: los municipios lado a lado (calificación promedio de sus planes en vigor y metas por semáforo)',
        querystring: Type.Object({ periodo: DefaultPeriodo }),
        response: { 200: S.MunicipalitiesSideBySide, ...errors(400) },
      },
    },
    async (req) =>
      scorecards.compareMunicipalities(
        app.db,
        req.query.periodo ?? (await scorecards.defaultPeriod(app.db, await scorecards.plansInForce(app.db))),
        req.user,
      ),
  );

  // ---------- progress reports (frozen) ----------
  app.post(
    '/municipalities/:municipalityId/plans/:planId/evaluation-reports',
    {
      schema: {
        tags,
        summary: 'Publicar el informe de avance de un periodo (planeación): su contenido y su PDF quedan congelados',
        params: PlanParams,
        body: Type.Object({ periodo: Periodo }),
        response: { 201: S.PublishedReport, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const user = planner(req, req.params.municipalityId);
      return reply
        .status(201)
        .send(await reports.publish(app.db, actorOf(req), req.params.municipalityId, req.params.planId, req.body.periodo, user));
    },
  );
  app.get(
    '/municipalities/:municipalityId/evaluation-reports',
    {
      schema: {
        tags,
        summary: 'Informes de avance publicados',
        params: Params,
        querystring: Type.Object({ planId: Type.Optional(Type.Integer()) }),
        response: { 200: Type.Array(S.ReportItem) },
      },
    },
    async (req) => (await reports.list(app.db, req.params.municipalityId, req.query.planId)).map(S.reportItemOut),
  );
  app.get(
    '/municipalities/:municipalityId/evaluation-reports/:id',
    {
      schema: {
        tags,
        summary: 'Un informe de avance tal como se publicó (JSON)',
        params: IdParams,
        response: { 200: S.ReportDocument, ...errors(404) },
      },
    },
    async (req) => S.reportDocumentOut(await reports.get(app.db, req.params.municipalityId, req.params.id)),
  );
  app.get(
    '/municipalities/:municipalityId/evaluation-reports/:id/informe.pdf',
    {
      schema: {
        tags,
        summary: 'Un informe de avance en PDF',
        params: IdParams,
        response: { 200: FileOf('El informe en PDF', PDF), ...errors(404) },
      },
    },
    async (req, reply) => {
      const r = await reports.pdfOf(app.db, req.params.municipalityId, req.params.id);
      return reply
        .type('application/pdf')
        .header('cache-control', 'public, max-age=86400')
        .header('content-disposition', `inline; filename="informe-${r.periodo}.pdf"`)
        .send(r.pdf);
    },
  );

  // ---------- Consejo Ciudadano ----------
  app.get(
    '/municipalities/:municipalityId/council/members',
    {
      schema: {
        tags: ctags,
        summary: 'Integrantes del Consejo Ciudadano, por sector, con la proporción de mujeres frente a la meta del 50 %',
        params: Params,
        response: { 200: S.Members },
      },
    },
    async (req) => S.membersOut(await council.members(app.db, req.params.municipalityId)),
  );
  app.post(
    '/municipalities/:municipalityId/council/members',
    {
      schema: {
        tags: ctags,
        summary: 'Registrar a una persona consejera (planeación)',
        params: Params,
        body: Member,
        response: { 201: S.Saved, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply.status(201).send(await council.saveMember(app.db, actorOf(req), req.params.municipalityId, req.body));
    },
  );
  app.put(
    '/municipalities/:municipalityId/council/members/:id',
    {
      schema: {
        tags: ctags,
        summary: 'Editar a una persona consejera o terminar su periodo (planeación)',
        params: IdParams,
        body: Member,
        response: { 200: S.Saved, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return council.saveMember(app.db, actorOf(req), req.params.municipalityId, req.body, req.params.id);
    },
  );
  app.get(
    '/municipalities/:municipalityId/council/sessions',
    { schema: { tags: ctags, summary: 'Sesiones del Consejo', params: Params, response: { 200: Type.Array(S.SessionListItem) } } },
    async (req) => (await council.listSessions(app.db, req.params.municipalityId)).map(S.sessionListItemOut),
  );
  app.post(
    '/municipalities/:municipalityId/council/sessions',
    {
      schema: {
        tags: ctags,
        summary: 'Convocar una sesión con su orden del día (planeación)',
        params: Params,
        body: Type.Object({
          tipo: Type.Optional(lit('ordinaria', 'extraordinaria')),
          fecha: Type.String({ format: 'date-time' }),
          lugar: Type.Optional(Type.String({ maxLength: 300 })),
          convocatoria: Type.Optional(Type.String({ maxLength: 8000 })),
          items: Type.Array(
            Type.Object({
              titulo: Type.String({ minLength: 3, maxLength: 300 }),
              tipo: lit('plan', 'programa', 'proyecto', 'politica', 'informe', 'otro'),
              planId: Type.Optional(Nullable(Type.Integer())),
              programId: Type.Optional(Nullable(Type.Integer())),
              actionId: Type.Optional(Nullable(Type.Integer())),
              descripcion: Type.Optional(Type.String({ maxLength: 4000 })),
            }),
            { minItems: 1, maxItems: 50 },
          ),
        }),
        response: { 201: S.NewSession, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply.status(201).send(await council.createSession(app.db, actorOf(req), req.params.municipalityId, req.body));
    },
  );
  app.get(
    '/municipalities/:municipalityId/council/sessions/:id',
    {
      schema: {
        tags: ctags,
        summary: 'Una sesión: orden del día, asistencia, opiniones y votos, resoluciones y acuerdos',
        params: IdParams,
        response: { 200: S.SessionView, ...errors(404) },
      },
    },
    async (req) => S.sessionViewOut(await council.getSession(app.db, req.params.municipalityId, req.params.id, req.user)),
  );
  app.put(
    '/municipalities/:municipalityId/council/sessions/:id/attendance',
    {
      schema: {
        tags: ctags,
        summary: 'Registrar la asistencia (secretaría técnica / planeación)',
        params: IdParams,
        body: Type.Object({
          asistencia: Type.Array(Type.Object({ memberId: Type.Integer(), presente: Type.Boolean() }), { maxItems: 200 }),
        }),
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      await council.setAttendance(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body.asistencia);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/municipalities/:municipalityId/council/sessions/:id/open',
    {
      schema: {
        tags: ctags,
        summary: 'Abrir la sesión (presidencia o secretaría técnica; requiere quórum: más de la mitad de las personas en funciones)',
        params: IdParams,
        response: { 200: S.Opened, ...errors(401, 403, 404, 409) },
      },
    },
    async (req) => council.openSession(app.db, actorOf(req), req.params.municipalityId, req.params.id, requireUser(req)),
  );
  app.put(
    '/municipalities/:municipalityId/council/sessions/:id/items/:itemId/opinion',
    {
      schema: {
        tags: ctags,
        summary: 'Registrar mi opinión y voto sobre un asunto (integrantes del Consejo presentes, con la sesión abierta)',
        params: Type.Object({ municipalityId: MunicipalityId, id: Type.Integer(), itemId: Type.Integer() }),
        body: Type.Object({
          opinion: lit('favorable', 'con_observaciones', 'desfavorable'),
          texto: Type.Optional(Type.String({ maxLength: 8000 })),
          voto: lit('a_favor', 'en_contra', 'abstencion'),
        }),
        response: { 200: S.Opinion, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const o = await council.opine(
        app.db,
        actorOf(req),
        req.params.municipalityId,
        req.params.id,
        req.params.itemId,
        requireUser(req),
        req.body,
      );
      return { itemId: o.item_id, opinion: o.opinion, voto: o.voto };
    },
  );
  app.post(
    '/municipalities/:municipalityId/council/sessions/:id/close',
    {
      schema: {
        tags: ctags,
        summary: 'Cerrar la sesión (presidencia del Consejo): cuenta las resoluciones y genera el acta',
        params: IdParams,
        response: { 200: S.Closed, ...errors(401, 403, 404, 409) },
      },
    },
    async (req) =>
      council.closeSession(
        app.db,
        actorOf(req),
        req.params.municipalityId,
        req.params.id,
        requireUser(req),
        await municipio(req.params.municipalityId),
      ),
  );
  app.get(
    '/municipalities/:municipalityId/council/sessions/:id/acta.pdf',
    {
      schema: {
        tags: ctags,
        summary: 'Acta de la sesión (PDF)',
        params: IdParams,
        response: { 200: FileOf('El acta en PDF', PDF), ...errors(404) },
      },
    },
    async (req, reply) => {
      const a = await council.acta(app.db, req.params.municipalityId, req.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="acta-consejo-${a.numero}.pdf"`)
        .send(a.acta_pdf);
    },
  );
  app.post(
    '/municipalities/:municipalityId/council/sessions/:id/agreements',
    {
      schema: {
        tags: ctags,
        summary: 'Registrar un acuerdo con responsable y fecha límite (planeación)',
        params: IdParams,
        body: Type.Object({
          texto: Type.String({ minLength: 3, maxLength: 4000 }),
          responsable: Type.String({ minLength: 2, maxLength: 200 }),
          fechaLimite: Type.Optional(Nullable(Type.String({ format: 'date' }))),
          itemId: Type.Optional(Nullable(Type.Integer())),
        }),
        response: { 201: S.Saved, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply.status(201).send(await council.addAgreement(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body));
    },
  );
  app.get(
    '/municipalities/:municipalityId/council/agreements',
    {
      schema: {
        tags: ctags,
        summary: 'Acuerdos del Consejo con su seguimiento (vencidos marcados)',
        params: Params,
        response: { 200: Type.Array(S.AgreementListItem) },
      },
    },
    async (req) => (await council.agreements(app.db, req.params.municipalityId)).map(S.agreementListItemOut),
  );
  app.patch(
    '/municipalities/:municipalityId/council/agreements/:id',
    {
      schema: {
        tags: ctags,
        summary: 'Actualizar el seguimiento de un acuerdo (planeación)',
        params: IdParams,
        body: Type.Object({
          estado: lit('pendiente', 'en_proceso', 'cumplido', 'cancelado'),
          seguimiento: Type.Optional(Type.String({ maxLength: 4000 })),
        }),
        response: { 200: S.AgreementState, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return council.updateAgreement(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body);
    },
  );
  app.get(
    '/municipalities/:municipalityId/plans/:planId/council-resolutions',
    {
      schema: {
        tags: ctags,
        summary: 'Resoluciones del Consejo sobre un plan',
        params: PlanParams,
        response: { 200: Type.Array(S.PlanResolution) },
      },
    },
    async (req) => (await council.planResolutions(app.db, req.params.planId)).map(S.planResolutionOut),
  );

  app.get(
    '/municipalities/:municipalityId/social-committees',
    {
      schema: {
        tags,
        summary: 'Comités de contraloría social: integrantes, obras que vigilan, informes y hallazgos con su seguimiento',
        params: Params,
        response: { 200: Type.Array(S.Committee) },
      },
    },
    async (req) => {
      const staff = hasRole(req.user, ['planner', 'enlace'], req.params.municipalityId);
      return (await committees.list(app.db, req.params.municipalityId)).map((c) => S.committeeOut(c, staff));
    },
  );

  const Sexo = lit('mujer', 'hombre', 'no_binario');
  app.post(
    '/municipalities/:municipalityId/social-committees',
    {
      schema: {
        tags,
        summary: 'Registrar un comité de contraloría social con sus integrantes y las obras que vigila (planeación)',
        params: Params,
        body: Type.Object({
          nombre: Type.String({ minLength: 3, maxLength: 200 }),
          constituido: Type.String({ format: 'date' }),
          validado: Type.Optional(Type.Boolean()),
          integrantes: Type.Array(
            Type.Object({
              nombre: Type.String({ minLength: 3, maxLength: 200 }),
              sexo: Sexo,
              cargo: Type.Optional(Type.String({ maxLength: 60 })),
            }),
            { minItems: 1, maxItems: 30 },
          ),
          obras: Type.Array(Type.Integer(), { maxItems: 50 }),
        }),
        response: { 201: S.Saved, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply.status(201).send(await committees.create(app.db, actorOf(req), req.params.municipalityId, req.body));
    },
  );
  app.patch(
    '/municipalities/:municipalityId/social-committees/:id',
    {
      schema: {
        tags,
        summary: 'Validar un comité o cambiar las obras que vigila (planeación)',
        params: IdParams,
        body: Type.Object({ validado: Type.Optional(Type.Boolean()), obras: Type.Optional(Type.Array(Type.Integer(), { maxItems: 50 })) }),
        response: { 200: S.Saved, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return committees.update(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body);
    },
  );
  app.post(
    '/municipalities/:municipalityId/social-committees/:id/reports',
    {
      schema: {
        tags,
        summary: 'Registrar un informe, hallazgo o queja del comité (planeación o enlace)',
        params: IdParams,
        body: Type.Object({
          fecha: Type.String({ format: 'date' }),
          tipo: lit('informe', 'hallazgo', 'queja'),
          texto: Type.String({ minLength: 3, maxLength: 8000 }),
          actionId: Type.Optional(Nullable(Type.Integer())),
        }),
        response: { 201: S.Saved, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      authorize(req, ['planner', 'enlace'], req.params.municipalityId);
      return reply.status(201).send(await committees.addReport(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body));
    },
  );
  app.patch(
    '/municipalities/:municipalityId/social-committees/reports/:id',
    {
      schema: {
        tags,
        summary: 'Dar seguimiento a un hallazgo: estado y respuesta (planeación o enlace)',
        params: IdParams,
        body: Type.Object({
          estado: lit('abierto', 'en_atencion', 'atendido'),
          respuesta: Type.Optional(Type.String({ maxLength: 4000 })),
        }),
        response: { 200: S.CommitteeReportState, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      authorize(req, ['planner', 'enlace'], req.params.municipalityId);
      return committees.answerReport(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body);
    },
  );

  // ---------- citizen ratings of works ----------
  app.get(
    '/municipalities/:municipalityId/actions/:id/ratings',
    {
      schema: {
        tags,
        summary: 'Evaluación ciudadana de una obra: promedios, distribución y comentarios',
        params: IdParams,
        response: { 200: S.RatingSummary, ...errors(404) },
      },
    },
    async (req) => S.ratingSummaryOut(await ratings.summary(app.db, req.params.municipalityId, req.params.id, req.user)),
  );
  app.post(
    '/municipalities/:municipalityId/actions/:id/rating/photos',
    {
      schema: {
        tags,
        summary: 'Agregar una foto de la obra a mi calificación (hasta 3; se revisa, se reduce y pierde sus metadatos EXIF)',
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 201: S.Saved, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = authorize(req, ['citizen', 'planner', 'enlace', 'council'], mid);
      // Permission first: an upload is not read for someone who has not rated the work.
      await ratings.assertRated(app.db, mid, req.params.id, user);
      const file = await readUpload(req, 10);
      return reply.status(201).send(await ratings.addPhoto(app.db, actorOf(req), mid, req.params.id, user, file));
    },
  );
  app.get(
    '/municipalities/:municipalityId/rating-photos/:id',
    {
      schema: {
        tags,
        summary: 'Foto de una calificación ciudadana (miniatura=true para la vista previa)',
        params: IdParams,
        querystring: Type.Object({ miniatura: Type.Optional(Type.Boolean()) }),
        response: { 200: FileOf('La foto', ...IMAGE), ...errors(404) },
      },
    },
    async (req, reply) => {
      const p = await ratings.photo(app.db, req.params.municipalityId, req.params.id, !!req.query.miniatura);
      return reply.type(p.mime).header('x-content-type-options', 'nosniff').header('cache-control', 'public, max-age=3600').send(p.bytes);
    },
  );
  app.put(
    '/municipalities/:municipalityId/actions/:id/rating',
    {
      config: {
        rateLimit: {
          max: app.config.publicWriteRateLimit,
          timeWindow: '1 minute',
          keyGenerator: (req: FastifyRequest) => (req.user ? `u${req.user.id}` : req.ip),
        },
      },
      schema: {
        tags,
        summary: 'Calificar una obra terminada (residentes verificados, una vez): calidad, utilidad y oportunidad de 1 a 5',
        params: IdParams,
        body: Type.Object({
          calidad: Type.Integer({ minimum: 1, maximum: 5 }),
          utilidad: Type.Integer({ minimum: 1, maximum: 5 }),
          oportunidad: Type.Integer({ minimum: 1, maximum: 5 }),
          comentario: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
        response: { 201: S.Saved, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const user = authorize(req, ['citizen', 'planner', 'enlace', 'council'], req.params.municipalityId);
      return reply.status(201).send(await ratings.rate(app.db, actorOf(req), req.params.municipalityId, req.params.id, user, req.body));
    },
  );
};

export default evaluationRoutes;
