// What other modules may use of the plans module, and the approval gates they may register.
export { commentSummary } from './comments.ts';
export { type ApprovalGate, type ElementReferences, registerApprovalGate, registerElementReferences } from './gates.ts';
export { assertAlignable, elementsBrief, getElement, getPlan, subtreeSql } from './service.ts';
export { type ActionWeight, ROLLUP_RULE, rollup, rollupTree } from './tree.ts';
