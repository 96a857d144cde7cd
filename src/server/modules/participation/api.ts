// What other modules may use of the participation module: who may take part.
export { assertNotBlocked, assertResident } from './common.ts';
