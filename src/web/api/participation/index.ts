import type * as B from '../../../server/modules/participation/budgets.schemas.ts';
import type * as C from '../../../server/modules/participation/consultations.schemas.ts';
import type * as P from '../../../server/modules/participation/proposals.schemas.ts';
import type * as R from '../../../server/modules/participation/reports.schemas.ts';
import type * as S from '../../../server/modules/participation/schemas.ts';
import type { Out } from '../wire.ts';

/** What the participation operations answer, from the server's schemas. */
export type ResidencyStatus = Out<typeof S.ResidencyStatus>;
export type SmsStarted = Out<typeof S.SmsStarted>;
export type SmsConfirmed = Out<typeof S.SmsConfirmed>;
export type Notifications = Out<typeof S.Notifications>;
export type ActionOrigins = Out<typeof S.ActionOrigins>;

export type ProposalEstado = Out<typeof P.Estado>;
export type ProposalPage = Out<typeof P.ProposalPage>;
export type SimilarProposals = Out<typeof P.Similar>;
export type Proposal = Out<typeof P.Proposal>;
export type FullProposal = Extract<Proposal, { moderable: boolean }>;
export type ProposalCreated = Out<typeof P.ProposalCreated>;
export type Comments = Out<typeof P.Comments>;
export type Moderation = Out<typeof P.Moderation>;

export type Processes = Out<typeof B.Processes>;
export type Process = Out<typeof B.Process>;
export type Evaluators = Out<typeof B.Evaluators>;
export type MyBallots = Out<typeof B.MyBallots>;

export type Consultations = Out<typeof C.Consultations>;
export type Consultation = Out<typeof C.Consultation>;
export type ConsultationResults = Out<typeof C.ConsultationResults>;
export type ConsultationState = Out<typeof C.ConsultationState>;

export type ReportServices = Out<typeof R.ReportServices>;
export type ReportPage = Out<typeof R.ReportPage>;
export type Nearby = Out<typeof R.Nearby>;
export type Report = Out<typeof R.Report>;
export type ReportCreated = Out<typeof R.ReportCreated>;
export type Open311Clients = Out<typeof R.Open311Clients>;
export type Open311ClientCreated = Out<typeof R.Open311ClientCreated>;
export type PhaseSet = Out<typeof B.PhaseSet>;
export type VerifiedInPerson = Out<typeof S.VerifiedInPerson>;
export type PowChallenge = Out<typeof S.PowChallenge>;
