import { hash, verify, Algorithm } from '@node-rs/argon2';
import { sql, type Kysely } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB, Role } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { queueMail } from '../../mail.ts';
import { hashToken, newToken, hasRole, type SessionUser } from '../../plugins/auth.ts';
import { recordEvent } from '../audit/api.ts';
import { checkPassword } from './password.ts';
import * as repo from './repo.ts';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const ARGON = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const hashPassword = (password: string) => hash(password, ARGON);
const DUMMY_HASH = hashPassword('brujula-dummy-password-for-timing');

export interface AccountsContext {
  db: Kysely<DB>;
  publicUrl: string;
  sessionTtlHours: number;
  loginAccountLimit: number;
  log: (m: string) => void;
}

/**
 * Registration answers the same whether or not the e-mail has an account, so it cannot be used to
 * find out who uses Brújula: an existing address (found first, or inserted by a registration that
 * won a race) gets a notice with the sign-in and reset links instead of a new account.
 */
export async function register(
  ctx: AccountsContext,
  actor: Actor,
  input: { email: string; name: string; password: string; municipalityId: string },
) {
  const email = input.email.trim();
  const name = input.name.trim();
  const municipality = await ctx.db
    .selectFrom('shared_municipalities')
    .select('id')
    .where('id', '=', input.municipalityId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!municipality) throw new AppError('BRJ_ERR_MUNICIPALITY_NOT_FOUND');
  await checkPassword(input.password, [email, name]);
  // Hashed in both cases, so the answer takes as long whether or not the account exists.
  const passwordHash = await hashPassword(input.password);
  const existing = await repo.findUserByEmail(ctx.db, email);
  if (!existing) {
    const token = newToken();
    try {
      await withActor(ctx.db, actor, async (trx) => {
        const u = await repo.insertUser(trx, { email, name, passwordHash, homeMunicipalityId: input.municipalityId });
        await repo.insertGrant(trx, {
          userId: u.id,
          municipalityId: input.municipalityId,
          role: 'citizen',
          departmentId: null,
          grantedBy: null,
        });
        await repo.insertToken(trx, { hash: hashToken(token), userId: u.id, purpose: 'verify_email', hours: 48 });
        await queueMail(
          trx,
          {
            to: email,
            subject: 'Confirme su correo en Brújula',
            body: `Hola ${name}:\n\nPara activar su cuenta abra este enlace (vigente 48 horas):\n${ctx.publicUrl}/verificar?token=${token}\n\nSi usted no creó esta cuenta, ignore este mensaje.`,
          },
          ctx.log,
        );
      });
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== '23505') throw e;
    }
  }
  const owner = existing ?? (await repo.findUserByEmail(ctx.db, email));
  if (!owner) return;
  await withActor(ctx.db, actor, (trx) =>
    queueMail(
      trx,
      {
        to: owner.email,
        subject: 'Su correo ya tiene una cuenta en Brújula',
        body: `Hola ${owner.name}:\n\nAlguien intentó crear una cuenta en Brújula con este correo, que ya tiene una. Si fue usted, inicie sesión en ${ctx.publicUrl}/entrar o, si no recuerda su contraseña, pida una nueva en ${ctx.publicUrl}/recuperar.\n\nSi no fue usted, ignore este mensaje: su cuenta no cambió.`,
      },
      ctx.log,
    ),
  );
}

export async function verifyEmail(ctx: AccountsContext, actor: Actor, token: string) {
  await withActor(ctx.db, actor, async (trx) => {
    const used = await repo.consumeToken(trx, hashToken(token), 'verify_email');
    if (!used) throw new AppError('BRJ_ERR_TOKEN_INVALID');
    await trx
      .updateTable('users')
      .set({ email_verified_at: new Date() })
      .where('id', '=', used.user_id)
      .where('email_verified_at', 'is', null)
      .execute();
  });
}

const FAILURE_WINDOW_MINUTES = 15;

/**
 * Returns a new session token; the caller sets it as a cookie. After `loginAccountLimit` failures
 * for one e-mail in 15 minutes, from any IP, that e-mail gets 429 until the window passes — the
 * same whether or not it has an account, so the limit reveals nothing.
 */
