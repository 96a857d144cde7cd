import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';

/**
 * Checks other modules add before a plan is approved, so that plans need not know them (the council's
 * favourable resolution lives in evaluation). A gate answers the reason the plan may not pass, or null.
 */
export type ApprovalGate = (db: Kysely<DB> | Transaction<DB>, planId: number) => Promise<string | null>;

const gates: ApprovalGate[] = [];

export function registerApprovalGate(gate: ApprovalGate) {
  if (!gates.includes(gate)) gates.push(gate);
}

export async function approvalBlocker(db: Kysely<DB> | Transaction<DB>, planId: number) {
  for (const gate of gates) {
    const reason = await gate(db, planId);
    if (reason) return reason;
  }
  return null;
}
