// What other modules may use of the audit module: recording an event that is not a row change, and
// when a table last changed.
export { lastChangeAt, recordEvent } from './service.ts';
// Public-history rules: each module registers those of its own tables.
export { exists, type HistoryRules, int, ref, registerHistoryRules, text } from './visibility.ts';
