// @ts-check
/**
 * Opens PGlite with Brújula's PostGIS bundles, in this thread or as a worker thread.
 *
 * The server runs PGlite in a worker so the WebAssembly database opens (~1 s) while the main
 * thread loads and builds the web app, and so queries run beside request handling afterwards.
 * Plain JavaScript, so the same file starts as a worker from the bundle, from tsx and under vitest.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/** Same JS types on both drivers: int8 and numeric as number, date as 'YYYY-MM-DD' text. */
export const parsers = {
  20: (/** @type {string} */ v) => Number.parseInt(v, 10),
  1700: (/** @type {string} */ v) => Number.parseFloat(v),
  1082: (/** @type {string} */ v) => v,
};

/**
 * @typedef {{ slim: string; open: string }} Bundles
 *   slim: gzipped core PostGIS with its install script (to create the extension);
 *   open: uncompressed core PostGIS without it (to open a folder where it exists).
 */

/**
 * PostGIS for a folder where the extension already exists: the uncompressed bundle handed to
 * PGlite's extension loader as bytes (it reads `Module.pg_extensions` after the pre-run hooks);
 * PGlite would otherwise inflate a gzipped bundle through 16 KB stream chunks (~0.4 s per open).
 * @param {any} postgis @param {string} bundle
 */
function openedPostgis(postgis, bundle) {
  return {
    name: 'postgis',
    /** @param {any} pg @param {any} emscriptenOpts @param {any[]} rest */
    setup: async (pg, emscriptenOpts, ...rest) => {
      const { bundlePath: _unused, ...r } = await postgis.setup(pg, emscriptenOpts, ...rest);
      const opts = r.emscriptenOpts ?? emscriptenOpts;
      const bytes = fs.readFileSync(bundle);
      /** @param {{ pg_extensions?: Record<string, unknown> }} mod */
      const preRun = (mod) => {
        mod.pg_extensions = { ...mod.pg_extensions, postgis: Promise.resolve({ arrayBuffer: async () => bytes }) };
      };
      return { ...r, emscriptenOpts: { ...opts, preRun: [...(opts.preRun ?? []), preRun] } };
    },
  };
}

/**
 * @param {string} dataDir
 * @param {Bundles} bundles
 * @param {boolean} [creating] the folder is new and PostGIS will be created in it
 */
export async function openPGlite(dataDir, bundles, creating = false) {
  const [{ PGlite }, { postgis }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-postgis')]);
  const extension =
    !creating && fs.existsSync(bundles.open)
      ? openedPostgis(postgis, bundles.open)
      : fs.existsSync(bundles.slim)
        ? {
            name: 'postgis',
            /** @param {any[]} args */
            setup: async (...args) => ({ ...(await /** @type {any} */ (postgis.setup)(...args)), bundlePath: pathToFileURL(bundles.slim) }),
          }
        : postgis;
  return PGlite.create({ dataDir, extensions: { postgis: /** @type {any} */ (extension) }, parsers });
}

/** An error as plain data (message, SQLSTATE code, detail, constraint…), to cross the thread boundary. */
function plain(/** @type {any} */ e) {
  /** @type {Record<string, unknown>} */
  const out = { message: String(e?.message ?? e) };
  for (const [k, v] of Object.entries(e ?? {})) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}

async function serve(/** @type {{ dataDir: string; bundles: Bundles }} */ data) {
  const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
  let pg;
  try {
    pg = await openPGlite(data.dataDir, data.bundles);
  } catch (e) {
    port.postMessage({ id: 0, error: plain(e) });
    return;
  }
  port.postMessage({ id: 0, result: null });
  port.on('message', async (/** @type {{ id: number; op: 'query' | 'exec' | 'close'; sql?: string; params?: unknown[] }} */ m) => {
    try {
      if (m.op === 'query') {
        const r = await pg.query(/** @type {string} */ (m.sql), m.params);
        port.postMessage({ id: m.id, result: { rows: r.rows, affectedRows: r.affectedRows } });
      } else if (m.op === 'exec') {
        await pg.exec(/** @type {string} */ (m.sql));
        port.postMessage({ id: m.id, result: null });
      } else {
        await pg.close();
        port.postMessage({ id: m.id, result: null });
        port.close();
      }
    } catch (e) {
      port.postMessage({ id: m.id, error: plain(e) });
    }
  });
}

if (!isMainThread && workerData?.brujulaPGlite) void serve(workerData.brujulaPGlite);
