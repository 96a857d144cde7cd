// What other modules may use of the programs module: a POA action made from another module's record.
export { createAction } from './service.ts';
