import { toCsvText } from '../../tabular.ts';
/** Downloads of indicator values: the same rows the page and the JSON endpoint show. */
export interface ExportRow {
  cvegeo: string;
  unidad: string;
  periodo: string;
  desagregacion: string;
  valor: number | null;
  meta: number | null;
  semaforo: string | null;
  motivo: string | null;
}

export const EXPORT_COLUMNS = ['clave', 'cvegeo', 'unidad', 'periodo', 'desagregacion', 'valor', 'meta', 'semaforo', 'motivo'] as const;

/** A value as the indicator's page shows it: rounded to the indicator's decimals (not 12.345678901). */
const shown = (v: number | null, decimales: number) => (v === null ? null : Number(v.toFixed(decimales)));

/** UTF-8 CSV with BOM (Excel in Spanish opens it with accents intact); plain numbers with a point. */
export function toCsv(clave: string, rows: ExportRow[], decimales: number): string {
  return toCsvText(
    EXPORT_COLUMNS,
    rows.map((r) => [
      clave,
      r.cvegeo,
      r.unidad,
      r.periodo,
      r.desagregacion,
      shown(r.valor, decimales),
      shown(r.meta, decimales),
      r.semaforo,
      r.motivo,
    ]),
  );
}

export async function toXlsx(clave: string, nombre: string, rows: ExportRow[], decimales: number): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Brújula';
  const ws = wb.addWorksheet(clave.slice(0, 31));
  ws.addRow([...EXPORT_COLUMNS]);
  ws.getRow(1).font = { bold: true };
  for (const r of rows)
    ws.addRow([
      clave,
      r.cvegeo,
      r.unidad,
      r.periodo,
      r.desagregacion,
      shown(r.valor, decimales),
      shown(r.meta, decimales),
      r.semaforo,
      r.motivo,
    ]);
  ws.columns.forEach((c) => (c.width = 16));
  const info = wb.addWorksheet('Indicador');
  info.addRow(['Clave', clave]);
  info.addRow(['Nombre', nombre]);
  info.addRow(['Generado', new Date().toISOString()]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A load template: the long format with one row per variable of the indicator, ready to fill. */
export async function templateXlsx(variables: { clave: string; nombre: string }[], cvegeo: string, periodo: string): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('datos');
  ws.addRow(['clave', 'cvegeo', 'periodo', 'desagregacion', 'valor']);
  ws.getRow(1).font = { bold: true };
  for (const v of variables) ws.addRow([v.clave, cvegeo, periodo, 'total', null]);
  ws.columns.forEach((c) => (c.width = 18));
  const help = wb.addWorksheet('Instrucciones');
  help.addRow(['Columna', 'Qué poner']);
  help.addRow(['clave', 'Clave de la variable (ver abajo)']);
  help.addRow(['cvegeo', 'Clave geográfica INEGI de la unidad (municipio, localidad, AGEB) o clave de colonia']);
  help.addRow(['periodo', 'Año (2024), semestre (2024-S1), trimestre (2024-T3) o mes (2024-07)']);
  help.addRow(['desagregacion', 'total, o dimensión:valor, p. ej. sexo:mujer, sexo:hombre, ambito:rural']);
  help.addRow(['valor', 'Número con punto decimal; se aceptan comas de miles (1,234.5)']);
  help.addRow([]);
  for (const v of variables) help.addRow([v.clave, v.nombre]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
