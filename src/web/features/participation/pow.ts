import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/pbkdf2';
import { api, get } from '../../api/client.ts';
import type { PowChallenge } from '../../api/participation/index.ts';

const b64url = (s: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/**
 * Solves the server's proof-of-work challenge (about a second of PBKDF2 in WebCrypto) and returns the header
 * that proves it; the server spends each proof once. See README › Anti-abuso.
 */
export async function powHeader(): Promise<Record<string, string>> {
  const reply = await get<PowChallenge>('/api/v1/pow/challenge');
  if (reply.disabled) return {};
  // The server hands altcha-lib's challenge through untouched (its parameters are altcha's to read).
  const challenge = reply as Parameters<typeof solveChallenge>[0]['challenge'];
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('No se pudo completar la prueba anti-abuso. Intente de nuevo.');
  return { 'x-brujula-pow': b64url(JSON.stringify({ challenge, solution })) };
}

/** A public write that carries a fresh proof of work. */
export async function postWithProof<T>(url: string, body: unknown): Promise<T> {
  return api<T>('POST', url, body, true, await powHeader());
}
