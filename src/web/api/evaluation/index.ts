import type * as S from '../../../server/modules/evaluation/schemas.ts';
import type { Out } from '../wire.ts';

/** The evaluation operations' types (scorecards, reports, Consejo, contraloría social, ratings), from the server's schemas. */
export type Weights = Out<typeof S.Weights>;
export type Scorecard = Out<typeof S.Scorecard>;
export type ScoredElement = Out<typeof S.ScoredElement>;
export type MetaScore = Out<typeof S.MetaScore>;
export type Comparison = Out<typeof S.Comparison>;
export type Overview = Out<typeof S.Overview>;
export type MunicipalitiesSideBySide = Out<typeof S.MunicipalitiesSideBySide>;
export type ReportItem = Out<typeof S.ReportItem>;
export type ReportDocument = Out<typeof S.ReportDocument>;
export type Members = Out<typeof S.Members>;
export type SessionListItem = Out<typeof S.SessionListItem>;
export type SessionView = Out<typeof S.SessionView>;
export type AgreementListItem = Out<typeof S.AgreementListItem>;
export type PlanResolution = Out<typeof S.PlanResolution>;
export type Committee = Out<typeof S.Committee>;
export type RatingSummary = Out<typeof S.RatingSummary>;
export type Resolucion = NonNullable<PlanResolution['resolucion']>;
export type NewSession = Out<typeof S.NewSession>;
