import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { openDatabase, prepareTemplate, type Database } from '../server/db/connection.ts';
import { migrate } from '../server/db/migrate.ts';
import { VERSION } from '../server/paths.ts';
import type { TerritorialLevel } from '../server/db/types.ts';
import { IMPORT_LEVELS as LEVELS } from '../server/modules/territory/levels.ts';

// Heavy modules load inside the commands that use them, so `serve` can open the database while
// the web server's modules load (a warm start is mostly PGlite opening).

const say = (m: string) => process.stdout.write(`${m}\n`);

function config(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Error de configuración: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

async function open(cfg: Readonly<Config>): Promise<Database> {
  const database = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, poolSize: cfg.dbPoolSize, log: say });
  await migrate(database);
  return database;
}

async function demo(database: Database): Promise<boolean> {
  const { DEMO_PASSWORD, hasData, loadDemo } = await import('../../demo/load.ts');
  if (await hasData(database.db)) return false;
  const { users } = await loadDemo(database.db);
  say('\nDatos de demostración cargados (Zacatecas–Guadalupe). Cuentas de prueba, contraseña: ' + DEMO_PASSWORD);
  for (const u of users) say(`  ${u.email.padEnd(38)} ${u.roles}`);
  say('');
  return true;
}

/** Demo emergency calls and the demo's own basemap, when the demo is installed and they are missing. */
async function demoExtras(cfg: Readonly<Config>, database: Database) {
  try {
    const isDemo = await database.db.selectFrom('municipalities').select('id').where('is_demo', '=', true).executeTakeFirst();
    if (!isDemo) return;
    // Let the first pages load before the extras share the database.
    await new Promise((r) => setTimeout(r, 5000));
    const { hasDemoCalls, linkDemoCallsIndicator, loadDemoCalls } = await import('../../demo/emergency.ts');
    if (!(await hasDemoCalls(database.db))) {
      const t0 = performance.now();
      await loadDemoCalls(database.db);
      say(`Llamadas de emergencia de demostración generadas (${Math.round(performance.now() - t0)} ms).`);
    }
    await linkDemoCallsIndicator(database.db);
    if (!fs.existsSync(path.join(cfg.dataDir, 'basemap', 'basemap.pmtiles'))) {
      const { buildBasemap } = await import('../server/modules/gis/basemap.ts');
      const r = await buildBasemap(database.db, { dataDir: cfg.dataDir });
      say(`Mapa base propio listo: ${r.tiles} teselas en ${r.file}`);
    }
  } catch (e) {
    say(`No se pudieron generar los extras de la demostración: ${(e as Error).message}`);
  }
}

const program = new Command();
program.name('brujula').description('Brújula — planeación estratégica municipal y gobierno abierto').version(VERSION);

program
  .command('serve')
  .description('Inicia el servidor (aplica migraciones; carga datos de demostración en una base vacía si BRUJULA_DEMO)')
  .option('-p, --port <port>', 'puerto (o PORT)')
  .action(async (opts: { port?: string }) => {
    const t0 = performance.now();
    const cfg = config();
    const opening = open(cfg);
    const { build } = await import('../server/app.ts');
    const database = await opening;
    if (cfg.demo) await demo(database);
    const app = await build({ config: cfg, database });
    const close = async () => {
      await app.close();
      await database.close();
      process.exit(0);
    };
    process.once('SIGINT', close);
    process.once('SIGTERM', close);
    const port = opts.port ? Number(opts.port) : cfg.port;
    const address = await app.listen({ port, host: cfg.host });
    const url = cfg.host === '127.0.0.1' || cfg.host === '0.0.0.0' ? address.replace('127.0.0.1', 'localhost') : address;
    say(`Brújula lista en ${url}  (base de datos: ${database.kind === 'pglite' ? `PGlite en ${cfg.dataDir}` : 'PostgreSQL'}; ${Math.round(performance.now() - t0)} ms)`);
    // Heavy demo extras are generated after the server is up, so the first start stays fast.
    if (cfg.demo && cfg.demoBackground) void demoExtras(cfg, database);
  });

