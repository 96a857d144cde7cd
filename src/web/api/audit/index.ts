import type { Paged } from '../../../server/schemas.ts';
import type * as S from '../../../server/modules/audit/schemas.ts';
import type { Out } from '../wire.ts';

/** What the audit log and public history answer, from the server's schema. */
export type AuditEntry = Out<typeof S.AuditEntry>;
export type AuditPage = Out<ReturnType<typeof Paged<typeof S.AuditEntry>>>;
