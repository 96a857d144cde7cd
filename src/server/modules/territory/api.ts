import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';

export { LEVELS } from './levels.ts';

/** What other modules may ask of the territory module. */

const fold = (s: string) =>
  ` ${s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;

export interface Located {
  lon: number;
  lat: number;
  unitId: number;
  unitName: string;
  level: string;
}

/**
 * A point for an address given without coordinates (Open311's address_id or address_string):
 * address_id is the CVEGEO of a colonia, locality or AGEB; an address_string is matched against the
 * names of the municipality's colonias and localities, as whole words without accents or case (the
 * most specific, longest name wins). The point is inside that unit (ST_PointOnSurface), so it is an
 * approximation the caller must say it is. Null when nothing matches.
 */
export async function locateAddress(
  db: Kysely<DB>,
  municipalityId: string,
  a: { addressId?: string; addressString?: string },
): Promise<Located | null> {
  const q = db
    .selectFrom('territorial_units')
    .select([
      'id',
      'name',
      'level',
      sql<number>`st_x(st_pointonsurface(geom))`.as('lon'),
      sql<number>`st_y(st_pointonsurface(geom))`.as('lat'),
    ])
    .where('municipality_id', '=', municipalityId);
  const out = (u: { id: number; name: string; level: string; lon: number; lat: number }): Located => ({
    lon: Number(u.lon),
    lat: Number(u.lat),
    unitId: u.id,
    unitName: u.name,
    level: u.level,
  });
  if (a.addressId?.trim()) {
    const u = await q.where('cvegeo', '=', a.addressId.trim()).where('level', 'in', ['colonia', 'localidad', 'ageb']).executeTakeFirst();
    if (u) return out(u);
  }
  const text = a.addressString?.trim() ? fold(a.addressString) : '';
  if (text.trim().length < 3) return null;
  const names = await db
    .selectFrom('territorial_units')
    .select(['id', 'name', 'level'])
    .where('municipality_id', '=', municipalityId)
    .where('level', 'in', ['colonia', 'localidad'])
    .execute();
  const hits = names
    .map((u) => ({ ...u, key: fold(u.name) }))
    .filter((u) => u.key.trim().length >= 3 && text.includes(u.key))
    .sort((x, y) => (x.level === y.level ? y.key.length - x.key.length : x.level === 'colonia' ? -1 : 1));
  if (!hits.length) return null;
  const u = await q.where('id', '=', hits[0].id).executeTakeFirstOrThrow();
  return out(u);
}
