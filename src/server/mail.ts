import nodemailer from 'nodemailer';
import { sql, type Kysely } from 'kysely';
import type { DB } from './db/types.ts';

export interface Mail {
  to: string;
  subject: string;
  body: string;
}

/**
 * Queues a mail in the outbox table inside the caller's transaction, so a mail exists only if the
 * change that caused it was committed. Without SMTP the admin reads it in the outbox screen and
 * the server log; with BRUJULA_SMTP_URL the mailer below delivers it.
 */
export async function queueMail(trx: Kysely<DB>, mail: Mail, log?: (msg: string) => void): Promise<void> {
  await trx.insertInto('outbox').values({ to_address: mail.to, subject: mail.subject, body: mail.body }).execute();
  log?.(`Correo en bandeja de salida para ${mail.to}: ${mail.subject}\n${mail.body}`);
}

const MAX_ATTEMPTS = 8;

/**
 * Delivers unsent outbox mail over SMTP, a batch at a time. Several app processes can run it:
 * rows are claimed with FOR UPDATE SKIP LOCKED. Failures are retried up to MAX_ATTEMPTS times.
 */
export function startMailer(db: Kysely<DB>, opts: { smtpUrl: string; from: string; intervalMs?: number; log: (m: string) => void }) {
  const transport = nodemailer.createTransport(opts.smtpUrl);
  let running = false;
  async function deliverBatch(): Promise<number> {
    if (running) return 0;
    running = true;
    let sent = 0;
    try {
      await db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('outbox')
          .selectAll()
          .where('sent_at', 'is', null)
          .where('attempts', '<', MAX_ATTEMPTS)
          .orderBy('id')
          .limit(20)
          .forUpdate()
          .skipLocked()
          .execute();
        for (const m of rows) {
          try {
            await transport.sendMail({ from: opts.from, to: m.to_address, subject: m.subject, text: m.body });
            await trx
              .updateTable('outbox')
              .set({ sent_at: new Date(), attempts: sql`attempts + 1`, last_error: null })
              .where('id', '=', m.id)
              .execute();
            sent++;
          } catch (e) {
            opts.log(`No se pudo enviar el correo ${m.id} a ${m.to_address}: ${(e as Error).message}`);
            await trx
              .updateTable('outbox')
              .set({ attempts: sql`attempts + 1`, last_error: (e as Error).message.slice(0, 500) })
              .where('id', '=', m.id)
              .execute();
          }
        }
      });
    } finally {
      running = false;
    }
    return sent;
  }
  const timer = setInterval(
    () => void deliverBatch().catch((e) => opts.log(`Error del envío de correo: ${(e as Error).message}`)),
    opts.intervalMs ?? 5000,
  );
  timer.unref();
  return {
    deliverBatch,
    stop() {
      clearInterval(timer);
      transport.close();
    },
  };
}
