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

/**
 * Records of other modules that point at plan elements (POA actions aligned to them), so plans can
 * refuse to delete an element still in use without reading those modules' tables. A counter answers
 * how many records of one kind (`tipo`, in Spanish) point at each of the given elements.
 */
export type ElementReferences = (
  db: Kysely<DB> | Transaction<DB>,
  elementIds: number[],
) => Promise<{ elementId: number; tipo: string; n: number }[]>;

const counters: ElementReferences[] = [];

export function registerElementReferences(counter: ElementReferences) {
  if (!counters.includes(counter)) counters.push(counter);
}

export async function elementReferences(db: Kysely<DB> | Transaction<DB>, elementIds: number[]) {
  return (await Promise.all(counters.map((c) => c(db, elementIds)))).flat();
}
