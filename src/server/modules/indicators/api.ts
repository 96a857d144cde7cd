// What other modules may use of the indicators module.
export { loadRows, type LoadReport } from './load.ts';
export { avance } from './semaforo.ts';
export { assertIndicatorUsable, values } from './service.ts';