export async function login(ctx: AccountsContext, actor: Actor, input: { email: string; password: string; userAgent?: string }) {
  const typed = input.email.trim().toLowerCase();
  const since = new Date(Date.now() - FAILURE_WINDOW_MINUTES * 60_000);
  const failures = await ctx.db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(sql`lower(email)`, '=', typed)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  if (Number(failures.n) >= ctx.loginAccountLimit) {
    throw new AppError(
      'BRJ_ERR_RATE_LIMITED',
      `Demasiados intentos fallidos con este correo. Espere ${FAILURE_WINDOW_MINUTES} minutos o restablezca su contraseña.`,
    );
  }
  const user = await repo.findUserByEmail(ctx.db, typed);
  const ok = user ? await verify(user.password_hash, input.password) : (await verify(await DUMMY_HASH, input.password), false);
  if (!user || !ok) {
    // Kept a day, for every e-mail: a spray of made-up addresses cannot grow the table without bound.
    await ctx.db
      .deleteFrom('login_failures')
      .where('at', '<', new Date(Date.now() - 86400_000))
      .execute();
    await ctx.db
      .insertInto('login_failures')
      .values({ email: typed.slice(0, 320) })
      .execute();
    throw new AppError('BRJ_ERR_BAD_CREDENTIALS');
  }
  await ctx.db.deleteFrom('login_failures').where(sql`lower(email)`, '=', typed).execute();
  if (user.status !== 'active') throw new AppError('BRJ_ERR_ACCOUNT_BLOCKED');
  if (!user.email_verified_at) throw new AppError('BRJ_ERR_EMAIL_NOT_VERIFIED');
  const token = await withActor(ctx.db, { userId: user.id, via: actor.via }, (trx) =>
    startSession(ctx, trx, user.id, actor, input.userAgent),
  );
  return { token, maxAge: ctx.sessionTtlHours * 3600, user };
}

/** Opens a session for a user inside the caller's transaction; returns the cookie's token. */
export async function startSession(
  ctx: Pick<AccountsContext, 'sessionTtlHours'>,
  trx: Kysely<DB>,
  userId: number,
  actor: Actor,
  userAgent?: string,
) {
  const token = newToken();
  await trx
    .insertInto('sessions')
    .values({
      id: hashToken(token),
      user_id: userId,
      expires_at: new Date(Date.now() + ctx.sessionTtlHours * 3600_000),
      ip: actor.via ?? null,
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  await trx.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', userId).execute();
  await recordEvent(trx, { userId, via: actor.via }, { entity: 'session', entityId: String(userId), data: { event: 'login' } });
  return token;
}

export async function logout(ctx: AccountsContext, actor: Actor, sessionId: string) {
  await withActor(ctx.db, actor, async (trx) => {
    await trx.deleteFrom('sessions').where('id', '=', sessionId).execute();
    await recordEvent(trx, actor, { entity: 'session', entityId: String(actor.userId), data: { event: 'logout' } });
  });
}

/** Always succeeds from the caller's point of view, so it cannot be used to probe which e-mails exist. */
export async function forgotPassword(ctx: AccountsContext, actor: Actor, email: string) {
  const user = await repo.findUserByEmail(ctx.db, email.trim());
  if (user?.status !== 'active') return;
  const token = newToken();
  await withActor(ctx.db, actor, async (trx) => {
    await repo.insertToken(trx, { hash: hashToken(token), userId: user.id, purpose: 'reset_password', hours: 2 });
    await queueMail(
      trx,
      {
        to: user.email,
        subject: 'Restablecer su contraseña de Brújula',
        body: `Hola ${user.name}:\n\nPara elegir una nueva contraseña abra este enlace (vigente 2 horas):\n${ctx.publicUrl}/restablecer?token=${token}\n\nSi usted no lo pidió, ignore este mensaje; su contraseña no cambia.`,
      },
      ctx.log,
    );
  });
}

export async function resetPassword(ctx: AccountsContext, actor: Actor, token: string, password: string) {
  const who = await repo.peekToken(ctx.db, hashToken(token), 'reset_password');
  await checkPassword(password, [who?.email, who?.name]);
  const passwordHash = await hashPassword(password);
  await withActor(ctx.db, actor, async (trx) => {
    const used = await repo.consumeToken(trx, hashToken(token), 'reset_password');
    if (!used) throw new AppError('BRJ_ERR_TOKEN_INVALID');
    // A reset link proves control of the mailbox, so it also verifies the address.
    await trx
      .updateTable('users')
      .set((eb) => ({ password_hash: passwordHash, email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(new Date())) }))
      .where('id', '=', used.user_id)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', used.user_id).execute();
    await recordEvent(
      trx,
      { userId: used.user_id, via: actor.via },
      { entity: 'session', entityId: String(used.user_id), data: { event: 'password_reset' } },
    );
  });
}

/** Municipalities a user administers; null in the list means state-wide. */
export function adminScopes(user: SessionUser): (string | null)[] {
  return user.grants.filter((g) => g.role === 'admin').map((g) => g.municipalityId);
}

/** An address as typed, trimmed, or a clear refusal (the CLI passes it unchecked by any schema). */
function cleanEmail(raw: string) {
  const email = raw.trim();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || email.length > 254)
    throw new AppError('BRJ_ERR_VALIDATION', `El correo «${email}» no es válido.`);
  return email;
}

