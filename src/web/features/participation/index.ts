// One chunk for the participation pages: they link to each other constantly.
export { Participation, Notifications } from './Participation.tsx';
export { ProposalList, ProposalForm, ProposalPage } from './Proposals.tsx';
export { BudgetList, BudgetPage } from './Budgets.tsx';
export { ConsultationList, ConsultationPage } from './Consultations.tsx';
export { ReportList, ReportForm, ReportPage } from './Reports.tsx';
