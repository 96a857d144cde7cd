import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../plugins/auth.ts';
import { Binary, CSV, errors, lit, Message, Nullable } from '../../schemas.ts';
import { toCsvText } from '../../tabular.ts';
import * as consultations from './consultations.ts';
import * as C from './consultations.schemas.ts';
import { IdParams, Params, participationHttp } from './http.ts';

/** Public consultations: on a plan under public consultation or free questions. */
const consultationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { writeLimit, planner, citizen } = participationHttp(app);
  const ctags = ['consultas'];
  app.get(
    '/municipalities/:municipalityId/consultations',
    { schema: { tags: ctags, summary: 'Consultas públicas', params: Params, response: { 200: C.Consultations } } },
    async (req) => C.consultationsOut(await consultations.list(app.db, req.params.municipalityId, req.user)),
  );
  app.post(
    '/municipalities/:municipalityId/consultations',
    {
      schema: {
        tags: ctags,
        summary: 'Crear una consulta: sobre un plan en consulta pública o preguntas libres (planeación)',
        params: Params,
        body: Type.Object({
          titulo: Type.String({ minLength: 3, maxLength: 300 }),
          descripcion: Type.Optional(Type.String({ maxLength: 8000 })),
          planId: Type.Optional(Nullable(Type.Integer())),
          inicio: Type.Optional(Nullable(Type.String({ format: 'date' }))),
          fin: Type.Optional(Nullable(Type.String({ format: 'date' }))),
          soloResidentes: Type.Optional(Type.Boolean()),
          preguntas: Type.Array(
            Type.Object({
              tipo: lit('unica', 'multiple', 'abierta'),
              texto: Type.String({ minLength: 1, maxLength: 1000 }),
              opciones: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 30 })),
              obligatoria: Type.Optional(Type.Boolean()),
            }),
            { minItems: 1, maxItems: 50 },
          ),
        }),
        response: { 201: C.ConsultationState, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply.status(201).send(await consultations.create(app.db, actorOf(req), req.params.municipalityId, req.body));
    },
  );
  app.get(
    '/municipalities/:municipalityId/consultations/:id',
    {
      schema: {
        tags: ctags,
        summary: 'Una consulta con sus preguntas',
        params: IdParams,
        response: { 200: C.Consultation, ...errors(404) },
      },
    },
    async (req) => C.consultationOut(await consultations.get(app.db, req.params.municipalityId, req.params.id, req.user)),
  );
  app.post(
    '/municipalities/:municipalityId/consultations/:id/state',
    {
      schema: {
        tags: ctags,
        summary: 'Abrir o cerrar una consulta (planeación)',
        params: IdParams,
        body: Type.Object({ estado: lit('abierta', 'cerrada') }),
        response: { 200: C.ConsultationState, ...errors(401, 403, 404, 409) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return consultations.setState(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body.estado);
    },
  );
  app.post(
    '/municipalities/:municipalityId/consultations/:id/responses',
    {
      config: writeLimit,
      schema: {
        tags: ctags,
        summary: 'Responder una consulta (una vez por persona)',
        params: IdParams,
        body: Type.Object({
          respuestas: Type.Array(
            Type.Object({
              preguntaId: Type.Integer(),
              opciones: Type.Optional(Type.Array(Type.Integer(), { maxItems: 30 })),
              texto: Type.Optional(Type.String({ maxLength: 4000 })),
            }),
            { maxItems: 50 },
          ),
        }),
        response: { 201: Message, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const user = citizen(req, req.params.municipalityId);
      return reply
        .status(201)
        .send(await consultations.respond(app.db, actorOf(req), req.params.municipalityId, req.params.id, user, req.body.respuestas));
    },
  );
  app.get(
    '/municipalities/:municipalityId/consultations/:id/results',
    {
      schema: {
        tags: ctags,
        summary: 'Resultados de una consulta (JSON, o CSV con formato=csv para el Consejo)',
        params: IdParams,
        querystring: Type.Object({ formato: Type.Optional(lit('json', 'csv')) }),
        response: {
          200: {
            description: 'Resultados, o el CSV con formato=csv',
            content: { 'application/json': { schema: C.ConsultationResults }, [CSV]: { schema: Binary } },
          },
          ...errors(404),
        },
      },
    },
    async (req, reply) => {
      const r = await consultations.results(app.db, req.params.municipalityId, req.params.id, req.user);
      if (req.query.formato !== 'csv') return C.resultsOut(r);
      const rows: unknown[][] = [];
      for (const q of r.preguntas) {
        for (const o of q.opciones)
          rows.push([q.texto, q.tipo, o.opcion, o.votos, r.participantes ? Math.round((o.votos / r.participantes) * 1000) / 10 : 0]);
        for (const t of q.abiertas) rows.push([q.texto, q.tipo, t, '', '']);
      }
      for (const c of r.comentariosPlan)
        rows.push([
          `Comentarios al plan: ${c.codigo} ${c.titulo}`,
          'comentarios',
          `${c.participantes} participantes, ${c.respondidos} respondidos`,
          c.comentarios,
          '',
        ]);
      const csv = toCsvText(['pregunta', 'tipo', 'opcion_o_respuesta', 'votos', 'porcentaje_participantes'], rows);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="consulta-${req.params.id}.csv"`)
        .send(csv);
    },
  );
};

export default consultationRoutes;