type GrantInput = { municipalityId: string | null; role: Role; departmentId: number | null };

/** The rules of a grant: an enlace belongs to a department of that municipality; the municipality exists. */
async function checkGrant(db: Kysely<DB>, input: GrantInput) {
  if (input.role === 'enlace') {
    if (input.departmentId == null || input.municipalityId == null) {
      throw new AppError('BRJ_ERR_VALIDATION', 'Un enlace se asigna a una dependencia de un municipio.');
    }
    const dep = await db
      .selectFrom('departments')
      .select('id')
      .where('id', '=', input.departmentId)
      .where('municipality_id', '=', input.municipalityId)
      .executeTakeFirst();
    if (!dep) throw new AppError('BRJ_ERR_VALIDATION', 'La dependencia no pertenece a ese municipio.');
  } else if (input.departmentId != null) {
    throw new AppError('BRJ_ERR_VALIDATION', 'Solo el rol de enlace lleva dependencia.');
  }
  if (input.municipalityId) {
    const m = await db.selectFrom('shared_municipalities').select('id').where('id', '=', input.municipalityId).executeTakeFirst();
    if (!m) throw new AppError('BRJ_ERR_MUNICIPALITY_NOT_FOUND');
  }
}

export async function grantRole(ctx: AccountsContext, admin: SessionUser, actor: Actor, input: GrantInput & { userId: number }) {
  if (!hasRole(admin, ['admin'], input.municipalityId)) throw new AppError('BRJ_ERR_FORBIDDEN');
  const target = await repo.findUserById(ctx.db, input.userId);
  if (!target) throw new AppError('BRJ_ERR_NOT_FOUND', 'La persona usuaria no existe.');
  await checkGrant(ctx.db, input);
  const existing = await ctx.db
    .selectFrom('role_grants')
    .select('id')
    .where('user_id', '=', input.userId)
    .where('role', '=', input.role)
    .where((eb) => (input.municipalityId === null ? eb('municipality_id', 'is', null) : eb('municipality_id', '=', input.municipalityId)))
    .where((eb) => (input.departmentId === null ? eb('department_id', 'is', null) : eb('department_id', '=', input.departmentId)))
    .executeTakeFirst();
  if (existing) throw new AppError('BRJ_ERR_CONFLICT', 'La persona ya tiene ese rol.');
  return withActor(ctx.db, actor, (trx) => repo.insertGrant(trx, { ...input, grantedBy: admin.id }));
}

/**
 * A verified, state-wide admin: the first account of a real installation (CLI `admin create` and
 * the setup page). Runs inside the caller's transaction.
 */
