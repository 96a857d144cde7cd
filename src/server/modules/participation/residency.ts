import crypto from 'node:crypto';
import { sql } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import type { SessionUser } from '../../plugins/auth.ts';
import { keyedHash, residency, settings, type Db } from './common.ts';

export interface SmsSender {
  send(db: Db, municipalityId: string, to: string, body: string): Promise<void>;
}

/**
 * SMS senders are pluggable: the embedded default leaves messages in sms_outbox (an operator or a
 * gateway script takes them from there); BRUJULA_SMS_WEBHOOK_URL posts {to, body} to a gateway.
 */
export function smsSender(webhookUrl: string): SmsSender {
  if (!webhookUrl) {
    return {
      send: async (db, municipalityId, to, body) =>
        void (await db.insertInto('sms_outbox').values({ municipality_id: municipalityId, to_number: to, body }).execute()),
    };
  }
  return {
    send: async (db, municipalityId, to, body) => {
      await db.insertInto('sms_outbox').values({ municipality_id: municipalityId, to_number: to, body, sent_at: new Date() }).execute();
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to, body }),
        signal: AbortSignal.timeout(10_000),
      }).catch(() => null);
      if (!res?.ok) throw new AppError('BRJ_ERR_DB_UNAVAILABLE', 'El servicio de mensajes SMS no respondió. Intente más tarde.');
    },
  };
}

/** Mexican mobile numbers: 10 digits, with or without +52. */
export function normalizePhone(raw: string) {
  const d = raw.replace(/[\s()-]/g, '').replace(/^\+?52(?=\d{10}$)/, '');
  if (!/^[1-9]\d{9}$/.test(d))
    throw new AppError('BRJ_ERR_VALIDATION', 'Escriba un número celular de 10 dígitos (por ejemplo 492 123 4567).');
  return d;
}

const CURP =
  /^[A-Z][AEIOUX][A-Z]{2}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[HMX](AS|BC|BS|CC|CL|CM|CS|CH|DF|DG|GT|GR|HG|JC|MC|MN|MS|NT|NL|OC|PL|QT|QR|SP|SL|SR|TC|TS|TL|VZ|YN|ZS|NE)[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d$/;
const CURP_CHARS = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

/** RENAPO's CURP format and check digit (the check digit catches most typing errors). */
export function checkCurp(raw: string) {
  const c = raw.trim().toUpperCase();
  if (!CURP.test(c))
    throw new AppError('BRJ_ERR_VALIDATION', 'La CURP no tiene el formato válido (18 caracteres, p. ej. GOML850101MZSRRS09).');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CURP_CHARS.indexOf(c[i]) * (18 - i);
  const digit = (10 - (sum % 10)) % 10;
  if (digit !== Number(c[17]))
    throw new AppError('BRJ_ERR_VALIDATION', 'La CURP no es válida: su dígito verificador no corresponde. Revise que esté bien escrita.');
  return c;
}

async function assertUnit(db: Db, municipalityId: string, unitId: number | null | undefined) {
  if (unitId == null) return null;
  const u = await db
    .selectFrom('shared_units')
    .select('id')
    .where('id', '=', unitId)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!u) throw new AppError('BRJ_ERR_VALIDATION', 'La colonia elegida no pertenece a este municipio.');
  return unitId;
}

export async function status(db: Db, municipalityId: string, user: SessionUser) {
  const [r, s] = await Promise.all([residency(db, municipalityId, user.id), settings(db, municipalityId)]);
  const unit = r?.unit_id
    ? await db.selectFrom('shared_units').select(['id', 'name', 'level']).where('id', '=', r.unit_id).executeTakeFirst()
    : null;
  return {
    verificado: !!r,
    metodo: r?.metodo ?? null,
    verificadoEl: r?.verified_at ?? null,
    telefonoFinal: r?.telefono_final ?? null,
    unidad: unit ?? null,
    metodos: s.verificacion,
  };
}

export async function startSms(
  db: Db,
  actor: Actor,
  secret: string,
  sender: SmsSender,
  municipalityId: string,
  user: SessionUser,
  telefono: string,
) {
  const s = await settings(db, municipalityId);
  if (!s.verificacion.includes('sms'))
    throw new AppError('BRJ_ERR_FORBIDDEN', 'Este municipio verifica la residencia en persona, no por SMS.');
  if (await residency(db, municipalityId, user.id)) throw new AppError('BRJ_ERR_CONFLICT', 'Su residencia ya está verificada.');
  const phone = normalizePhone(telefono);
  const phoneHash = keyedHash(secret, 'tel', phone);
  const taken = await db
    .selectFrom('resident_verifications')
    .select('user_id')
    .where('municipality_id', '=', municipalityId)
    .where('telefono_hash', '=', phoneHash)
    .executeTakeFirst();
  if (taken) throw new AppError('BRJ_ERR_CONFLICT', 'Ese número ya verificó otra cuenta en este municipio: una persona, una cuenta.');
  const recent = await sql<{
    n: number;
  }>`select count(*)::int as n from verification_codes where user_id = ${user.id} and created_at > now() - interval '1 day'`.execute(db);
  if (recent.rows[0].n >= 5)
    throw new AppError('BRJ_ERR_RATE_LIMITED', 'Pidió 5 códigos hoy. Intente mañana o acuda a verificarse en persona.');
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
  await withActor(db, actor, async (trx) => {
    await trx
      .insertInto('verification_codes')
      .values({
        municipality_id: municipalityId,
        user_id: user.id,
        telefono_hash: phoneHash,
        telefono_final: phone.slice(-4),
        code_hash: keyedHash(secret, 'code', `${user.id}:${code}`),
        expires_at: new Date(Date.now() + 15 * 60_000),
      })
      .execute();
    await sender.send(trx, municipalityId, phone, `Brújula: su código de verificación es ${code}. Vence en 15 minutos. No lo comparta.`);
  });
  return { telefonoFinal: phone.slice(-4), vigenciaMinutos: 15 };
}

