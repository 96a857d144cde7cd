import type * as S from '../../../server/modules/plans/schemas.ts';
import type { Out } from '../wire.ts';

/** The plans operations' types (responses of /api/v1/…/plans), from the server's schemas. */
export type PlanEstado = (typeof S.PLAN_ESTADOS)[number];
export type PlanListItem = Out<typeof S.PlanListItem>;
export type Plan = Out<typeof S.Plan>;
export type PlanView = Out<typeof S.PlanView>;
export type TreeElement = Out<typeof S.TreeElement>;
export type TreeMeta = Out<typeof S.TreeMeta>;
export type AlignLink = Out<typeof S.AlignLink>;
export type ElementDetail = Out<typeof S.ElementDetail>;
export type Meta = Out<typeof S.Meta>;
export type Comment = Out<typeof S.Comment>;
export type Comparison = Out<typeof S.Comparison>;
export type OutlineReport = Out<typeof S.OutlineReport>;
export type OdsGoal = Out<typeof S.OdsGoal>;
export type OdsElement = Out<typeof S.OdsElement>;
export type PlanTypes = Out<typeof S.PlanTypes>;
