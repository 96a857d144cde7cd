import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../plugins/auth.ts';
import { AppError } from '../../errors.ts';
import { errors, MunicipalityId, Paged, PageQuery } from '../../schemas.ts';
import { paginate } from '../../db/paginate.ts';
import * as S from './schemas.ts';
import { historyRule, publicImage } from './visibility.ts';

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const base = () =>
    app.db
      .selectFrom('audit_log as a')
      .leftJoin('shared_users as u', 'u.id', 'a.actor_id')
      .select([
        'a.id',
        'a.municipality_id',
        'a.at',
        'a.actor_id',
        'u.name as actor_name',
        'a.via',
        'a.action',
        'a.entity',
        'a.entity_id',
        'a.before',
        'a.after',
      ]);
  const out = (r: Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number], withVia: boolean) => ({
    id: r.id,
    municipalityId: r.municipality_id,
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    via: withVia ? r.via : null,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before as Record<string, unknown> | null,
    after: r.after as Record<string, unknown> | null,
  });

  app.get(
    '/audit',
    {
      schema: {
        tags: ['auditoría'],
        summary: 'Bitácora de auditoría (administración)',
        description: 'Un administrador municipal ve su municipio; uno estatal ve todo, incluidos los registros sin municipio (cuentas).',
        querystring: Type.Object({
          municipalityId: Type.Optional(MunicipalityId),
          entity: Type.Optional(Type.String({ maxLength: 60 })),
          entityId: Type.Optional(Type.String({ maxLength: 60 })),
          actorId: Type.Optional(Type.Integer()),
          action: Type.Optional(
            Type.Union([Type.Literal('insert'), Type.Literal('update'), Type.Literal('delete'), Type.Literal('event')]),
          ),
          from: Type.Optional(Type.String({ format: 'date' })),
          to: Type.Optional(Type.String({ format: 'date' })),
          ...PageQuery,
        }),
        response: { 200: Paged(S.AuditEntry), ...errors(401, 403) },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const scopes = user.grants.filter((g) => g.role === 'admin').map((g) => g.municipalityId);
      const stateWide = scopes.includes(null);
      const q = req.query;
      if (!stateWide && (scopes.length === 0 || (q.municipalityId && !scopes.includes(q.municipalityId)))) {
        throw new AppError('BRJ_ERR_FORBIDDEN');
      }
      let query = base();
      if (q.municipalityId) query = query.where('a.municipality_id', '=', q.municipalityId);
      else if (!stateWide) query = query.where('a.municipality_id', 'in', scopes as string[]);
      if (q.entity) query = query.where('a.entity', '=', q.entity);
      if (q.entityId) query = query.where('a.entity_id', '=', q.entityId);
      if (q.actorId) query = query.where('a.actor_id', '=', q.actorId);
      if (q.action) query = query.where('a.action', '=', q.action);
      if (q.from) query = query.where('a.at', '>=', new Date(`${q.from}T00:00:00-06:00`));
      if (q.to) query = query.where('a.at', '<', new Date(new Date(`${q.to}T00:00:00-06:00`).getTime() + 86400_000));
      const { items, total } = await paginate(query.orderBy('a.id', 'desc'), q.page, q.limit);
      return { page: q.page, limit: q.limit, total, items: items.map((r) => out(r, true)) };
    },
  );

  app.get(
    '/history/:entity/:entityId',
    {
      schema: {
        tags: ['auditoría'],
        summary: 'Historial público de cambios de un registro público',
        description:
          'Solo para registros que son públicos ahora (indicadores publicados, planes fuera de borrador, acciones publicadas, avances revisados…) y solo con sus campos públicos. El personal ve el resto en la bitácora de auditoría.',
        params: Type.Object({ entity: Type.String({ maxLength: 60 }), entityId: Type.String({ maxLength: 60 }) }),
        querystring: Type.Object({ municipalityId: Type.Optional(MunicipalityId), ...PageQuery }),
        response: { 200: Paged(S.AuditEntry), ...errors(404) },
      },
    },
    async (req) => {
      const { page, limit, municipalityId } = req.query;
      const visible = historyRule(req.params.entity, req.params.entityId);
      const missing = () => new AppError('BRJ_ERR_NOT_FOUND', 'Ese registro no existe o no es público: su historial no se muestra.');
      if (!visible) throw missing();
      let query = base()
        .where('a.is_public', '=', true)
        .where('a.entity', '=', req.params.entity)
        .where('a.entity_id', '=', req.params.entityId)
        .where(visible);
      if (municipalityId) query = query.where('a.municipality_id', '=', municipalityId);
      const { items, total } = await paginate(query.orderBy('a.id', 'desc'), page, limit);
      if (total === 0) throw missing();
      // Public history shows who changed a public record by name, never the IP or account ids.
      return {
        page,
        limit,
        total,
        items: items.map((r) => ({ ...out(r, false), actorId: null, before: publicImage(r.before), after: publicImage(r.after) })),
      };
    },
  );
};

export default auditRoutes;
