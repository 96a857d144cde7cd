import type * as S from '../../../server/modules/emergency/schemas.ts';
import type { LoadReportOut } from '../../../server/modules/indicators/schemas.ts';
import { del, get, post } from '../client.ts';
import { useGet } from '../hooks.ts';
import type { Out } from '../wire.ts';
import type { Message } from '../common.ts';

/** The emergency-calls operations of /api/v1, one function or hook each. */
export type CallSummary = Out<typeof S.Summary>;
export type CallsByUnit = Out<typeof S.ByUnit>;
export type CallHeat = Out<typeof S.Heat>;
export type CallImport = Out<typeof S.ImportRow>;
export type CallImportReport = Out<typeof S.ImportReport>;

const base = (mid: string) => `/api/v1/municipalities/${mid}/emergency-calls` as const;

export const callsPath = base;
export const useCallSummary = (mid: string, filterQs: string) => useGet<CallSummary>(`${base(mid)}/summary?${filterQs}`);
export const useCallsByUnit = (mid: string, nivel: 'colonia' | 'ageb', filterQs: string) =>
  useGet<CallsByUnit>(`${base(mid)}/by-unit?nivel=${nivel}&${filterQs}`);
export const byUnitCsvUrl = (mid: string, nivel: 'colonia' | 'ageb', filterQs: string) =>
  `${base(mid)}/by-unit?nivel=${nivel}&formato=csv&${filterQs}`;
export const callHeat = (mid: string, bbox: number[], zoom: number, filterQs: string) =>
  get<CallHeat>(`${base(mid)}/heat?bbox=${bbox.map((x) => x.toFixed(5)).join(',')}&zoom=${zoom.toFixed(1)}&${filterQs}`);
export const useCallImports = (mid: string) => useGet<CallImport[]>(`${base(mid)}/imports`);
export const deleteCallImport = (mid: string, id: number) => del<Message>(`${base(mid)}/imports/${id}`);
export const callsToIndicator = (
  mid: string,
  body: { variable: string; nivel: 'municipio' | 'colonia' | 'ageb'; periodo: string; tipo?: string[] },
) => post<Out<typeof LoadReportOut>>(`${base(mid)}/to-indicator`, body);
