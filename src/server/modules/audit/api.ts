// What other modules may use of the audit module: recording an event that is not a row change.
export { recordEvent } from './service.ts';
