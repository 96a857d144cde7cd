// One chunk for the evaluation pages.
export { EvaluationHome, PlanScorecard, ReportPage } from './Evaluation.tsx';
export { CouncilHome, SessionPage } from './Council.tsx';
