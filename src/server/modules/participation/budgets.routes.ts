import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, authorize, hasRole, requireUser } from '../../plugins/auth.ts';
import { Binary, CSV, errors, lit, MunicipalityId, Nullable } from '../../schemas.ts';
import { toCsvText } from '../../tabular.ts';
import * as budgets from './budgets.ts';
import * as B from './budgets.schemas.ts';
import { IdParams, Lat, Lon, Params, participationHttp } from './http.ts';

/** Participatory budgets: processes, projects, technical review, secret ballots and results. */
const budgetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { writeLimit, proof, planner, citizen } = participationHttp(app);
  const btags = ['presupuesto participativo'];
  const BParams = Type.Object({ municipalityId: MunicipalityId, id: Type.Integer(), territoryId: Type.Integer() });
  const PParams = Type.Object({ municipalityId: MunicipalityId, id: Type.Integer(), projectId: Type.Integer() });
  const Phase = Type.Object({
    inicio: Type.Optional(Type.String({ format: 'date' })),
    fin: Type.Optional(Type.String({ format: 'date' })),
  });
  app.get(
    '/municipalities/:municipalityId/budgets',
    { schema: { tags: btags, summary: 'Procesos de presupuesto participativo', params: Params, response: { 200: B.Processes } } },
    async (req) => B.processesOut(await budgets.listProcesses(app.db, req.params.municipalityId, req.user)),
  );
  app.post(
    '/municipalities/:municipalityId/budgets',
    {
      schema: {
        tags: btags,
        summary: 'Crear un proceso anual con su monto por territorio (planeación)',
        params: Params,
        body: Type.Object({
          anio: Type.Integer({ minimum: 2000, maximum: 2200 }),
          titulo: Type.String({ minLength: 3, maxLength: 200 }),
          descripcion: Type.Optional(Type.String({ maxLength: 8000 })),
          estilo: Type.Optional(lit('mochila', 'aprobacion')),
          maxVotos: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100 }))),
          fechas: Type.Optional(
            Type.Unsafe<Record<string, { inicio?: string; fin?: string }>>(
              Type.Record(Type.String({ pattern: `^(${budgets.FASES.join('|')})$` }), Phase),
            ),
          ),
          programId: Type.Optional(Nullable(Type.Integer())),
          territorios: Type.Array(
            Type.Object({
              nombre: Type.String({ minLength: 2, maxLength: 200 }),
              unitId: Type.Optional(Nullable(Type.Integer())),
              monto: Type.Number({ minimum: 0.01 }),
            }),
            { minItems: 1, maxItems: 300 },
          ),
        }),
        response: { 201: B.PhaseSet, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply.status(201).send(await budgets.createProcess(app.db, actorOf(req), req.params.municipalityId, req.body));
    },
  );
  app.get(
    '/municipalities/:municipalityId/budgets/:id',
    {
      schema: {
        tags: btags,
        summary: 'Un proceso: fases, territorios, proyectos, costos (desde su publicación), resultados y avance de los ganadores',
        params: IdParams,
        response: { 200: B.Process, ...errors(404) },
      },
    },
    async (req) => B.processOut(await budgets.getProcess(app.db, req.params.municipalityId, req.params.id, req.user)),
  );
  app.get(
    '/municipalities/:municipalityId/budget-evaluators',
    {
      schema: {
        tags: btags,
        summary: 'Personal que puede evaluar proyectos (planeación y enlaces del municipio)',
        params: Params,
        response: { 200: B.Evaluators, ...errors(401, 403) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return budgets.evaluators(app.db, req.params.municipalityId);
    },
  );
  app.post(
    '/municipalities/:municipalityId/budgets/:id/phase',
    {
      schema: {
        tags: btags,
        summary: 'Pasar a la siguiente fase (planeación); al cerrar la votación se publican los resultados',
        params: IdParams,
        body: Type.Object({ fase: lit(...budgets.FASES) }),
        response: { 200: B.PhaseSet, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return budgets.setPhase(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body.fase);
    },
  );
  app.post(
    '/municipalities/:municipalityId/budgets/:id/projects',
    {
      config: writeLimit,
      schema: {
        tags: btags,
        summary: 'Proponer un proyecto en la fase de propuestas (residentes verificados; requiere la prueba anti-abuso)',
        params: IdParams,
        body: Type.Object({
          territoryId: Type.Integer(),
          titulo: Type.String({ minLength: 1, maxLength: 200 }),
          descripcion: Type.String({ minLength: 1, maxLength: 10000 }),
          lon: Type.Optional(Nullable(Lon)),
          lat: Type.Optional(Nullable(Lat)),
          proposalId: Type.Optional(Nullable(Type.Integer())),
        }),
        response: { 201: B.ProjectAdded, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      if (!hasRole(user, ['planner'], mid)) await proof(req);
      return reply.status(201).send(await budgets.addProject(app.db, actorOf(req), mid, req.params.id, user, req.body));
    },
  );
  app.patch(
    '/municipalities/:municipalityId/budgets/:id/projects/:projectId',
    {
      schema: {
        tags: btags,
        summary: 'Revisión técnica de un proyecto: costo, viabilidad con dictamen, evaluadores (planeación o evaluadores asignados)',
        params: PParams,
        body: Type.Object({
          costo: Type.Optional(Nullable(Type.Number({ minimum: 0.01 }))),
          viable: Type.Optional(Type.Union([Type.Boolean(), Type.Null()], { description: 'null = sin decidir' })),
          dictamen: Type.Optional(Type.String({ maxLength: 4000 })),
          evaluadores: Type.Optional(Type.Array(Type.Integer(), { maxItems: 10 })),
        }),
        response: { 200: B.ProjectReviewed, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = authorize(req, ['planner', 'enlace'], req.params.municipalityId);
      return B.projectReviewedOut(
        await budgets.reviewProject(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.params.projectId, user, req.body),
      );
    },
  );
  app.put(
    '/municipalities/:municipalityId/budgets/:id/ballots/:territoryId',
    {
      config: writeLimit,
      schema: {
        tags: btags,
        summary: 'Votar o cambiar la boleta de un territorio (residentes verificados, mientras la votación está abierta)',
        description:
          'Mochila: los proyectos elegidos deben caber en el monto del territorio. Aprobación: hasta el máximo de proyectos del proceso. La boleta se guarda sin vínculo con la persona.',
        params: BParams,
        body: Type.Object({ proyectos: Type.Array(Type.Integer(), { minItems: 1, maxItems: 200 }) }),
        response: { 200: B.BallotCast, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = citizen(req, req.params.municipalityId);
      return budgets.castBallot(
        app.db,
        actorOf(req),
        req.params.municipalityId,
        req.params.id,
        req.params.territoryId,
        user,
        req.body.proyectos,
      );
    },
  );
  app.delete(
    '/municipalities/:municipalityId/budgets/:id/ballots/:territoryId',
    {
      schema: {
        tags: btags,
        summary: 'Retirar mi boleta de un territorio (mientras la votación está abierta)',
        params: BParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const user = citizen(req, req.params.municipalityId);
      await budgets.withdrawBallot(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.params.territoryId, user);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/municipalities/:municipalityId/budgets/:id/ballots/mine',
    {
      schema: {
        tags: btags,
        summary: 'Mis boletas (su contenido solo mientras la votación está abierta)',
        params: IdParams,
        response: { 200: B.MyBallots, ...errors(401, 404) },
      },
    },
    async (req) => B.myBallotsOut(await budgets.myBallots(app.db, req.params.municipalityId, req.params.id, requireUser(req))),
  );
  app.get(
    '/municipalities/:municipalityId/budgets/:id/results',
    {
      schema: {
        tags: btags,
        summary: 'Resultados publicados por territorio, con la regla de desempate (JSON o CSV con formato=csv)',
        params: IdParams,
        querystring: Type.Object({ formato: Type.Optional(lit('json', 'csv')) }),
        response: {
          200: {
            description: 'Resultados por territorio, o el CSV con formato=csv',
            content: { 'application/json': { schema: B.Results }, [CSV]: { schema: Binary } },
          },
          ...errors(404, 409),
        },
      },
    },
    async (req, reply) => {
      const rows = await budgets.publishedResults(app.db, req.params.municipalityId, req.params.id, req.user);
      if (req.query.formato !== 'csv') return B.resultsOut(rows, budgets.TIE_RULE);
      const csv = toCsvText(
        ['territorio', 'posicion', 'proyecto_id', 'proyecto', 'costo', 'votos', 'seleccionado', 'motivo'],
        rows.map((r) => [r.territorio, r.posicion, r.project_id, r.titulo, r.costo, r.votos, r.seleccionado ? 'sí' : 'no', r.motivo]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="resultados-presupuesto-${req.params.id}.csv"`)
        .send(csv);
    },
  );
  app.get(
    '/municipalities/:municipalityId/budgets/:id/ballots',
    {
      schema: {
        tags: btags,
        summary: 'Boletas anónimas para recontar (territorio y proyectos; nunca quién), JSON o CSV',
        params: IdParams,
        querystring: Type.Object({ formato: Type.Optional(lit('json', 'csv')) }),
        response: {
          200: {
            description: 'Boletas anónimas, o el CSV con formato=csv',
            content: { 'application/json': { schema: B.Ballots }, [CSV]: { schema: Binary } },
          },
          ...errors(404, 409),
        },
      },
    },
    async (req, reply) => {
      const rows = await budgets.ballotsExport(app.db, req.params.municipalityId, req.params.id, req.user);
      if (req.query.formato !== 'csv') return B.ballotsOut(rows);
      const csv = toCsvText(
        ['territorio_id', 'proyectos'],
        rows.map((r) => [r.territory_id, r.proyectos.join(';')]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="boletas-presupuesto-${req.params.id}.csv"`)
        .send(csv);
    },
  );
  app.post(
    '/municipalities/:municipalityId/budgets/:id/projects/:projectId/action',
    {
      schema: {
        tags: btags,
        summary: 'Convertir un proyecto ganador en acción (obra) del POA (planeación)',
        params: PParams,
        body: Type.Object({ programId: Type.Optional(Nullable(Type.Integer())) }),
        response: { 201: B.ActionCreated, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply
        .status(201)
        .send(
          await budgets.projectToAction(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.params.projectId, req.body),
        );
    },
  );
};

export default budgetRoutes;
