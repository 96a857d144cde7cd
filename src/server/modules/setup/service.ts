import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { hashToken, newToken } from '../../plugins/auth.ts';
import { recordEvent } from '../audit/api.ts';
import { insertStateAdmin, noStateAdmin, startSession } from '../accounts/api.ts';

/**
 * While no state-wide admin exists, each start writes a fresh single-use token (only its hash is
 * stored) and returns it for the setup link the server prints. Once an admin exists: null.
 */
export async function issueSetupToken(db: Kysely<DB>): Promise<string | null> {
  if (!(await noStateAdmin(db))) {
    await db
      .updateTable('installation')
      .set({ setup_token_hash: null, setup_token_created_at: null })
      .where('setup_token_hash', 'is not', null)
      .execute();
    return null;
  }
  const token = newToken();
  await withActor(db, { userId: null, via: 'setup' }, (trx) =>
    trx
      .updateTable('installation')
      .set({ setup_token_hash: hashToken(token), setup_token_created_at: new Date() })
      .execute(),
  );
  return token;
}

const sameHash = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Whether the setup page exists and the token opens it: 404 once an admin exists or when no link was printed. */
export async function checkSetupToken(db: Kysely<DB>, token: string) {
  const row = await db.selectFrom('installation').select('setup_token_hash').executeTakeFirstOrThrow();
  if (!row.setup_token_hash || !(await noStateAdmin(db))) throw new AppError('BRJ_ERR_NOT_FOUND');
  if (!sameHash(row.setup_token_hash, hashToken(token)))
    throw new AppError(
      'BRJ_ERR_TOKEN_INVALID',
      'El enlace de instalación no es válido: use el último que imprimió el servidor al iniciar.',
    );
}

/** Creates the first admin with the setup token, spends it and signs the admin in — one transaction. */
export async function completeSetup(
  ctx: { db: Kysely<DB>; sessionTtlHours: number },
  actor: Actor,
  input: { token: string; email: string; name: string; password: string; userAgent?: string },
) {
  return withActor(ctx.db, actor, async (trx) => {
    // The row lock makes two submissions of the same link take turns: the second finds an admin.
    await sql`select id from installation for update`.execute(trx);
    await checkSetupToken(trx, input.token);
    const userId = await insertStateAdmin(trx, actor, input);
    await trx.updateTable('installation').set({ setup_token_hash: null, setup_token_created_at: null }).execute();
    const token = await startSession(ctx, trx, userId, { userId, via: actor.via }, input.userAgent);
    return { userId, token, maxAge: ctx.sessionTtlHours * 3600 };
  });
}

export interface InstitutionPatch {
  institutionName?: string;
  cveEnt?: string | null;
  primaryColor?: string;
  accentColor?: string;
}

export async function getInstallation(db: Kysely<DB>) {
  return db
    .selectFrom('installation as i')
    .leftJoin('shared_states as s', 's.cve_ent', 'i.cve_ent')
    .select([
      'i.institution_name',
      'i.cve_ent',
      's.name as state_name',
      'i.primary_color',
      'i.accent_color',
      'i.logo_version',
      sql<boolean>`i.logo is not null`.as('has_logo'),
    ])
    .executeTakeFirstOrThrow();
}

export async function updateInstallation(db: Kysely<DB>, actor: Actor, patch: InstitutionPatch) {
  if (patch.cveEnt) {
    const s = await db.selectFrom('shared_states').select('cve_ent').where('cve_ent', '=', patch.cveEnt).executeTakeFirst();
    if (!s) throw new AppError('BRJ_ERR_VALIDATION', `La entidad ${patch.cveEnt} no existe en el catálogo de INEGI.`);
  }
  const name = patch.institutionName?.replace(/\s+/g, ' ').trim();
  if (name !== undefined && name.length < 2)
    throw new AppError('BRJ_ERR_VALIDATION', 'El nombre de la institución debe tener al menos 2 caracteres.');
  await withActor(db, actor, (trx) =>
    trx
      .updateTable('installation')
      .set({
        ...(name !== undefined && { institution_name: name }),
        ...(patch.cveEnt !== undefined && { cve_ent: patch.cveEnt }),
        ...(patch.primaryColor && { primary_color: patch.primaryColor.toLowerCase() }),
        ...(patch.accentColor && { accent_color: patch.accentColor.toLowerCase() }),
        updated_at: new Date(),
      })
      .execute(),
  );
}

/** Stores the logo re-encoded as a PNG of at most 512 px (any metadata dropped); null removes it. */
export async function setLogo(db: Kysely<DB>, actor: Actor, bytes: Buffer | null) {
  let png: Buffer | null = null;
  if (bytes) {
    const { fileTypeFromBuffer } = await import('file-type');
    const type = await fileTypeFromBuffer(bytes);
    if (!type || !['image/png', 'image/jpeg', 'image/webp'].includes(type.mime)) {
      throw new AppError('BRJ_ERR_UNSUPPORTED_FORMAT', 'El logotipo debe ser una imagen PNG, JPEG o WebP.');
    }
    const { default: sharp } = await import('sharp');
    try {
      png = await sharp(bytes, { limitInputPixels: 40_000_000 })
        .resize(512, 512, { fit: 'inside', withoutEnlargement: true })
        .png()
        .toBuffer();
    } catch {
      throw new AppError('BRJ_ERR_UNSUPPORTED_FORMAT', 'No se pudo leer la imagen del logotipo.');
    }
  }
  await withActor(db, actor, async (trx) => {
    await trx
      .updateTable('installation')
      .set((eb) => ({ logo: png, logo_version: eb('logo_version', '+', 1), updated_at: new Date() }))
      .execute();
    await recordEvent(trx, actor, {
      entity: 'installation',
      entityId: 'logo',
      data: { event: png ? 'logo_set' : 'logo_removed', bytes: png?.length ?? 0 },
    });
  });
}

export async function getLogo(db: Kysely<DB>) {
  return await db.selectFrom('installation').select(['logo', 'logo_version']).executeTakeFirstOrThrow();
}

/** The institution as PDFs show it: its name and logo. */
export async function institutionBrand(db: Kysely<DB>): Promise<{ name: string | null; logo: Buffer | null }> {
  const r = await db.selectFrom('installation').select(['institution_name', 'logo']).executeTakeFirstOrThrow();
  return { name: r.institution_name, logo: r.logo };
}

/** What the first-run wizard has done, read from the data itself (so it resumes anywhere). */
export async function setupProgress(db: Kysely<DB>) {
  const r = await sql<{
    institution: boolean;
    municipalities: number;
    localities: number;
    active: number;
    departments: number;
    staff: number;
    pending: number;
  }>`
    select (select institution_name is not null from installation) as institution,
           (select count(*)::int from shared_municipalities) as municipalities,
           (select count(*)::int from shared_units where level = 'localidad') as localities,
           (select count(*)::int from shared_municipalities where active) as active,
           (select count(*)::int from shared_departments d join shared_municipalities m on m.id = d.municipality_id where m.active) as departments,
           (select count(distinct g.user_id)::int from shared_role_grants g
             where g.role <> 'citizen' and not (g.role = 'admin' and g.municipality_id is null)) as staff,
           (select count(distinct g.user_id)::int from shared_role_grants g join shared_users u on u.id = g.user_id
             where g.role <> 'citizen' and u.email_verified_at is null) as pending`.execute(db);
  return r.rows[0];
}
