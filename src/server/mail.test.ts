import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { Client, TARGETS, testApp, type TestApp } from '../../test/helpers.ts';

describe.each(TARGETS)('mail delivery over SMTP on %s', (kind) => {
  const received: { to: string[]; data: string }[] = [];
  let server: SMTPServer;
  let port = 0;
  let t: TestApp;
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (c) => (data += c));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.server.address() as AddressInfo).port;
    t = await testApp(kind, { env: { BRUJULA_SMTP_URL: `smtp://127.0.0.1:${port}`, BRUJULA_MAIL_FROM: 'IMPLAN <implan@example.mx>' } });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('sends the verification mail and marks it sent', async () => {
    const res = await new Client(t.app).post('/api/v1/auth/register', {
      email: 'lupita@example.mx',
      name: 'Lupita',
      password: 'una-clave-larga',
      municipalityId: '32056',
    });
    expect(res.statusCode).toBe(201);
    expect(await t.app.mailer!.deliverBatch()).toBe(1);
    const msg = received.find((m) => m.to.includes('lupita@example.mx'))!;
    expect(msg.data).toMatch(/From: IMPLAN <implan@example\.mx>/);
    expect(msg.data).toMatch(/verificar\?token=/);
    const row = await t.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('to_address', '=', 'lupita@example.mx')
      .executeTakeFirstOrThrow();
    expect(row.sent_at).not.toBeNull();
    expect(row.attempts).toBe(1);
    // Nothing is sent twice.
    expect(await t.app.mailer!.deliverBatch()).toBe(0);
  });
});

describe('mail delivery failure', () => {
  it('keeps the mail unsent with the error and counts the attempt', async () => {
    // A port nobody listens on: the connection is refused.
    const t = await testApp('pglite', { env: { BRUJULA_SMTP_URL: 'smtp://127.0.0.1:9' } });
    try {
      await new Client(t.app).post('/api/v1/auth/password/forgot', { email: 'ciudadana@demo.brujula.mx' });
      expect(await t.app.mailer!.deliverBatch()).toBe(0);
      const row = await t.database.db
        .selectFrom('outbox')
        .selectAll()
        .where('to_address', '=', 'ciudadana@demo.brujula.mx')
        .executeTakeFirstOrThrow();
      expect(row.sent_at).toBeNull();
      expect(row.attempts).toBe(1);
      expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await t.close();
    }
  });
});
