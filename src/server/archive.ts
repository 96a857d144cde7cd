import yauzl from 'yauzl';
import { AppError } from './errors.ts';

/**
 * Bounded reading of zip archives (zipped Shapefiles, KMZ, XLSX). The upload limit counts
 * compressed bytes; a 10 MB zip can declare — or, lying in its directory, actually hold — gigabytes.
 * Every entry is inflated through a counter that stops at the limits, checked on the declared sizes
 * first (cheap) and on the real bytes while reading (a lying directory).
 */
export interface InflateLimits {
  /** Total inflated bytes of all entries. */
  totalBytes: number;
  entries: number;
  /** Inflated ÷ compressed, for entries over 1 MB: real files stay far below, zip bombs far above. */
  ratio: number;
}

let limits: InflateLimits = { totalBytes: 1024 * 2 ** 20, entries: 10_000, ratio: 200 };

/** Set from the configuration when the app is built (BRUJULA_UPLOAD_MAX_INFLATED_MB). */
export function configureArchives(maxInflatedMb: number) {
  limits = { ...limits, totalBytes: maxInflatedMb * 2 ** 20 };
}

const tooLarge = (what: string) =>
  new AppError(
    'BRJ_ERR_PAYLOAD_TOO_LARGE',
    `El archivo comprimido ${what}; el límite es ${Math.round(limits.totalBytes / 2 ** 20)} MB descomprimidos (BRUJULA_UPLOAD_MAX_INFLATED_MB). No se guardó nada.`,
  );
const damaged = (m: string) => new AppError('BRJ_ERR_IMPORT_INVALID', `El archivo .zip está dañado o incompleto: ${m}`);

/**
 * The archive's entries (folders and macOS metadata left out), inflated within the limits. With
 * `keep` false for an entry, its bytes are counted and dropped (to check an XLSX before a library
 * inflates it again on its own).
 */
export function unzipBounded(bytes: Buffer, keep: (name: string) => boolean = () => true): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(damaged(err?.message ?? 'sin contenido'));
      let settled = false;
      const stop = (e: Error) => {
        if (settled) return;
        settled = true;
        zip.close();
        reject(e);
      };
      if (zip.entryCount > limits.entries) return stop(tooLarge(`tiene ${zip.entryCount} archivos (máximo ${limits.entries})`));
      const files = new Map<string, Buffer>();
      let declared = 0;
      let inflated = 0;
      zip.on('error', (e: Error) => stop(damaged(e.message)));
      zip.on('end', () => {
        if (settled) return;
        settled = true;
        resolve(files);
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/') || entry.fileName.startsWith('__MACOSX')) return zip.readEntry();
        declared += entry.uncompressedSize;
        if (declared > limits.totalBytes) return stop(tooLarge('se expandiría a más de lo permitido'));
        if (entry.uncompressedSize > 2 ** 20 && entry.uncompressedSize / Math.max(entry.compressedSize, 1) > limits.ratio) {
          return stop(
            tooLarge(
              `contiene ${entry.fileName}, que se expande ${Math.round(entry.uncompressedSize / Math.max(entry.compressedSize, 1))} veces (una «bomba zip»)`,
            ),
          );
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return stop(damaged(`no se pudo leer ${entry.fileName}: ${e?.message}`));
          const chunks: Buffer[] = [];
          const wanted = keep(entry.fileName);
          stream.on('data', (c: Buffer) => {
            inflated += c.length;
            if (inflated > limits.totalBytes) {
              stream.destroy();
              return stop(tooLarge('se expande a más de lo permitido'));
            }
            if (wanted) chunks.push(c);
          });
          stream.on('error', (se: Error) => stop(damaged(`no se pudo leer ${entry.fileName}: ${se.message}`)));
          stream.on('end', () => {
            if (settled) return;
            if (wanted) files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
