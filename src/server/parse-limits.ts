import { AppError } from './errors.ts';

/**
 * Limits on what a parsed upload may hold, beyond its bytes: rows (BRUJULA_UPLOAD_MAX_ROWS),
 * columns, and the length of one cell or attribute (Excel's own cell limit, 32,767 characters).
 * Checked right after parsing, before anything is converted or stored, with the limit in the message.
 */
export const MAX_COLUMNS = 1000;
export const MAX_CELL_CHARS = 32_767;
let maxRows = 1_000_000;

export function configureParseLimits(rows: number) {
  maxRows = rows;
}
export const parseLimits = () => ({ rows: maxRows, columns: MAX_COLUMNS, cellChars: MAX_CELL_CHARS });

const n = (x: number) => x.toLocaleString('es-MX');

export function checkRowCount(rows: number) {
  if (rows > maxRows)
    throw new AppError(
      'BRJ_ERR_PAYLOAD_TOO_LARGE',
      `El archivo tiene más de ${n(maxRows)} filas o elementos, el máximo de esta instalación (BRUJULA_UPLOAD_MAX_ROWS). Divídalo en partes.`,
    );
}

export function checkColumnCount(columns: number) {
  if (columns > MAX_COLUMNS)
    throw new AppError(
      'BRJ_ERR_IMPORT_INVALID',
      `El archivo tiene ${n(columns)} columnas; el máximo es ${n(MAX_COLUMNS)}. No se guardó nada.`,
    );
}

/** Every cell of rows given as arrays or records; `first` is the number shown for the first row. */
export function checkCells(rows: Iterable<readonly unknown[] | Record<string, unknown>>, first = 2) {
  let i = first;
  for (const row of rows) {
    for (const [k, v] of Array.isArray(row) ? row.entries() : Object.entries(row)) {
      if (typeof v === 'string' && v.length > MAX_CELL_CHARS) {
        throw new AppError(
          'BRJ_ERR_IMPORT_INVALID',
          `La fila ${n(i)}, columna «${typeof k === 'number' ? k + 1 : k}», tiene ${n(v.length)} caracteres; el máximo por celda es ${n(MAX_CELL_CHARS)}. No se guardó nada.`,
        );
      }
    }
    i++;
  }
}
