import type * as S from '../../../server/modules/participation/schemas.ts';
import type { Out } from '../wire.ts';

/** The participation operations' types converted so far (residency, notifications), from the server's schemas. */
export type ResidencyStatus = Out<typeof S.ResidencyStatus>;
export type SmsStarted = Out<typeof S.SmsStarted>;
export type SmsConfirmed = Out<typeof S.SmsConfirmed>;
export type Notifications = Out<typeof S.Notifications>;
export type ActionOrigins = Out<typeof S.ActionOrigins>;