program
  .command('basemap')
  .description('Construye el mapa base propio (PMTiles en <datos>/basemap) con límites, localidades, colonias, manzanas, vialidades y áreas verdes')
  .option('-m, --municipality <ids...>', 'municipios (clave INEGI); por omisión, todos los activos')
  .option('--minzoom <z>', 'zoom mínimo', '8')
  .option('--maxzoom <z>', 'zoom máximo', '15')
  .action(async (opts: { municipality?: string[]; minzoom: string; maxzoom: string }) => {
    const cfg = config();
    const database = await open(cfg);
    const { buildBasemap } = await import('../server/modules/gis/basemap.ts');
    const t0 = performance.now();
    const r = await buildBasemap(database.db, { dataDir: cfg.dataDir, municipalities: opts.municipality, minzoom: Number(opts.minzoom), maxzoom: Number(opts.maxzoom), onProgress: (n, z) => say(`  zoom ${z}: ${n} teselas`) });
    say(`Mapa base listo: ${r.file} (${r.tiles} teselas, ${(r.bytes / 1e6).toFixed(1)} MB, ${Math.round(performance.now() - t0)} ms)`);
    await database.close();
  });

program
  .command('migrate')
  .description('Aplica las migraciones pendientes')
  .action(async () => {
    const cfg = config();
    const database = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, log: say });
    const r = await migrate(database);
    say(r.applied.length ? `Migraciones aplicadas: ${r.applied.join(', ')}` : 'La base de datos ya estaba al día.');
    await database.close();
  });

program
  .command('demo')
  .description('Carga los datos de demostración en una base de datos vacía')
  .action(async () => {
    const database = await open(config());
    if (!(await demo(database))) say('La base de datos ya tiene municipios; no se cargó la demostración.');
    await database.close();
  });

program
  .command('prepare-template')
  .description('Prepara la plantilla de PGlite con PostGIS (se ejecuta al instalar)')
  .action(async () => {
    const t0 = performance.now();
    const dir = await prepareTemplate(say);
    say(`Plantilla PGlite lista en ${path.relative(process.cwd(), dir)} (${Math.round(performance.now() - t0)} ms)`);
  });

