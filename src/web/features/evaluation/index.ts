// One chunk for the evaluation pages.
export { CompareMunicipalities, EvaluationHome, PlanScorecard, ReportPage } from './Evaluation.tsx';
export { CouncilHome, SessionPage } from './Council.tsx';
