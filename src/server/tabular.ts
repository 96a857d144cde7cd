import { unzipBounded } from './archive.ts';
import { AppError } from './errors.ts';
import { checkCells, checkColumnCount, checkRowCount, parseLimits } from './parse-limits.ts';

/** Reads CSV or XLSX bytes into rows of strings keyed by lower-cased header, within the parse limits. */
export async function readTable(fileName: string, bytes: Buffer): Promise<Record<string, string>[]> {
  const rows = await readAnyTable(fileName, bytes);
  checkRowCount(rows.length);
  checkColumnCount(Object.keys(rows[0] ?? {}).length);
  checkCells(rows, 2);
  return rows;
}

async function readAnyTable(fileName: string, bytes: Buffer): Promise<Record<string, string>[]> {
  if (bytes.length === 0) throw new AppError('BRJ_ERR_IMPORT_INVALID', 'El archivo está vacío.');
  const isXlsx = bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (isXlsx) {
    // ExcelJS inflates the whole workbook in memory: the archive is measured within limits first.
    await unzipBounded(bytes, () => false);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch (e) {
      throw new AppError('BRJ_ERR_IMPORT_INVALID', `El archivo XLSX está dañado: ${(e as Error).message}`);
    }
    const ws = wb.worksheets[0];
    if (!ws) throw new AppError('BRJ_ERR_IMPORT_INVALID', 'El libro XLSX no tiene hojas.');
    checkRowCount(ws.actualRowCount - 1);
    checkColumnCount(ws.actualColumnCount);
    const header: string[] = [];
    const rows: Record<string, string>[] = [];
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      const cells = (row.values as unknown[]).slice(1).map((c) => cellText(c));
      if (n === 1) header.push(...cells.map((h) => h.trim().toLowerCase()));
      else rows.push(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
    });
    return rows;
  }
  if (/\.(xls|ods)$/i.test(fileName)) throw new AppError('BRJ_ERR_UNSUPPORTED_FORMAT', 'Guarde el archivo como XLSX o CSV (UTF-8).');
  const { parse } = await import('csv-parse/sync');
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const delimiter = (text.split('\n')[0].match(/;/g)?.length ?? 0) > (text.split('\n')[0].match(/,/g)?.length ?? 0) ? ';' : ',';
  try {
    // One record past the limit is enough to know the file is over it.
    return parse(text, {
      columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      delimiter,
      to: parseLimits().rows + 1,
    }) as Record<string, string>[];
  } catch (e) {
    throw new AppError('BRJ_ERR_IMPORT_INVALID', `El CSV no se pudo leer: ${(e as Error).message}`);
  }
}

function cellText(c: unknown): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'object') {
    const o = c as { result?: unknown; text?: string; richText?: { text: string }[] };
    if (o.result !== undefined) return String(o.result);
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return o.text;
    if (c instanceof Date) return c.toISOString().slice(0, 10);
  }
  return String(c);
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** UTF-8 CSV with BOM (Excel in Spanish keeps the accents), CRLF lines, plain numbers with a point. */
export function toCsvText(header: readonly string[], rows: unknown[][]): string {
  return `\uFEFF${[header.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n')}\r\n`;
}
