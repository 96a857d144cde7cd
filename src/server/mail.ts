import type { Kysely } from 'kysely';
import type { DB } from './db/types.ts';

export interface Mail {
  to: string;
  subject: string;
  body: string;
}

/**
 * Queues a mail in the outbox table inside the caller's transaction, so a mail exists only if the
 * change that caused it was committed. Embedded installations read the outbox in the admin screen
 * and the server log; a delivery worker (SMTP) can send what is unsent.
 */
export async function queueMail(trx: Kysely<DB>, mail: Mail, log?: (msg: string) => void): Promise<void> {
  await trx.insertInto('outbox').values({ to_address: mail.to, subject: mail.subject, body: mail.body }).execute();
  log?.(`Correo en bandeja de salida para ${mail.to}: ${mail.subject}\n${mail.body}`);
}