export async function insertStateAdmin(trx: Kysely<DB>, actor: Actor, input: { email: string; name: string; password: string }) {
  await checkPassword(input.password, [input.email, input.name]);
  const email = cleanEmail(input.email);
  const name = input.name.trim() || email;
  if (await repo.findUserByEmail(trx, email)) throw new AppError('BRJ_ERR_EMAIL_TAKEN');
  const u = await repo.insertUser(trx, {
    email,
    name: name.slice(0, 200),
    passwordHash: await hashPassword(input.password),
    homeMunicipalityId: null,
    verified: true,
  });
  await repo.insertGrant(trx, { userId: u.id, municipalityId: null, role: 'admin', departmentId: null, grantedBy: null });
  await recordEvent(trx, actor, { entity: 'installation', entityId: String(u.id), data: { event: 'admin_created', email } });
  return u.id;
}

const ROLE_NAMES: Record<Role, string> = {
  admin: 'administración',
  planner: 'planeación',
  enlace: 'enlace de dependencia',
  council: 'Consejo Ciudadano',
  citizen: 'ciudadanía',
};
export const INVITATION_HOURS = 7 * 24;

/**
 * Invites a person by e-mail with a role. A new address gets an account that becomes usable when the
 * person opens the link and chooses a password; an existing account simply receives the role.
 * `admin` null: the CLI (the operator of the machine).
 */
