import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, countRows, TARGETS, testApp, type TestApp } from '../../../../test/helpers.ts';

describe.each(TARGETS)('accounts on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(kind);
  });
  afterAll(() => t?.close());

  const lastMailTo = async (to: string) =>
    t.database.db.selectFrom('outbox').selectAll().where('to_address', '=', to).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const tokenIn = (body: string, path: string) => new RegExp(`/${path}\\?token=([A-Za-z0-9_-]+)`).exec(body)![1];

  it('registers a citizen who must verify the e-mail before logging in', async () => {
    const c = new Client(t.app);
    const reg = await c.post('/api/v1/auth/register', {
      email: 'Ana@Example.mx',
      name: 'Ana López',
      password: 'una-clave-larga',
      municipalityId: '32056',
    });
    expect(reg.statusCode).toBe(201);
    const user = await t.database.db.selectFrom('users').selectAll().where('email', '=', 'Ana@Example.mx').executeTakeFirstOrThrow();
    expect(user.password_hash.startsWith('$argon2id$')).toBe(true);
    expect(user.email_verified_at).toBeNull();

    const early = await c.post('/api/v1/auth/login', { email: 'ana@example.mx', password: 'una-clave-larga' });
    expect(early.statusCode).toBe(403);
    expect(early.json().code).toBe('BRJ_ERR_EMAIL_NOT_VERIFIED');

    const mail = await lastMailTo('Ana@Example.mx');
    expect(mail.subject).toMatch(/Confirme su correo/);
    const verify = await c.post('/api/v1/auth/verify', { token: tokenIn(mail.body, 'verificar') });
    expect(verify.statusCode).toBe(200);
    // A token works once.
    expect((await c.post('/api/v1/auth/verify', { token: tokenIn(mail.body, 'verificar') })).json().code).toBe('BRJ_ERR_TOKEN_INVALID');

    const login = await c.post('/api/v1/auth/login', { email: 'ana@example.mx', password: 'una-clave-larga' });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((x) => x.name === 'brj_sid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = (await c.get('/api/v1/auth/me')).json();
    expect(me.email).toBe('Ana@Example.mx');
    expect(me.grants).toEqual([expect.objectContaining({ municipalityId: '32056', role: 'citizen' })]);

    await c.post('/api/v1/auth/logout');
    expect((await c.get('/api/v1/auth/me')).json()).toBeNull();
  });

  it('answers a registration with an existing e-mail as any other, and tells only the owner by e-mail', async () => {
    const c = new Client(t.app);
    const fresh = await c.post('/api/v1/auth/register', {
      email: 'alguien-nuevo@example.mx',
      name: 'Alguien',
      password: 'una-clave-larga',
      municipalityId: '32056',
    });
    const dup = await c.post('/api/v1/auth/register', {
      email: 'Ciudadana@demo.brujula.mx',
      name: 'Otra',
      password: 'una-clave-larga',
      municipalityId: '32056',
    });
    expect(dup.statusCode).toBe(fresh.statusCode);
    expect(dup.json()).toEqual(fresh.json());
    const notice = await lastMailTo('ciudadana@demo.brujula.mx');
    expect(notice.subject).toMatch(/ya tiene una cuenta/);
    expect(notice.body).toContain('/recuperar');
    // The owner's account did not change.
    const owner = await t.database.db
      .selectFrom('users')
      .select(['name'])
      .where('email', '=', 'ciudadana@demo.brujula.mx')
      .executeTakeFirstOrThrow();
    expect(owner.name).not.toBe('Otra');
  });

  it('makes one account of simultaneous registrations with one e-mail', async () => {
    const body = { email: 'carrera@example.mx', name: 'Carrera', password: 'una-clave-larga', municipalityId: '32056' };
    const all = await Promise.all([1, 2, 3].map(() => new Client(t.app).post('/api/v1/auth/register', body)));
    expect(all.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(await t.database.db.selectFrom('users').select('id').where('email', '=', 'carrera@example.mx').execute()).toHaveLength(1);
  });

  it('enforces the stated password policy: length, common and breached passwords, the own name and e-mail', async () => {
    const c = new Client(t.app);
    const reg = (password: string, email = 'nueva@example.mx', name = 'Nueva') =>
      c.post('/api/v1/auth/register', { email, name, password, municipalityId: '32056' });
    const short = await reg('corta');
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toMatch(/al menos 10 caracteres/);
    for (const weak of ['password1234', 'qwertyuiop12', 'contraseña123', '1234567890']) {
      const r = await reg(weak);
      expect(r.statusCode, weak).toBe(400);
      expect(r.json()).toMatchObject({ code: 'BRJ_ERR_WEAK_PASSWORD', message: expect.stringMatching(/fácil de adivinar/) });
    }
    expect((await reg('rosalinda.quintero', 'rosalinda.quintero@example.mx', 'Rosalinda Quintero')).statusCode).toBe(400);
    expect(
      await t.database.db
        .selectFrom('users')
        .select('id')
        .where('email', 'in', ['nueva@example.mx', 'rosalinda.quintero@example.mx'])
        .execute(),
    ).toHaveLength(0);
    // The policy is stated where a client reads the contract.
    const doc = (await c.get('/api/v1/openapi.json')).json();
    expect(doc.paths['/api/v1/auth/register'].post.description).toMatch(/difícil de adivinar/);
  });

  it('rejects unknown municipalities and malformed e-mails with Spanish messages, creating nothing', async () => {
    const c = new Client(t.app);
    const mun = await c.post('/api/v1/auth/register', {
      email: 'nueva@example.mx',
      name: 'Nueva',
      password: 'una-clave-larga',
      municipalityId: '99999',
    });
    expect(mun.statusCode).toBe(404);
    const bad = await c.post('/api/v1/auth/register', {
      email: 'no-es-correo',
      name: 'X',
      password: 'una-clave-larga',
      municipalityId: '32056',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('BRJ_ERR_VALIDATION');
    expect(await t.database.db.selectFrom('users').select('id').where('email', '=', 'nueva@example.mx').execute()).toHaveLength(0);
  });

  it('rejects a state-changing request without a CSRF token and changes nothing', async () => {
    const c = await new Client(t.app).login('admin@demo.brujula.mx');
    const before = await countRows(t.database, 'departments', 'audit_log');
    const res = await c.request('POST', '/api/v1/municipalities/32056/departments', { name: 'Dependencia sin CSRF' }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('BRJ_ERR_CSRF');
    const forged = await c.request(
      'POST',
      '/api/v1/municipalities/32056/departments',
      { name: 'Dependencia falsa' },
      { csrf: false, headers: { 'x-csrf-token': 'abc' } },
    );
    expect(forged.statusCode).toBe(403);
    expect(await countRows(t.database, 'departments', 'audit_log')).toEqual(before);
    const ok = await c.post('/api/v1/municipalities/32056/departments', { name: 'Dependencia con CSRF' });
    expect(ok.statusCode).toBe(201);
  });

  it('resets a forgotten password and ends the old sessions', async () => {
    const old = await new Client(t.app).login('consejo@demo.brujula.mx');
    const c = new Client(t.app);
    expect((await c.post('/api/v1/auth/password/forgot', { email: 'consejo@demo.brujula.mx' })).statusCode).toBe(202);
    // Unknown addresses get the same answer.
    expect((await c.post('/api/v1/auth/password/forgot', { email: 'nadie@example.mx' })).statusCode).toBe(202);
    const mail = await lastMailTo('consejo@demo.brujula.mx');
    const token = tokenIn(mail.body, 'restablecer');
    expect((await c.post('/api/v1/auth/password/reset', { token, password: 'nueva-clave-segura' })).statusCode).toBe(200);
    expect((await old.get('/api/v1/auth/me')).json()).toBeNull();
    expect((await c.post('/api/v1/auth/login', { email: 'consejo@demo.brujula.mx', password: 'Brujula-Demo-2026' })).statusCode).toBe(401);
    expect((await c.post('/api/v1/auth/login', { email: 'consejo@demo.brujula.mx', password: 'nueva-clave-segura' })).statusCode).toBe(200);
  });

  it('lets a state admin grant a role, recorded in the audit log with the admin as actor', async () => {
    const admin = await new Client(t.app).login('admin@demo.brujula.mx');
    const target = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'ciudadana@demo.brujula.mx')
      .executeTakeFirstOrThrow();
    const res = await admin.post(`/api/v1/admin/users/${target.id}/grants`, { municipalityId: '32017', role: 'council' });
    expect(res.statusCode).toBe(201);
    const audit = (await admin.get(`/api/v1/audit?entity=role_grants&entityId=${res.json().id}`)).json();
    expect(audit.items[0]).toMatchObject({ action: 'insert', municipalityId: '32017', actorName: 'Administración Estatal (demo)' });
    expect(audit.items[0].after).toMatchObject({ role: 'council', user_id: target.id });
    const again = await admin.post(`/api/v1/admin/users/${target.id}/grants`, { municipalityId: '32017', role: 'council' });
    expect(again.statusCode).toBe(409);
  });

  it('keeps a municipal admin inside their municipality', async () => {
    const admin = await new Client(t.app).login('admin.zacatecas@demo.brujula.mx');
    const target = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'ciudadana@demo.brujula.mx')
      .executeTakeFirstOrThrow();
    const before = await countRows(t.database, 'role_grants', 'audit_log');
    expect((await admin.post(`/api/v1/admin/users/${target.id}/grants`, { municipalityId: '32017', role: 'planner' })).statusCode).toBe(
      403,
    );
    expect((await admin.post(`/api/v1/admin/users/${target.id}/grants`, { municipalityId: null, role: 'planner' })).statusCode).toBe(403);
    expect((await admin.post('/api/v1/municipalities/32017/departments', { name: 'Intrusa' })).statusCode).toBe(403);
    expect((await admin.get('/api/v1/audit?municipalityId=32017')).statusCode).toBe(403);
    expect(await countRows(t.database, 'role_grants', 'audit_log')).toEqual(before);
    // Inside its own municipality it works, and its audit view holds only its municipality.
    expect((await admin.post(`/api/v1/admin/users/${target.id}/grants`, { municipalityId: '32056', role: 'planner' })).statusCode).toBe(
      201,
    );
    const audit = (await admin.get('/api/v1/audit?limit=200')).json();
    expect(audit.items.length).toBeGreaterThan(0);
    expect(audit.items.every((e: { municipalityId: string }) => e.municipalityId === '32056')).toBe(true);
    // Non-admin roles see no user list and no audit log.
    const planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    expect((await planner.get('/api/v1/admin/users')).statusCode).toBe(403);
    expect((await planner.get('/api/v1/audit')).statusCode).toBe(403);
    expect((await new Client(t.app).get('/api/v1/admin/users')).statusCode).toBe(401);
  });

  it('assigns an enlace only to a department of the same municipality', async () => {
    const admin = await new Client(t.app).login('admin@demo.brujula.mx');
    const target = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'ciudadana@demo.brujula.mx')
      .executeTakeFirstOrThrow();
    const depGuadalupe = await t.database.db
      .selectFrom('departments')
      .select('id')
      .where('municipality_id', '=', '32017')
      .executeTakeFirstOrThrow();
    const wrong = await admin.post(`/api/v1/admin/users/${target.id}/grants`, {
      municipalityId: '32056',
      role: 'enlace',
      departmentId: depGuadalupe.id,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toMatch(/no pertenece/);
    const none = await admin.post(`/api/v1/admin/users/${target.id}/grants`, { municipalityId: '32056', role: 'enlace' });
    expect(none.statusCode).toBe(400);
  });

  it('blocks an account and ends its sessions', async () => {
    const admin = await new Client(t.app).login('admin@demo.brujula.mx');
    const victim = await new Client(t.app).login('planeacion.guadalupe@demo.brujula.mx');
    const id = (await victim.get('/api/v1/auth/me')).json().id;
    expect((await admin.patch(`/api/v1/admin/users/${id}`, { status: 'blocked' })).statusCode).toBe(200);
    expect((await victim.get('/api/v1/auth/me')).json()).toBeNull();
    const again = await new Client(t.app).post('/api/v1/auth/login', {
      email: 'planeacion.guadalupe@demo.brujula.mx',
      password: 'Brujula-Demo-2026',
    });
    expect(again.json().code).toBe('BRJ_ERR_ACCOUNT_BLOCKED');
    await admin.patch(`/api/v1/admin/users/${id}`, { status: 'active' });
  });

  it('never stores the session token or the password hash in clear in the audit log', async () => {
    const rows = await sql<{ t: string }>`select coalesce(before::text, '') || coalesce(after::text, '') as t from audit_log`.execute(
      t.database.db,
    );
    expect(rows.rows.length).toBeGreaterThan(0);
    expect(rows.rows.some((r) => r.t.includes('$argon2id$'))).toBe(false);
    expect(rows.rows.some((r) => r.t.includes('token_hash'))).toBe(false);
  });
});

describe('login rate limit', () => {
  it('answers 429 after too many attempts', async () => {
    const t = await testApp('pglite', { demo: false, env: { BRUJULA_LOGIN_RATE_LIMIT: '3' } });
    try {
      const c = new Client(t.app);
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await c.post('/api/v1/auth/login', { email: 'x@example.mx', password: 'incorrecta-1234' })).statusCode);
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes[3]).toBe(429);
      const last = await c.post('/api/v1/auth/login', { email: 'x@example.mx', password: 'incorrecta-1234' });
      expect(last.json().code).toBe('BRJ_ERR_RATE_LIMITED');
    } finally {
      await t.close();
    }
  });

  it('limits failed sign-ins per account across IPs, alike for e-mails with and without an account', async () => {
    const t = await testApp('pglite', { env: { BRUJULA_LOGIN_ACCOUNT_LIMIT: '3', BRUJULA_TRUST_PROXY: 'true' } });
    try {
      const c = new Client(t.app);
      const attempt = (email: string, password: string, ip: number) =>
        c
          .request('POST', '/api/v1/auth/login', { email, password }, { headers: { 'x-forwarded-for': `10.0.0.${ip}` } })
          .then((r) => r.statusCode);
      for (const email of ['ciudadana@demo.brujula.mx', 'nadie@example.mx']) {
        const codes = [];
        for (let i = 0; i < 5; i++) codes.push(await attempt(email, 'incorrecta-1234', i));
        expect(codes, email).toEqual([401, 401, 401, 429, 429]);
      }
      // Even the right password waits until the window passes; other accounts are not affected.
      expect(await attempt('CIUDADANA@demo.brujula.mx', 'Brujula-Demo-2026', 9)).toBe(429);
      expect(await attempt('planeacion@demo.brujula.mx', 'Brujula-Demo-2026', 9)).toBe(200);
      await t.database.db
        .updateTable('login_failures')
        .set({ at: new Date(Date.now() - 16 * 60_000) })
        .execute();
      expect(await attempt('ciudadana@demo.brujula.mx', 'Brujula-Demo-2026', 9)).toBe(200);
      expect(
        await t.database.db.selectFrom('login_failures').select('email').where('email', '=', 'ciudadana@demo.brujula.mx').execute(),
      ).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('grant body with explicit nulls', () => {
  it('grants a non-enlace role when departmentId is sent as null', async () => {
    const t = await testApp('pglite');
    try {
      const admin = await new Client(t.app).login('admin@demo.brujula.mx');
      const target = await t.database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'ciudadana@demo.brujula.mx')
        .executeTakeFirstOrThrow();
      const res = await admin.post(`/api/v1/admin/users/${target.id}/grants`, {
        municipalityId: '32017',
        role: 'council',
        departmentId: null,
      });
      expect(res.statusCode, res.body).toBe(201);
      const stateWide = await admin.post(`/api/v1/admin/users/${target.id}/grants`, {
        municipalityId: null,
        role: 'planner',
        departmentId: null,
      });
      expect(stateWide.statusCode, stateWide.body).toBe(201);
      const grant = await t.database.db
        .selectFrom('role_grants')
        .selectAll()
        .where('id', '=', stateWide.json().id)
        .executeTakeFirstOrThrow();
      expect(grant.municipality_id).toBeNull();
    } finally {
      await t.close();
    }
  });
});
