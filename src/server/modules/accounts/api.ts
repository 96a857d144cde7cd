// What other modules may use of the accounts module: the first admin of an installation.
export { noStateAdmin } from './repo.ts';
export { insertStateAdmin, startSession } from './service.ts';
