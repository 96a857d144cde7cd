import crypto from 'node:crypto';
import { sql } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import { paginate } from '../../db/paginate.ts';
import { AppError } from '../../errors.ts';
import { queueMail } from '../../mail.ts';
import { hashToken, hasRole, type SessionUser } from '../../plugins/auth.ts';
import { assertDailyCap, assertNotBlocked, hiding, notify, placePoint, plain, pointSql, type Db } from './common.ts';
import { checkFile, imageVariant } from '../../files.ts';

/** Staff who handle a report: planners, or enlaces of the department it was routed to. */
export const canHandle = (user: SessionUser | null, municipalityId: string, departmentId: number | null) =>
  hasRole(user, ['planner'], municipalityId) || (departmentId != null && hasRole(user, ['enlace'], municipalityId, { departmentId }));

export async function services(db: Db, municipalityId: string, opts: { all?: boolean } = {}) {
  let q = db
    .selectFrom('report_services as s')
    .leftJoin('shared_departments as d', 'd.id', 's.department_id')
    .select([
      's.id',
      's.code',
      's.nombre',
      's.descripcion',
      's.grupo',
      's.keywords',
      's.department_id',
      's.activo',
      'd.name as dependencia',
    ])
    .where('s.municipality_id', '=', municipalityId)
    .orderBy('s.grupo')
    .orderBy('s.nombre');
  if (!opts.all) q = q.where('s.activo', '=', true);
  return q.execute();
}

export async function saveService(
  db: Db,
  actor: Actor,
  municipalityId: string,
  b: {
    code: string;
    nombre: string;
    descripcion?: string;
    grupo?: string;
    keywords?: string;
    departmentId?: number | null;
    activo?: boolean;
  },
) {
  if (b.departmentId) {
    const d = await db
      .selectFrom('shared_departments')
      .select('id')
      .where('id', '=', b.departmentId)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!d) throw new AppError('BRJ_ERR_VALIDATION', 'La dependencia no pertenece a este municipio.');
  }
  const values = {
    nombre: plain(b.nombre),
    descripcion: b.descripcion ?? '',
    grupo: plain(b.grupo ?? 'General') || 'General',
    keywords: b.keywords ?? '',
    department_id: b.departmentId ?? null,
    activo: b.activo ?? true,
  };
  return withActor(db, actor, (trx) =>
    trx
      .insertInto('report_services')
      .values({ municipality_id: municipalityId, code: b.code, ...values })
      .onConflict((oc) => oc.columns(['municipality_id', 'code']).doUpdateSet(values))
      .returning(['id', 'code', 'nombre'])
      .executeTakeFirstOrThrow(),
  );
}

export interface ReportInput {
  serviceCode: string;
  descripcion: string;
  lat: number;
  lon: number;
  direccion?: string;
  email?: string | null;
  nombre?: string | null;
  mediaUrl?: string | null;
  isDemo?: boolean;
  requestedAt?: Date;
}

