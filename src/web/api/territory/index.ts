import type { Paged } from '../../../server/schemas.ts';
import type * as S from '../../../server/modules/territory/schemas.ts';
import type { Out } from '../wire.ts';

/** What the territory operations answer, from the server's schemas. */
export type States = Out<typeof S.States>;
export type Municipality = Out<typeof S.MunicipalityOut>;
export type MunicipalityDetail = Out<typeof S.MunicipalityDetail>;
export type Unit = Out<typeof S.UnitOut>;
export type UnitPage = Out<ReturnType<typeof Paged<typeof S.UnitOut>>>;
export type ImportReport = Out<typeof S.ImportReportOut>;
