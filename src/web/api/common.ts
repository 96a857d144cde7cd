import type { Message as MessageSchema } from '../../server/schemas.ts';
import type { Out } from './wire.ts';

/** A Spanish message for the person (most confirmations). */
export type Message = Out<typeof MessageSchema>;
