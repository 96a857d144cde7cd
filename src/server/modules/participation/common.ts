import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import sanitizeHtml from 'sanitize-html';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { queueMail } from '../../mail.ts';
import type { SessionUser } from '../../plugins/auth.ts';

export type Db = Kysely<DB>;

/** A municipality's participation settings, with the defaults when none were saved. */
export async function settings(db: Db, municipalityId: string) {
  const row = await db.selectFrom('participation_settings').selectAll().where('municipality_id', '=', municipalityId).executeTakeFirst();
  // The column's CHECK admits only these two methods.
  const verificacion = (row?.verificacion ?? ['sms', 'presencial']) as ('sms' | 'presencial')[];
  return { verificacion, limiteDiario: row?.limite_diario ?? 20 };
}

/** Refuses people blocked from participating in this municipality. */
export async function assertNotBlocked(db: Db, municipalityId: string, userId: number) {
  const b = await db
    .selectFrom('participation_blocks')
    .select('motivo')
    .where('municipality_id', '=', municipalityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (b) throw new AppError('BRJ_ERR_FORBIDDEN', `Su cuenta no puede participar en este municipio: ${b.motivo}`);
}

/**
 * The daily cap per account over every kind of public write (proposals, comments, reports,
 * projects): a flood that stays under the per-minute rate limit still stops here.
 */
export async function assertDailyCap(db: Db, municipalityId: string, userId: number) {
  const { limiteDiario } = await settings(db, municipalityId);
  const r = await sql<{ n: number }>`
    select ((select count(*) from proposals where user_id = ${userId} and created_at > now() - interval '1 day')
          + (select count(*) from proposal_comments where user_id = ${userId} and created_at > now() - interval '1 day')
          + (select count(*) from citizen_reports where user_id = ${userId} and requested_at > now() - interval '1 day')
          + (select count(*) from pb_projects where user_id = ${userId} and created_at > now() - interval '1 day'))::int as n`.execute(db);
  if (r.rows[0].n >= limiteDiario) {
    throw new AppError(
      'BRJ_ERR_RATE_LIMITED',
      `Alcanzó el máximo de ${limiteDiario} publicaciones por día (propuestas, comentarios y reportes). Gracias por participar; continúe mañana.`,
    );
  }
}

/** Whether the person is a verified resident of the municipality (and where, when known). */
export async function residency(db: Db, municipalityId: string, userId: number) {
  return db
    .selectFrom('resident_verifications')
    .select(['metodo', 'unit_id', 'verified_at', 'telefono_final'])
    .where('municipality_id', '=', municipalityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export const NOT_RESIDENT =
  'Para apoyar propuestas y votar debe verificar que reside en el municipio: vaya a «Participación» › «Mi verificación de residencia».';

export async function assertResident(db: Db, municipalityId: string, user: SessionUser) {
  const r = await residency(db, municipalityId, user.id);
  if (!r) throw new AppError('BRJ_ERR_FORBIDDEN', NOT_RESIDENT);
  return r;
}

/** In-app notification plus an e-mail in the outbox, inside the caller's transaction. */
export async function notify(
  trx: Db,
  municipalityId: string,
  userIds: number[],
  n: { titulo: string; cuerpo: string; enlace: string },
  publicUrl: string,
) {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return;
  await trx
    .insertInto('notifications')
    .values(ids.map((user_id) => ({ municipality_id: municipalityId, user_id, titulo: n.titulo, cuerpo: n.cuerpo, enlace: n.enlace })))
    .execute();
  const people = await trx
    .selectFrom('shared_users')
    .select(['email', 'name'])
    .where('id', 'in', ids)
    .where('status', '=', 'active')
    .execute();
  for (const p of people) {
    await queueMail(trx, {
      to: p.email,
      subject: n.titulo,
      body: `Hola ${p.name}:\n\n${n.cuerpo}\n\n${publicUrl}${n.enlace}\n\nRecibe este aviso porque sigue esta publicación en Brújula.`,
    });
  }
}

const RICH = {
  allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'ul', 'ol', 'li', 'blockquote', 'h3', 'h4', 'a'],
  allowedAttributes: { a: ['href', 'title'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer', target: '_blank' }) },
};

/** Sanitised rich text and its plain text (for search, feeds and length checks). */
export function richText(html: string) {
  const clean = sanitizeHtml(html, RICH).trim();
  const text = sanitizeHtml(clean.replace(/<\/(p|li|h3|h4|blockquote)>|<br\s*\/?>/g, '$& '), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return { html: clean, text };
}

export const plain = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The columns that hide (or show again) a proposal, comment or report; hiding needs a public reason. */
export function hiding(b: { oculto: boolean; motivo?: string }) {
  if (b.oculto && (b.motivo ?? '').trim().length < 3)
    throw new AppError('BRJ_ERR_VALIDATION', 'Escriba el motivo para ocultar; se mostrará públicamente.');
  return { oculto: b.oculto, motivo_oculto: b.oculto ? b.motivo!.trim() : null };
}

/** A keyed hash for identifiers that must be unique but never readable (phone numbers, CURP). */
export const keyedHash = (secret: string, kind: string, value: string) =>
  crypto.createHmac('sha256', secret).update(`${kind}:${value}`).digest('hex');

/** Point from lon/lat after checking it lies in the municipality; returns the colonia (or locality) it falls in. */
export async function placePoint(db: Db, municipalityId: string, lon: number, lat: number) {
  const r = await sql<{ inside: boolean; unit_id: number | null }>`
    select exists (select 1 from shared_units m where m.municipality_id = ${municipalityId} and m.level = 'municipio'
                     and st_intersects(m.geom, st_setsrid(st_makepoint(${lon}, ${lat}), 4326))) as inside,
           (select u.id from shared_units u where u.municipality_id = ${municipalityId} and u.level in ('colonia', 'localidad')
              and st_intersects(u.geom, st_setsrid(st_makepoint(${lon}, ${lat}), 4326))
            order by case u.level when 'colonia' then 0 else 1 end, u.area_m2 nulls last limit 1) as unit_id`.execute(db);
  const hasLimit = await db
    .selectFrom('shared_units')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('level', '=', 'municipio')
    .executeTakeFirst();
  if (hasLimit && !r.rows[0].inside)
    throw new AppError('BRJ_ERR_VALIDATION', 'El punto marcado está fuera del municipio. Márquelo dentro de su límite.');
  return { unitId: r.rows[0].unit_id };
}

export const pointSql = (lon: number, lat: number) => sql`st_setsrid(st_makepoint(${lon}, ${lat}), 4326)`;
