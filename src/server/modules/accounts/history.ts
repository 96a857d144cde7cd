import { type HistoryRules, int, exists } from '../audit/api.ts';

/** Departments: public while they exist. (Public history rules: see audit/history-rules.ts.) */
export const HISTORY: HistoryRules = {
  departments: int(exists('departments')),
};
