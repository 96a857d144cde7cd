import type { Kysely } from 'kysely';
import type { DB, Role } from '../../db/types.ts';

export type TokenPurpose = 'verify_email' | 'reset_password' | 'invitation';

export const findUserByEmail = (db: Kysely<DB>, email: string) =>
  db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();

export const findUserById = (db: Kysely<DB>, id: number) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertUser(
  db: Kysely<DB>,
  u: { email: string; name: string; passwordHash: string; homeMunicipalityId: string | null; verified?: boolean; isDemo?: boolean },
) {
  return db
    .insertInto('users')
    .values({
      email: u.email,
      name: u.name,
      password_hash: u.passwordHash,
      home_municipality_id: u.homeMunicipalityId,
      email_verified_at: u.verified ? new Date() : null,
      is_demo: u.isDemo ?? false,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

export const insertGrant = (
  db: Kysely<DB>,
  g: { userId: number; municipalityId: string | null; role: Role; departmentId: number | null; grantedBy: number | null },
) =>
  db
    .insertInto('role_grants')
    .values({ user_id: g.userId, municipality_id: g.municipalityId, role: g.role, department_id: g.departmentId, granted_by: g.grantedBy })
    .returning(['id'])
    .executeTakeFirstOrThrow();

export const grantsOf = (db: Kysely<DB>, userIds: number[]) =>
  userIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('role_grants as g')
        .leftJoin('departments as d', 'd.id', 'g.department_id')
        .leftJoin('shared_municipalities as m', 'm.id', 'g.municipality_id')
        .select([
          'g.id',
          'g.user_id',
          'g.municipality_id',
          'm.name as municipality_name',
          'g.role',
          'g.department_id',
          'd.name as department_name',
          'g.created_at',
        ])
        .where('g.user_id', 'in', userIds)
        .orderBy('g.id')
        .execute();

export async function insertToken(db: Kysely<DB>, t: { hash: string; userId: number; purpose: TokenPurpose; hours: number }) {
  await db
    .insertInto('user_tokens')
    .values({ token_hash: t.hash, user_id: t.userId, purpose: t.purpose, expires_at: new Date(Date.now() + t.hours * 3600_000) })
    .execute();
}

/** Marks a valid unused token as used and returns its user, or undefined. */
export const consumeToken = (db: Kysely<DB>, hash: string, purpose: TokenPurpose) =>
  db
    .updateTable('user_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', hash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning(['user_id'])
    .executeTakeFirst();

/** A valid unused token's user, without spending it (the invitation page shows whom it is for). */
export const peekToken = (db: Kysely<DB>, hash: string, purpose: TokenPurpose) =>
  db
    .selectFrom('user_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.id', 'u.email', 'u.name'])
    .where('t.token_hash', '=', hash)
    .where('t.purpose', '=', purpose)
    .where('t.used_at', 'is', null)
    .where('t.expires_at', '>', new Date())
    .executeTakeFirst();

export const departmentsOf = (db: Kysely<DB>, municipalityId: string) =>
  db.selectFrom('departments').selectAll().where('municipality_id', '=', municipalityId).orderBy('name').execute();

/** True while no active account holds a state-wide admin grant (a new installation). */
export async function noStateAdmin(db: Kysely<DB>): Promise<boolean> {
  const row = await db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select('g.id')
    .where('g.role', '=', 'admin')
    .where('g.municipality_id', 'is', null)
    .where('u.status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  return !row;
}