export async function invite(
  ctx: AccountsContext,
  admin: SessionUser | null,
  actor: Actor,
  input: GrantInput & { email: string; name?: string },
): Promise<{ userId: number; created: boolean; link: string | null }> {
  if (admin && !hasRole(admin, ['admin'], input.municipalityId)) throw new AppError('BRJ_ERR_FORBIDDEN');
  const email = cleanEmail(input.email);
  await checkGrant(ctx.db, input);
  const place = input.municipalityId
    ? ((await ctx.db.selectFrom('shared_municipalities').select('name').where('id', '=', input.municipalityId).executeTakeFirst())?.name ??
      input.municipalityId)
    : 'toda la instalación';
  const department = input.departmentId
    ? (await ctx.db.selectFrom('departments').select('name').where('id', '=', input.departmentId).executeTakeFirst())?.name
    : undefined;
  const roleText = `${ROLE_NAMES[input.role]}${department ? ` (${department})` : ''} en ${place}`;
  return withActor(ctx.db, actor, async (trx) => {
    let user = await repo.findUserByEmail(trx, email);
    const created = !user;
    if (!user) {
      // Nobody knows this password: the account is usable only through the invitation link.
      const id = (
        await repo.insertUser(trx, {
          email,
          name: (input.name?.trim() || email.split('@')[0]).slice(0, 200),
          passwordHash: await hashPassword(newToken()),
          homeMunicipalityId: input.municipalityId,
        })
      ).id;
      user = (await repo.findUserById(trx, id))!;
    }
    await trx
      .insertInto('role_grants')
      .values({
        user_id: user.id,
        municipality_id: input.municipalityId,
        role: input.role,
        department_id: input.departmentId,
        granted_by: admin?.id ?? null,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    let link: string | null = null;
    if (!user.email_verified_at) {
      const token = newToken();
      await repo.insertToken(trx, { hash: hashToken(token), userId: user.id, purpose: 'invitation', hours: INVITATION_HOURS });
      link = `${ctx.publicUrl}/invitacion?token=${token}`;
      await queueMail(
        trx,
        {
          to: email,
          subject: 'Invitación a Brújula',
          body: `Hola ${user.name}:\n\nLe invitaron a Brújula con el rol de ${roleText}.\nPara aceptar, abra este enlace y elija su contraseña (vigente 7 días):\n${link}\n\nSi no esperaba esta invitación, ignore este mensaje.`,
        },
        ctx.log,
      );
    } else {
      await queueMail(
        trx,
        {
          to: email,
          subject: 'Nuevo rol en Brújula',
          body: `Hola ${user.name}:\n\nSe le otorgó el rol de ${roleText}.\nInicie sesión en ${ctx.publicUrl}/entrar para usarlo.`,
        },
        ctx.log,
      );
    }
    return { userId: user.id, created, link };
  });
}

/** Whom an invitation link is for, without spending it. */
export async function invitationInfo(ctx: AccountsContext, token: string) {
  const u = await repo.peekToken(ctx.db, hashToken(token), 'invitation');
  if (!u) throw new AppError('BRJ_ERR_TOKEN_INVALID');
  return { email: u.email, name: u.name, grants: await repo.grantsOf(ctx.db, [u.id]) };
}

/** Spends an invitation: sets the password, verifies the e-mail and signs the person in. */
export async function acceptInvitation(
  ctx: AccountsContext,
  actor: Actor,
  input: { token: string; password: string; name?: string; userAgent?: string },
) {
  const who = await repo.peekToken(ctx.db, hashToken(input.token), 'invitation');
  await checkPassword(input.password, [who?.email, who?.name, input.name]);
  const passwordHash = await hashPassword(input.password);
  return withActor(ctx.db, actor, async (trx) => {
    const used = await repo.consumeToken(trx, hashToken(input.token), 'invitation');
    if (!used) throw new AppError('BRJ_ERR_TOKEN_INVALID');
    const name = input.name?.trim();
    await trx
      .updateTable('users')
      .set((eb) => ({
        password_hash: passwordHash,
        email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(new Date())),
        ...(name ? { name: name.slice(0, 200) } : {}),
      }))
      .where('id', '=', used.user_id)
      .execute();
    const user = (await repo.findUserById(trx, used.user_id))!;
    if (user.status !== 'active') throw new AppError('BRJ_ERR_ACCOUNT_BLOCKED');
    const token = await startSession(ctx, trx, user.id, { userId: user.id, via: actor.via }, input.userAgent);
    return { token, maxAge: ctx.sessionTtlHours * 3600, user };
  });
}

export interface DepartmentInput {
  name: string;
  acronym?: string | null;
}

/**
 * Adds a municipality's departments (unidades responsables) all or nothing: a bad line refuses the
 * whole list with every line's problem; names that already exist are left as they are and reported.
 */
export async function addDepartments(db: Kysely<DB>, actor: Actor, municipalityId: string, rows: DepartmentInput[]) {
  const m = await db.selectFrom('shared_municipalities').select('id').where('id', '=', municipalityId).executeTakeFirst();
  if (!m) throw new AppError('BRJ_ERR_MUNICIPALITY_NOT_FOUND');
  const errores: { fila: number; problema: string }[] = [];
  const seen = new Map<string, number>();
  const clean = rows.map((r, i) => {
    const name = r.name.replace(/\s+/g, ' ').trim();
    const acronym = r.acronym?.trim() || null;
    if (name.length < 2 || name.length > 200) errores.push({ fila: i + 1, problema: 'El nombre debe tener entre 2 y 200 caracteres.' });
    if (acronym && acronym.length > 30) errores.push({ fila: i + 1, problema: 'Las siglas tienen a lo más 30 caracteres.' });
    const key = name.toLocaleLowerCase('es-MX');
    if (seen.has(key)) errores.push({ fila: i + 1, problema: `Repite el nombre de la fila ${seen.get(key)}.` });
    else seen.set(key, i + 1);
    return { name, acronym, key };
  });
  if (rows.length === 0) throw new AppError('BRJ_ERR_IMPORT_INVALID', 'La lista no tiene dependencias.');
  if (errores.length)
    throw new AppError('BRJ_ERR_IMPORT_INVALID', `No se agregó ninguna dependencia: ${errores.length} filas con errores.`, { errores });
  return withActor(db, actor, async (trx) => {
    const existing = new Set((await repo.departmentsOf(trx, municipalityId)).map((d) => d.name.toLocaleLowerCase('es-MX')));
    const fresh = clean.filter((r) => !existing.has(r.key));
    const created = fresh.length
      ? await trx
          .insertInto('departments')
          .values(fresh.map((r) => ({ municipality_id: municipalityId, name: r.name, acronym: r.acronym })))
          .onConflict((oc) => oc.doNothing())
          .returningAll()
          .execute()
      : [];
    return { created, existing: clean.filter((r) => existing.has(r.key)).map((r) => r.name) };
  });
}

/** Rows of a departments table (XLSX or CSV): a name column and, optionally, an acronym column. */
export function departmentRows(table: Record<string, string>[]): DepartmentInput[] {
  const pick = (row: Record<string, string>, names: string[]) => {
    for (const n of names) if (row[n] !== undefined) return row[n];
    return undefined;
  };
  const NAME = ['nombre', 'dependencia', 'unidad responsable', 'unidad_responsable', 'name'];
  const ACRONYM = ['siglas', 'acrónimo', 'acronimo', 'abreviatura', 'acronym'];
  if (table.length && pick(table[0], NAME) === undefined) {
    throw new AppError(
      'BRJ_ERR_IMPORT_INVALID',
      `El archivo necesita una columna «nombre» (o «dependencia», «unidad responsable»); tiene: ${Object.keys(table[0]).join(', ')}.`,
    );
  }
  return table
    .filter((r) => Object.values(r).some((v) => v.trim() !== ''))
    .map((r) => ({ name: pick(r, NAME) ?? '', acronym: pick(r, ACRONYM) ?? null }));
}

export async function revokeRole(ctx: AccountsContext, admin: SessionUser, actor: Actor, userId: number, grantId: number) {
  const grant = await ctx.db
    .selectFrom('role_grants')
    .selectAll()
    .where('id', '=', grantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!grant) throw new AppError('BRJ_ERR_NOT_FOUND');
  if (!hasRole(admin, ['admin'], grant.municipality_id)) throw new AppError('BRJ_ERR_FORBIDDEN');
  await withActor(ctx.db, actor, (trx) => trx.deleteFrom('role_grants').where('id', '=', grantId).execute());
}

export async function setUserStatus(ctx: AccountsContext, admin: SessionUser, actor: Actor, userId: number, status: 'active' | 'blocked') {
  // Blocking an account is installation-wide, so it takes a state-wide admin.
  if (!hasRole(admin, ['admin'], null)) throw new AppError('BRJ_ERR_FORBIDDEN');
  if (userId === admin.id) throw new AppError('BRJ_ERR_VALIDATION', 'No puede bloquear su propia cuenta.');
  await withActor(ctx.db, actor, async (trx) => {
    const r = await trx.updateTable('users').set({ status }).where('id', '=', userId).executeTakeFirst();
    if (!r.numUpdatedRows) throw new AppError('BRJ_ERR_NOT_FOUND');
    if (status === 'blocked') await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  });
}

export async function listUsers(
  ctx: AccountsContext,
  admin: SessionUser,
  q: { search?: string; municipalityId?: string; page: number; limit: number },
) {
  const scopes = adminScopes(admin);
  if (scopes.length === 0) throw new AppError('BRJ_ERR_FORBIDDEN');
  const stateWide = scopes.includes(null);
  if (q.municipalityId && !stateWide && !scopes.includes(q.municipalityId)) throw new AppError('BRJ_ERR_FORBIDDEN');
  // A municipal admin sees the people who live in or hold a role in the municipalities they administer.
  const visible = q.municipalityId ? [q.municipalityId] : stateWide ? null : (scopes as string[]);
  let base = ctx.db.selectFrom('users as u');
  if (visible) {
    base = base.where((eb) =>
      eb.or([
        eb('u.home_municipality_id', 'in', visible),
        eb.exists(
          eb.selectFrom('role_grants as g').select('g.id').whereRef('g.user_id', '=', 'u.id').where('g.municipality_id', 'in', visible),
        ),
      ]),
    );
  }
  if (q.search) {
    const s = `%${q.search.toLowerCase()}%`;
    base = base.where((eb) => eb.or([eb(eb.fn('lower', ['u.email']), 'like', s), eb(eb.fn('lower', ['u.name']), 'like', s)]));
  }
  const total = (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const users = await base
    .select([
      'u.id',
      'u.email',
      'u.name',
      'u.status',
      'u.email_verified_at',
      'u.home_municipality_id',
      'u.created_at',
      'u.last_login_at',
      'u.is_demo',
    ])
    .orderBy('u.id')
    .limit(q.limit)
    .offset((q.page - 1) * q.limit)
    .execute();
  const grants = await repo.grantsOf(
    ctx.db,
    users.map((u) => u.id),
  );
  return {
    total: Number(total),
    items: users.map((u) => ({ ...u, grants: grants.filter((g) => g.user_id === u.id) })),
  };
}