export async function confirmSms(
  db: Db,
  actor: Actor,
  secret: string,
  municipalityId: string,
  user: SessionUser,
  codigo: string,
  unitId?: number | null,
) {
  const unit = await assertUnit(db, municipalityId, unitId);
  const pending = await db
    .selectFrom('verification_codes')
    .selectAll()
    .where('user_id', '=', user.id)
    .where('municipality_id', '=', municipalityId)
    .where('used_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!pending || pending.expires_at < new Date())
    throw new AppError('BRJ_ERR_TOKEN_INVALID', 'El código expiró o no ha pedido uno. Pida un código nuevo.');
  if (pending.intentos >= 5) throw new AppError('BRJ_ERR_RATE_LIMITED', 'Demasiados intentos con este código. Pida uno nuevo.');
  const ok = keyedHash(secret, 'code', `${user.id}:${codigo.trim()}`) === pending.code_hash;
  return withActor(db, actor, async (trx) => {
    if (!ok) {
      await trx
        .updateTable('verification_codes')
        .set({ intentos: pending.intentos + 1 })
        .where('id', '=', pending.id)
        .execute();
      return { verificado: false, mensaje: 'El código no coincide. Revise el SMS e intente de nuevo.' };
    }
    await trx.updateTable('verification_codes').set({ used_at: new Date() }).where('id', '=', pending.id).execute();
    try {
      await trx
        .insertInto('resident_verifications')
        .values({
          municipality_id: municipalityId,
          user_id: user.id,
          metodo: 'sms',
          telefono_hash: pending.telefono_hash,
          telefono_final: pending.telefono_final,
          unit_id: unit,
        })
        .execute();
    } catch (e) {
      if ((e as { code?: string }).code === '23505')
        throw new AppError('BRJ_ERR_CONFLICT', 'Ese número ya verificó otra cuenta en este municipio: una persona, una cuenta.');
      throw e;
    }
    return { verificado: true, mensaje: 'Residencia verificada. Ya puede apoyar propuestas y votar.' };
  });
}

/** Staff verify a person who came with an official ID; the CURP keeps one person to one account. */
export async function verifyInPerson(
  db: Db,
  actor: Actor,
  secret: string,
  municipalityId: string,
  staff: SessionUser,
  b: { email: string; curp: string; unitId?: number | null },
) {
  const s = await settings(db, municipalityId);
  if (!s.verificacion.includes('presencial'))
    throw new AppError('BRJ_ERR_FORBIDDEN', 'Este municipio no tiene activada la verificación en persona.');
  const curp = checkCurp(b.curp);
  const unit = await assertUnit(db, municipalityId, b.unitId);
  const person = await db
    .selectFrom('shared_users')
    .select(['id', 'name', 'email_verified_at'])
    .where(sql`lower(email)`, '=', b.email.trim().toLowerCase())
    .executeTakeFirst();
  if (!person) throw new AppError('BRJ_ERR_NOT_FOUND', 'No hay una cuenta con ese correo. La persona debe registrarse primero.');
  if (!person.email_verified_at) throw new AppError('BRJ_ERR_VALIDATION', 'La persona aún no confirma su correo electrónico.');
  const curpHash = keyedHash(secret, 'curp', curp);
  return withActor(db, actor, async (trx) => {
    const other = await trx
      .selectFrom('resident_verifications')
      .select('user_id')
      .where('municipality_id', '=', municipalityId)
      .where('curp_hash', '=', curpHash)
      .executeTakeFirst();
    if (other && other.user_id !== person.id)
      throw new AppError('BRJ_ERR_CONFLICT', 'Esa CURP ya verificó otra cuenta en este municipio: una persona, una cuenta.');
    await trx.deleteFrom('resident_verifications').where('municipality_id', '=', municipalityId).where('user_id', '=', person.id).execute();
    await trx
      .insertInto('resident_verifications')
      .values({
        municipality_id: municipalityId,
        user_id: person.id,
        metodo: 'presencial',
        curp_hash: curpHash,
        unit_id: unit,
        verificado_por: staff.id,
      })
      .execute();
    return { userId: person.id, nombre: person.name, verificado: true };
  });
}

export async function revoke(db: Db, actor: Actor, municipalityId: string, userId: number) {
  await withActor(db, actor, async (trx) => {
    const r = await trx
      .deleteFrom('resident_verifications')
      .where('municipality_id', '=', municipalityId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!r.numDeletedRows) throw new AppError('BRJ_ERR_NOT_FOUND', 'Esa persona no tiene residencia verificada.');
  });
}

export async function smsOutbox(db: Db, municipalityId: string) {
  return db
    .selectFrom('sms_outbox')
    .select(['id', 'to_number', 'body', 'created_at', 'sent_at'])
    .where('municipality_id', '=', municipalityId)
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
}
