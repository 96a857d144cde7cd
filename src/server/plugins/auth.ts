import crypto from 'node:crypto';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { Role } from '../db/types.ts';
import type { Actor } from '../db/connection.ts';

export const SESSION_COOKIE = 'brj_sid';

export interface Grant {
  id: number;
  municipalityId: string | null;
  role: Role;
  departmentId: number | null;
}

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  homeMunicipalityId: string | null;
  grants: Grant[];
}

/** A department's system token: it acts as an enlace of that department, nothing more. */
export interface ApiToken {
  id: number;
  name: string;
  municipalityId: string;
  departmentId: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
    sessionId: string | null;
    apiToken: ApiToken | null;
  }
}

export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
export const newToken = () => crypto.randomBytes(32).toString('base64url');

/**
 * The one authorization rule, used by every route: the user holds one of `roles` for
 * `municipalityId` (a state-wide grant counts everywhere; admin counts as every role).
 * `municipalityId === null` asks for a state-wide grant. Enlaces may be narrowed to a department.
 */
export function hasRole(
  user: SessionUser | null,
  roles: readonly Role[],
  municipalityId: string | null,
  opts: { departmentId?: number | null } = {},
): boolean {
  if (!user) return false;
  return user.grants.some((g) => {
    if (g.municipalityId !== null && g.municipalityId !== municipalityId) return false;
    if (g.role === 'admin') return true;
    if (!roles.includes(g.role)) return false;
    if (g.role === 'enlace' && opts.departmentId != null) return g.departmentId === opts.departmentId;
    return true;
  });
}

export const isAdminAnywhere = (user: SessionUser | null) => !!user?.grants.some((g) => g.role === 'admin');

export function requireUser(req: FastifyRequest): SessionUser {
  if (!req.user) throw new AppError('BRJ_ERR_UNAUTHENTICATED');
  return req.user;
}

export function authorize(
  req: FastifyRequest,
  roles: readonly Role[],
  municipalityId: string | null,
  opts: { departmentId?: number | null } = {},
): SessionUser {
  const user = requireUser(req);
  if (!hasRole(user, roles, municipalityId, opts)) throw new AppError('BRJ_ERR_FORBIDDEN');
  return user;
}

export function actorOf(req: FastifyRequest): Actor {
  if (req.apiToken) return { userId: null, via: `token:${req.apiToken.id} ${req.apiToken.name}` };
  return { userId: req.user?.id ?? null, via: req.ip };
}

export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds: number) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: reply.server.config.secureCookies,
    maxAge: maxAgeSeconds,
  });
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Loads the session user on every request and enforces CSRF on every state-changing API call. */
export default fp(
  async (app) => {
    app.decorateRequest('user', null);
    app.decorateRequest('sessionId', null);
    app.decorateRequest('apiToken', null);

    app.addHook('onRequest', async (req) => {
      const bearer = /^Bearer\s+(brj_[A-Za-z0-9_-]{20,})$/.exec(req.headers.authorization ?? '')?.[1];
      if (bearer) {
        const t = await app.db
          .selectFrom('api_tokens')
          .select(['id', 'name', 'municipality_id', 'department_id'])
          .where('token_hash', '=', hashToken(bearer))
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (!t) throw new AppError('BRJ_ERR_UNAUTHENTICATED', 'El token de API no es válido o fue revocado.');
        req.apiToken = { id: t.id, name: t.name, municipalityId: t.municipality_id, departmentId: t.department_id };
        // A token is the system's whole identity: it is never combined with a browser session.
        req.user = {
          id: 0,
          email: '',
          name: `Token ${t.name}`,
          homeMunicipalityId: t.municipality_id,
          grants: [{ id: 0, municipalityId: t.municipality_id, role: 'enlace', departmentId: t.department_id }],
        };
        return;
      }
      const token = req.cookies[SESSION_COOKIE];
      if (!token) return;
      const id = hashToken(token);
      // One round trip per request: the session, its user and the user's grants.
      const row = await app.db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select(['u.id', 'u.email', 'u.name', 'u.home_municipality_id', 'u.status'])
        .select(
          sql<
            { id: number; municipality_id: string | null; role: Role; department_id: number | null }[]
          >`(select coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'municipality_id', g.municipality_id, 'role', g.role, 'department_id', g.department_id) order by g.id), '[]'::jsonb) from role_grants g where g.user_id = u.id)`.as(
            'grants',
          ),
        )
        .where('s.id', '=', id)
        .where('s.expires_at', '>', new Date())
        .executeTakeFirst();
      if (row?.status !== 'active') return;
      req.sessionId = id;
      req.user = {
        id: row.id,
        email: row.email,
        name: row.name,
        homeMunicipalityId: row.home_municipality_id,
        // jsonb numbers arrive as numbers on both drivers.
        grants: row.grants.map((g) => ({
          id: Number(g.id),
          municipalityId: g.municipality_id,
          role: g.role,
          departmentId: g.department_id === null ? null : Number(g.department_id),
        })),
      };
    });

    // Double-submit CSRF: the secret sits in an HttpOnly cookie, the token travels in a header.
    // Decided on the route the router matched (never the raw URL, which may be percent-encoded or
    // otherwise disguised), before the body is read or validated.
    app.addHook('onRequest', (req, reply, done) => {
      const route = req.routeOptions.url;
      // No route: a 404 follows. A bearer token carries no cookie to ride on. Open311 is the
      // GeoReport interface for other systems, with its own rate limits.
      if (!UNSAFE.has(req.method) || route === undefined || req.apiToken || route.startsWith('/open311/')) return done();
      app.csrfProtection(req, reply, done);
    });
  },
  { name: 'brujula-auth', dependencies: ['brujula-db'] },
);
