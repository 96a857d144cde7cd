import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Actor } from '../../db/connection.ts';

/**
 * Records an event that is not a row change (login, logout, import summary) in the audit log.
 * Row changes are recorded by the audit_row trigger; call this inside the same transaction.
 */
export async function recordEvent(
  trx: Kysely<DB>,
  actor: Actor,
  e: { entity: string; entityId: string | null; municipalityId?: string | null; data?: Record<string, unknown>; isPublic?: boolean },
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      municipality_id: e.municipalityId ?? null,
      actor_id: actor.userId,
      via: actor.via ?? null,
      action: 'event',
      entity: e.entity,
      entity_id: e.entityId,
      after: JSON.stringify(e.data ?? {}),
      is_public: e.isPublic ?? false,
    })
    .execute();
}

/** When the log last recorded a change or event of an entity (a table's rows); null if never. */
export async function lastChangeAt(db: Kysely<DB>, entity: string): Promise<Date | null> {
  const r = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('at').as('at'))
    .where('entity', '=', entity)
    .executeTakeFirst();
  return r?.at ? new Date(r.at as unknown as string) : null;
}
