import type * as S from '../../../server/modules/indicators/schemas.ts';
import type { Out } from '../wire.ts';

/** What the indicator operations answer, from the server's schemas. */
export type Semaforo = Out<typeof S.Semaforo>;
export type IndicatorSummary = Out<typeof S.IndicatorSummary>;
export type Ficha = Out<typeof S.Ficha>;
export type ValueRow = Out<typeof S.ValueRow>;
export type Variable = Out<typeof S.VariableOut>;
export type LoadReport = Out<typeof S.LoadReportOut>;
export type Dashboard = Out<typeof S.Dashboard>;
export type DashboardItem = Dashboard['indicadores'][number];
export type Themes = Out<typeof S.Themes>;
