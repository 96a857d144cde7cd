import crypto from 'node:crypto';
import { sql } from 'kysely';
import { createChallenge, randomInt, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { AppError } from '../../errors.ts';
import type { Db } from './common.ts';

/**
 * CAPTCHA-free flood control (ALTCHA proof of work): before a public write the browser finds a
 * counter whose PBKDF2-SHA-256 key starts with a prefix the server chose — about a second of work
 * for one person (measured: 1.0 s at cost 1000 with WebCrypto), hours for a script posting thousands. Challenges are signed, expire in 10 minutes and
 * are spent once (pow_spent).
 */
export const POW_HEADER = 'x-brujula-pow';
const TTL_MS = 10 * 60_000;

const secrets = (secret: string) => ({
  hmacSignatureSecret: crypto.createHmac('sha256', secret).update('pow-signature').digest('hex'),
  hmacKeySignatureSecret: crypto.createHmac('sha256', secret).update('pow-key').digest('hex'),
});

export async function newChallenge(secret: string, cost: number) {
  if (cost === 0) return { disabled: true as const };
  return createChallenge({
    algorithm: 'PBKDF2/SHA-256',
    cost,
    counter: randomInt(2000, 6000),
    deriveKey,
    expiresAt: new Date(Date.now() + TTL_MS),
    ...secrets(secret),
  });
}

/** Verifies and spends the proof carried in the x-brujula-pow header (base64url JSON {challenge, solution}). */
export async function spendProof(db: Db, secret: string, cost: number, header: string | string[] | undefined) {
  if (cost === 0) return;
  const raw = Array.isArray(header) ? header[0] : header;
  const refuse = (m: string) => new AppError('BRJ_ERR_FORBIDDEN', m);
  if (!raw) throw refuse('Falta la prueba anti-abuso del formulario. Recargue la página e intente de nuevo.');
  let payload: { challenge: Challenge; solution: Solution };
  try {
    payload = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw refuse('La prueba anti-abuso no es válida. Recargue la página e intente de nuevo.');
  }
  const r = await verifySolution({ challenge: payload.challenge, solution: payload.solution, deriveKey, ...secrets(secret) }).catch(
    () => null,
  );
  if (!r?.verified)
    throw refuse(
      r?.expired
        ? 'La prueba anti-abuso expiró. Envíe el formulario de nuevo.'
        : 'La prueba anti-abuso no es válida. Recargue la página e intente de nuevo.',
    );
  const signature = String(payload.challenge.signature);
  const spent = await db
    .insertInto('pow_spent')
    .values({ signature, expires_at: new Date(Date.now() + TTL_MS) })
    .onConflict((oc) => oc.column('signature').doNothing())
    .returning('signature')
    .executeTakeFirst();
  if (!spent) throw refuse('Esta prueba anti-abuso ya se usó. Envíe el formulario de nuevo.');
  // Keep the table small: spent proofs are useless once their challenge has expired.
  if (Math.random() < 0.02) await sql`delete from pow_spent where expires_at < now()`.execute(db);
}