const importCmd = program.command('import').description('Importa datos');
importCmd
  .command('territory <file>')
  .description('Importa unidades territoriales desde GeoJSON, Shapefile (.zip) o GeoPackage; todo o nada')
  .addOption(new Option('-l, --level <level>', 'nivel territorial').choices(LEVELS).makeOptionMandatory())
  .requiredOption('-k, --key <field>', 'campo con la clave (CVEGEO)')
  .requiredOption('-n, --name <field>', 'campo con el nombre')
  .option('--population <field>', 'campo con la población')
  .option('-m, --municipality <id>', 'municipio de todas las unidades (colonias, polígonos)')
  .option('--layer <name>', 'capa dentro del .zip o GeoPackage')
  .option('--dry-run', 'valida y reporta sin guardar nada')
  .option('--skip-invalid', 'importa los elementos válidos y omite los rechazados')
  .action(async (file: string, o: { level: TerritorialLevel; key: string; name: string; population?: string; municipality?: string; layer?: string; dryRun?: boolean; skipInvalid?: boolean }) => {
    const database = await open(config());
    const { importTerritory } = await import('../server/modules/territory/importer.ts');
    const bar = new cliProgress.SingleBar({ format: ' {phase} [{bar}] {value}/{total}', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
    let started = false;
    try {
      const report = await importTerritory(database.db, { userId: null, via: 'cli' }, fs.readFileSync(file), {
        level: o.level,
        keyField: o.key,
        nameField: o.name,
        populationField: o.population,
        municipalityId: o.municipality,
        layer: o.layer,
        dryRun: o.dryRun,
        onInvalid: o.skipInvalid ? 'skip' : 'fail',
        fileName: path.basename(file),
        onProgress: (phase, done, total) => {
          if (!started) {
            bar.start(total, done, { phase });
            started = true;
          }
          bar.setTotal(total);
          bar.update(done, { phase: phase.padEnd(10) });
        },
      });
      bar.stop();
      printReport(report);
    } catch (e) {
      bar.stop();
      const err = e as Error & { details?: unknown };
      process.stderr.write(`\n${err.message}\n`);
      if (err.details && typeof err.details === 'object' && 'rejected' in err.details) printReport(err.details as Parameters<typeof printReport>[0]);
      process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

importCmd
  .command('indicators <file>')
  .description('Carga observaciones de variables desde CSV o XLSX (clave, cvegeo, periodo, desagregacion, valor); todo o nada')
  .requiredOption('-m, --municipality <id>', 'municipio (clave INEGI de 5 dígitos)')
  .option('--dry-run', 'valida y reporta sin guardar nada')
  .action(async (file: string, o: { municipality: string; dryRun?: boolean }) => {
    const database = await open(config());
    const { loadObservations } = await import('../server/modules/indicators/load.ts');
    const bar = new cliProgress.SingleBar({ format: ' cargando [{bar}] {value}/{total}', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
    let started = false;
    try {
      const r = await loadObservations(database.db, { userId: null, via: 'cli' }, o.municipality, path.basename(file), fs.readFileSync(file), {
        dryRun: o.dryRun,
        allowedVariable: () => true,
        onProgress: (done, total) => {
          if (!started) {
            bar.start(total, 0);
            started = true;
          }
          bar.update(done);
        },
      });
      bar.stop();
      for (const e of r.errores.slice(0, 50)) say(`  fila ${e.fila}${e.columna ? ` (${e.columna})` : ''}: ${e.problema}`);
      say(`Filas: ${r.filas} · válidas: ${r.validas} · con error: ${r.errores.length}`);
      say(r.committed && !r.dryRun ? `Carga ${r.loadId}: ${r.insertadas} nuevas, ${r.actualizadas} actualizadas.` : 'Simulación: no se guardó nada.');
    } catch (e) {
      bar.stop();
      const err = e as Error & { details?: { errores?: { fila: number; columna: string | null; problema: string }[] } };
      for (const x of err.details?.errores?.slice(0, 50) ?? []) say(`  fila ${x.fila}${x.columna ? ` (${x.columna})` : ''}: ${x.problema}`);
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

function printReport(r: import('../server/modules/territory/importer.ts').ImportReport) {
  say(`\nFormato: ${r.format}${r.layer ? ` (capa ${r.layer})` : ''} · SRID de origen: EPSG:${r.sourceSrid} · elementos: ${r.features}`);
  say(`Válidos: ${r.valid} · reparados: ${r.repaired.length} · rechazados: ${r.rejected.length}`);
  if (r.population !== null) say(`Población total: ${r.population.toLocaleString('es-MX')}`);
  for (const w of r.warnings) say(`Aviso: ${w}`);
  for (const p of r.repaired.slice(0, 20)) say(`  reparado #${p.n} ${p.key ?? ''}: ${p.reason}`);
  for (const p of r.rejected.slice(0, 50)) say(`  rechazado #${p.n} ${p.key ?? ''}: ${p.reason}`);
  if (r.rejected.length > 50) say(`  … y ${r.rejected.length - 50} más`);
  if (r.dryRun && r.rejected.length && !r.committed && r.inserted + r.updated === 0) {
    say(`Simulación: la importación fallaría por ${r.rejected.length} elementos rechazados (--skip-invalid los omite). No se guardó nada.`);
  } else if (r.dryRun) say(`Simulación: se insertarían ${r.inserted} y actualizarían ${r.updated}. No se guardó nada.`);
  else if (r.committed) say(`Importación ${r.importId}: ${r.inserted} nuevas, ${r.updated} actualizadas.`);
}

program
  .command('backup <file>')
  .description('Respaldo lógico (.jsonl.gz) restaurable en PGlite o PostgreSQL')
  .action(async (file: string) => {
    const database = await open(config());
    const { backup } = await import('../server/db/backup.ts');
    const counts = await backup(database, file);
    say(`Respaldo escrito en ${file}: ${Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(', ')}`);
    await database.close();
  });

program
  .command('restore <file>')
  .description('Restaura un respaldo sobre una instalación vacía')
  .action(async (file: string) => {
    const database = await open(config());
    const { restore } = await import('../server/db/backup.ts');
    try {
      const counts = await restore(database, file);
      say(`Restaurado: ${Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(', ')}`);
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

program.parseAsync().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