export async function create(
  db: Db,
  actor: Actor,
  municipalityId: string,
  b: ReportInput,
  by: { user?: SessionUser | null; clientId?: number | null },
) {
  const user = by.user ?? null;
  if (user) {
    await assertNotBlocked(db, municipalityId, user.id);
    await assertDailyCap(db, municipalityId, user.id);
  }
  const s = await db
    .selectFrom('report_services')
    .select(['id', 'department_id', 'nombre'])
    .where('municipality_id', '=', municipalityId)
    .where('code', '=', b.serviceCode)
    .where('activo', '=', true)
    .executeTakeFirst();
  if (!s) throw new AppError('BRJ_ERR_VALIDATION', `La categoría «${b.serviceCode}» no existe.`);
  const descripcion = b.descripcion.trim();
  if (descripcion.length < 3) throw new AppError('BRJ_ERR_VALIDATION', 'Describa el problema.');
  if (b.mediaUrl && !/^https?:\/\/\S+$/.test(b.mediaUrl))
    throw new AppError('BRJ_ERR_VALIDATION', 'media_url debe ser una dirección http(s).');
  if (b.email && !/^[^@\s]+@[^@\s]+$/.test(b.email)) throw new AppError('BRJ_ERR_VALIDATION', 'El correo electrónico no es válido.');
  const { unitId } = await placePoint(db, municipalityId, b.lon, b.lat);
  return withActor(db, actor, async (trx) => {
    const r = await trx
      .insertInto('citizen_reports')
      .values({
        municipality_id: municipalityId,
        service_id: s.id,
        user_id: user?.id ?? null,
        client_id: by.clientId ?? null,
        descripcion,
        direccion: plain(b.direccion ?? ''),
        geom: pointSql(b.lon, b.lat),
        unit_id: unitId,
        email: b.email ?? null,
        nombre: b.nombre ?? null,
        media_url: b.mediaUrl ?? null,
        department_id: s.department_id,
        is_demo: b.isDemo ?? false,
        ...(b.requestedAt && { requested_at: b.requestedAt, updated_at: b.requestedAt }),
      })
      .returning(['id', 'department_id'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('report_updates')
      .values({
        municipality_id: municipalityId,
        report_id: r.id,
        estado: 'open',
        nota: 'Reporte recibido',
        user_id: user?.id ?? null,
        ...(b.requestedAt && { at: b.requestedAt }),
      })
      .execute();
    if (user)
      await trx.insertInto('report_followers').values({ municipality_id: municipalityId, report_id: r.id, user_id: user.id }).execute();
    return r;
  });
}

export interface ReportFilter {
  status?: 'open' | 'closed';
  serviceCodes?: string[];
  start?: string;
  end?: string;
  ids?: number[];
  mine?: boolean;
  departmentId?: number;
}

function base(db: Db, municipalityId: string) {
  return db
    .selectFrom('citizen_reports as r')
    .innerJoin('report_services as s', 's.id', 'r.service_id')
    .leftJoin('shared_departments as d', 'd.id', 'r.department_id')
    .leftJoin('shared_units as t', 't.id', 'r.unit_id')
    .select([
      'r.id',
      'r.estado',
      'r.status_notes',
      'r.descripcion',
      'r.direccion',
      'r.requested_at',
      'r.updated_at',
      'r.expected_at',
      'r.media_url',
      'r.department_id',
      'r.is_demo',
      'r.oculto',
      'r.motivo_oculto',
      's.code as service_code',
      's.nombre as service_name',
      'd.name as agency_responsible',
      't.name as colonia',
    ])
    .select(sql<number>`st_y(r.geom)`.as('lat'))
    .select(sql<number>`st_x(r.geom)`.as('long'))
    .select(sql<number | null>`(select p.id from report_photos p where p.report_id = r.id order by p.id limit 1)`.as('photo_id'))
    .where('r.municipality_id', '=', municipalityId);
}

export async function list(db: Db, municipalityId: string, f: ReportFilter, page: number, limit: number, user: SessionUser | null) {
  let q = base(db, municipalityId).where('r.oculto', '=', false);
  if (f.status) q = q.where('r.estado', '=', f.status);
  if (f.serviceCodes?.length) q = q.where('s.code', 'in', f.serviceCodes);
  if (f.start) q = q.where('r.requested_at', '>=', new Date(f.start));
  if (f.end) q = q.where('r.requested_at', '<=', new Date(f.end));
  if (f.ids?.length) q = q.where('r.id', 'in', f.ids);
  if (f.mine && user) q = q.where('r.user_id', '=', user.id);
  if (f.departmentId) q = q.where('r.department_id', '=', f.departmentId);
  const r = await paginate(q.orderBy('r.requested_at', 'desc').orderBy('r.id', 'desc'), page, limit);
  return { ...r, page, limit };
}

export async function get(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const r = await base(db, municipalityId).select(['r.user_id']).where('r.id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('BRJ_ERR_NOT_FOUND', 'El reporte no existe.');
  const staff = canHandle(user, municipalityId, r.department_id);
  if (r.oculto && !staff && r.user_id !== user?.id) return { id: r.id, oculto: true as const, motivo_oculto: r.motivo_oculto };
  const [historial, fotos, sigo] = await Promise.all([
    db.selectFrom('report_updates').select(['estado', 'nota', 'at']).where('report_id', '=', id).orderBy('at').orderBy('id').execute(),
    db.selectFrom('report_photos').select(['id']).where('report_id', '=', id).orderBy('id').execute(),
    user
      ? db.selectFrom('report_followers').select('user_id').where('report_id', '=', id).where('user_id', '=', user.id).executeTakeFirst()
      : undefined,
  ]);
  const { user_id, ...pub } = r;
  return { ...pub, historial, fotos: fotos.map((f) => f.id), seguido: !!sigo, mio: user_id === user?.id && !!user, atendible: staff };
}

/** Open reports of the same kind within 150 m in the last 90 days: "¿es el mismo?" before submitting. */
export async function nearby(db: Db, municipalityId: string, lon: number, lat: number, serviceCode?: string) {
  let q = base(db, municipalityId)
    .select(sql<number>`round(st_distance(r.geom::geography, ${pointSql(lon, lat)}::geography))::int`.as('distancia_m'))
    .where('r.oculto', '=', false)
    .where('r.estado', '=', 'open')
    .where('r.requested_at', '>', sql<Date>`now() - interval '90 days'`)
    .where(sql<boolean>`st_dwithin(r.geom::geography, ${pointSql(lon, lat)}::geography, 150)`);
  if (serviceCode) q = q.where('s.code', '=', serviceCode);
  return q
    .orderBy(sql`st_distance(r.geom::geography, ${pointSql(lon, lat)}::geography)`)
    .limit(5)
    .execute();
}

export async function update(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  user: SessionUser,
  b: { estado?: 'open' | 'closed'; nota?: string; expectedAt?: string | null; departmentId?: number | null },
  publicUrl: string,
) {
  const r = await db
    .selectFrom('citizen_reports')
    .select(['id', 'estado', 'department_id', 'email', 'descripcion'])
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!r) throw new AppError('BRJ_ERR_NOT_FOUND', 'El reporte no existe.');
  if (!canHandle(user, municipalityId, r.department_id))
    throw new AppError('BRJ_ERR_FORBIDDEN', 'Este reporte lo atiende otra dependencia.');
  const nota = (b.nota ?? '').trim();
  if (b.estado === 'closed' && nota.length < 3)
    throw new AppError('BRJ_ERR_VALIDATION', 'Al cerrar un reporte escriba la nota de atención; la ve quien reportó.');
  if (b.departmentId) {
    const d = await db
      .selectFrom('shared_departments')
      .select('id')
      .where('id', '=', b.departmentId)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!d) throw new AppError('BRJ_ERR_VALIDATION', 'La dependencia no pertenece a este municipio.');
  }
  return withActor(db, actor, async (trx) => {
    const estado = b.estado ?? r.estado;
    const u = await trx
      .updateTable('citizen_reports')
      .set({
        estado,
        ...(nota && { status_notes: nota }),
        ...(b.expectedAt !== undefined && { expected_at: b.expectedAt ? new Date(b.expectedAt) : null }),
        ...(b.departmentId !== undefined && { department_id: b.departmentId }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returning(['id', 'estado', 'status_notes', 'department_id', 'expected_at'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('report_updates')
      .values({ municipality_id: municipalityId, report_id: id, estado, nota, user_id: user.id })
      .execute();
    const titulo = `Reporte ${id}: ${estado === 'closed' ? 'atendido' : 'actualizado'}`;
    const cuerpo = nota || (estado === 'closed' ? 'Su reporte fue atendido y cerrado.' : 'Su reporte tiene una actualización.');
    const enlace = `/m/${municipalityId}/reportes/${id}`;
    const followers = await trx.selectFrom('report_followers').select('user_id').where('report_id', '=', id).execute();
    await notify(
      trx,
      municipalityId,
      followers.map((f) => f.user_id),
      { titulo, cuerpo, enlace },
      publicUrl,
    );
    // People who reported through an Open311 app without an account get the news by e-mail.
    if (r.email) await queueMail(trx, { to: r.email, subject: titulo, body: `${cuerpo}\n\n${publicUrl}${enlace}` });
    return u;
  });
}

export async function follow(db: Db, actor: Actor, municipalityId: string, id: number, user: SessionUser, on: boolean) {
  const r = await db
    .selectFrom('citizen_reports')
    .select('oculto')
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!r || r.oculto) throw new AppError('BRJ_ERR_NOT_FOUND', 'El reporte no existe.');
  await withActor(db, actor, async (trx) => {
    if (on)
      await trx
        .insertInto('report_followers')
        .values({ municipality_id: municipalityId, report_id: id, user_id: user.id })
        .onConflict((oc) => oc.columns(['report_id', 'user_id']).doNothing())
        .execute();
    else await trx.deleteFrom('report_followers').where('report_id', '=', id).where('user_id', '=', user.id).execute();
  });
  return { seguido: on };
}

export async function hide(db: Db, actor: Actor, municipalityId: string, id: number, b: { oculto: boolean; motivo?: string }) {
  const set = hiding(b);
  return withActor(db, actor, async (trx) => {
    const r = await trx
      .updateTable('citizen_reports')
      .set(set)
      .where('id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .returning(['id', 'oculto', 'motivo_oculto'])
      .executeTakeFirst();
    if (!r) throw new AppError('BRJ_ERR_NOT_FOUND', 'El reporte no existe.');
    return r;
  });
}

export async function assertPhotoTarget(db: Db, municipalityId: string, id: number, user: SessionUser) {
  const r = await db
    .selectFrom('citizen_reports')
    .select(['user_id', 'department_id'])
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!r) throw new AppError('BRJ_ERR_NOT_FOUND', 'El reporte no existe.');
  if (r.user_id !== user.id && !canHandle(user, municipalityId, r.department_id))
    throw new AppError('BRJ_ERR_FORBIDDEN', 'Solo quien reportó o quien lo atiende agrega fotos.');
}

export async function addPhoto(db: Db, actor: Actor, municipalityId: string, id: number, file: { nombre: string; bytes: Buffer }) {
  const img = await checkFile(file.bytes, file.nombre, { images: true, pdf: false });
  return withActor(db, actor, async (trx) => {
    const n = await trx
      .selectFrom('report_photos')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('report_id', '=', id)
      .executeTakeFirstOrThrow();
    if (n.n >= 4) throw new AppError('BRJ_ERR_VALIDATION', 'Un reporte admite hasta 4 fotos.');
    return trx
      .insertInto('report_photos')
      .values({
        municipality_id: municipalityId,
        report_id: id,
        mime: img.mime,
        bytes: img.contenido.length,
        contenido: img.contenido,
        miniatura: img.miniatura,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
  });
}

export async function getPhoto(db: Db, municipalityId: string, photoId: number, thumb: boolean) {
  const p = await db
    .selectFrom('report_photos as p')
    .innerJoin('citizen_reports as r', 'r.id', 'p.report_id')
    .select(['p.mime', 'p.contenido', 'p.miniatura'])
    .where('p.id', '=', photoId)
    .where('r.municipality_id', '=', municipalityId)
    .where('r.oculto', '=', false)
    .executeTakeFirst();
  if (!p) throw new AppError('BRJ_ERR_NOT_FOUND', 'La foto no existe.');
  return imageVariant(p, thumb);
}

export async function geojson(db: Db, municipalityId: string, f: ReportFilter) {
  let q = db
    .selectFrom('citizen_reports as r')
    .innerJoin('report_services as s', 's.id', 'r.service_id')
    .select(['r.id', 'r.estado', 's.code as service_code', 's.nombre as service_name'])
    .select(sql<{ type: 'Point'; coordinates: [number, number] }>`st_asgeojson(r.geom, 6)::jsonb`.as('geometry'))
    .where('r.municipality_id', '=', municipalityId)
    .where('r.oculto', '=', false);
  if (f.status) q = q.where('r.estado', '=', f.status);
  const rows = await q.orderBy('r.id').execute();
  return {
    type: 'FeatureCollection' as const,
    features: rows.map(({ geometry, ...properties }) => ({ type: 'Feature' as const, id: properties.id, geometry, properties })),
  };
}

// ---------- Open311 API clients ----------
export async function clients(db: Db, municipalityId: string) {
  return db
    .selectFrom('open311_clients')
    .select(['id', 'nombre', 'contacto', 'created_at', 'revoked_at'])
    .where('municipality_id', '=', municipalityId)
    .orderBy('id')
    .execute();
}

/** Creates a client and returns its api_key once; only its hash is stored. */
export async function createClient(
  db: Db,
  actor: Actor,
  municipalityId: string,
  user: SessionUser,
  b: { nombre: string; contacto?: string },
) {
  const key = `o311_${crypto.randomBytes(24).toString('base64url')}`;
  const c = await withActor(db, actor, (trx) =>
    trx
      .insertInto('open311_clients')
      .values({
        municipality_id: municipalityId,
        nombre: plain(b.nombre),
        contacto: b.contacto ?? '',
        key_hash: hashToken(key),
        created_by: user.id,
      })
      .returning(['id', 'nombre'])
      .executeTakeFirstOrThrow(),
  );
  return { ...c, api_key: key };
}

export async function revokeClient(db: Db, actor: Actor, municipalityId: string, id: number) {
  await withActor(db, actor, async (trx) => {
    const r = await trx
      .updateTable('open311_clients')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!r.numUpdatedRows) throw new AppError('BRJ_ERR_NOT_FOUND', 'El cliente no existe o ya fue revocado.');
  });
}

export async function clientByKey(db: Db, municipalityId: string, key: string) {
  return db
    .selectFrom('open311_clients')
    .select(['id', 'nombre'])
    .where('key_hash', '=', hashToken(key))
    .where('municipality_id', '=', municipalityId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}
