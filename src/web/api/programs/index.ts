import type * as S from '../../../server/modules/programs/schemas.ts';
import type { Out } from '../wire.ts';

/** The programs operations' types (POA programs, MIR, actions and works, reports, roll-ups), from the server's schemas. */
export type FundingSource = Out<typeof S.FundingSource>;
export type ProgramList = Out<typeof S.ProgramList>;
export type ProgramListItem = Out<typeof S.ProgramListItem>;
export type ProgramDetail = Out<typeof S.ProgramDetail>;
export type MirRow = Out<typeof S.MirRow>;
export type ActionRow = Out<typeof S.ActionRow>;
export type ActionPage = Out<typeof S.ActionPage>;
export type ActionDetail = Out<typeof S.ActionDetail>;
export type Report = Out<typeof S.Report>;
export type Contract = Out<typeof S.Contract>;
export type Rollup = Out<typeof S.ElementRollup>['rollup'];
export type ElementRollup = Out<typeof S.ElementRollup>;
export type PlanRollup = Out<typeof S.PlanRollup>;
export type ActionCreated = Out<typeof S.ActionCreated>;
export type ActionUpdated = Out<typeof S.ActionUpdated>;
