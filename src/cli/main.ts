import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { openDatabase, prepareTemplate, startDatabase, type Database } from '../server/db/connection.ts';
import { migrate, pendingUpgrade } from '../server/db/migrate.ts';
import { VERSION } from '../server/paths.ts';
import { configureArchives } from '../server/archive.ts';
import { configureParseLimits } from '../server/parse-limits.ts';
import * as lockModule from '../server/db/lock.ts';
import type { TerritorialLevel } from '../server/db/types.ts';
import { IMPORT_LEVELS as LEVELS } from '../server/modules/territory/levels.ts';

// Heavy modules load inside the commands that use them, so `serve` can open the database while
// the web server's modules load (a warm start is mostly PGlite opening).

const say = (m: string) => process.stdout.write(`${m}\n`);

/** An error the CLI reports as one line and exit code (AppError, ConfigError and the lock's carry their own). */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function config(): Readonly<Config> {
  try {
    const cfg = loadConfig();
    configureArchives(cfg.uploadMaxInflatedMb);
    configureParseLimits(cfg.uploadMaxRows);
    return cfg;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Error de configuración: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

/** Opens and migrates the database; on PGlite it takes the data folder's lock first (see db/lock.ts). */
async function open(
  cfg: Readonly<Config>,
  command: string,
  role: 'server' | 'cli' = 'cli',
  template?: string | null,
): Promise<Database & { fromTemplate?: string }> {
  const database = await openDatabase({
    databaseUrl: cfg.databaseUrl,
    dataDir: cfg.dataDir,
    poolSize: cfg.dbPoolSize,
    log: say,
    lock: { role, command },
    template,
  });
  try {
    await upgrade(cfg, database);
  } catch (e) {
    await database.close();
    throw e;
  }
  return database;
}

/** Applies pending migrations; an upgrade of an embedded installation keeps a backup of the data as it was, first. */
async function upgrade(cfg: Readonly<Config>, database: Database) {
  const pending = database.kind === 'pglite' ? await pendingUpgrade(database) : [];
  if (pending.length) {
    const { backup } = await import('../server/db/backup.ts');
    const dir = path.join(cfg.dataDir, 'respaldos');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(
      dir,
      `antes-de-${pending[0].replace(/\.sql$/, '')}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.jsonl.gz`,
    );
    await backup(database, file);
    say(`Actualización: ${pending.length} migraciones nuevas. Respaldo previo en ${file}`);
  }
  return migrate(database);
}

/** Runs a command's work on the database and always closes it. */
async function withDatabase<T>(command: string, fn: (database: Database, cfg: Readonly<Config>) => Promise<T>): Promise<T> {
  const cfg = config();
  const database = await open(cfg, command);
  try {
    return await fn(database, cfg);
  } finally {
    await database.close();
  }
}

const CLI_ACTOR = { userId: null, via: 'cli' } as const;

async function demo(database: Database & { fromTemplate?: string }): Promise<boolean> {
  const { DEMO_PASSWORD, demoAccounts, hasData, loadDemo } = await import('../../demo/load.ts');
  if (!database.fromTemplate) {
    if (await hasData(database.db)) return false;
    await loadDemo(database.db);
  }
  say(`\nDatos de demostración cargados (Zacatecas–Guadalupe). Cuentas de prueba, contraseña: ${DEMO_PASSWORD}`);
  for (const u of demoAccounts()) say(`  ${u.email.padEnd(38)} ${u.roles}`);
  say('');
  return true;
}

/** The prepared demo folder, for a first start of the embedded demo on an empty data folder (see demo/template.ts). */
async function demoTemplate(cfg: Readonly<Config>): Promise<string | null> {
  if (!cfg.demo || cfg.databaseUrl || fs.existsSync(path.join(cfg.dataDir, 'PG_VERSION'))) return null;
  const { readyDemoTemplate } = await import('../../demo/template.ts');
  return readyDemoTemplate();
}

/** What a process killed mid-way left behind: tables of cut-short uploads, a half-made demo generation. */
async function cleanInterrupted(database: Database) {
  try {
    const { dropOrphanPartitions } = await import('../server/modules/gis/api.ts');
    const tables = await dropOrphanPartitions(database.db);
    if (tables.length)
      say(
        tables.length === 1
          ? 'Se borró la tabla de una carga de capa interrumpida.'
          : `Se borraron las tablas de ${tables.length} cargas de capas interrumpidas.`,
      );
    if (
      await database.db
        .selectFrom('emergency_call_imports')
        .select('id')
        .where('is_demo', '=', true)
        .where('desde', 'is', null)
        .executeTakeFirst()
    ) {
      const { dropInterruptedDemoCalls } = await import('../../demo/emergency.ts');
      await dropInterruptedDemoCalls(database.db);
      say('Se borró una generación de llamadas de demostración que quedó a medias.');
    }
  } catch (e) {
    say(`No se pudo limpiar lo que dejó un cierre inesperado: ${(e as Error).message}`);
  }
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
    const { basemapFile, buildBasemap } = await import('../server/modules/gis/basemap.ts');
    if (!fs.existsSync(basemapFile(cfg.dataDir))) {
      const r = await buildBasemap(database.db, { dataDir: cfg.dataDir });
      say(`Mapa base propio listo: ${r.tiles} teselas en ${r.file}`);
    }
  } catch (e) {
    say(`No se pudieron generar los extras de la demostración: ${(e as Error).message}`);
  }
}

/** After a start: the own basemap is rebuilt when the territory changed without it (CLI imports). */
async function refreshBasemap(app: import('fastify').FastifyInstance, database: Database) {
  const { basemapStale, scheduleBasemap } = await import('../server/modules/gis/api.ts');
  if (await basemapStale(database.db, app.config.dataDir).catch(() => false)) {
    say('El territorio cambió desde el último mapa base: se reconstruye en segundo plano.');
    scheduleBasemap(database.db, app.config.dataDir, app.log);
  }
}

const program = new Command();
program
  .name('brujula')
  .description('Brújula — planeación estratégica municipal y gobierno abierto')
  .version(VERSION, '-V, --version', 'muestra la versión')
  .option('--debug', 'muestra el detalle técnico (pila) de los errores')
  .helpOption('-h, --help', 'muestra la ayuda')
  .addHelpCommand('help [comando]', 'muestra la ayuda de un comando')
  .configureOutput({ outputError: (str, write) => write(spanishCommanderError(str)) });

program
  .command('serve')
  .description('Inicia el servidor (aplica migraciones; carga datos de demostración en una base vacía si BRUJULA_DEMO)')
  .option('-p, --port <port>', 'puerto (o PORT)')
  .action(async (opts: { port?: string }) => {
    const t0 = performance.now();
    const cfg = config();
    // The database opens (PGlite in its worker thread) and migrates while the app's routes are built.
    const { database, ready } = await startDatabase({
      databaseUrl: cfg.databaseUrl,
      dataDir: cfg.dataDir,
      poolSize: cfg.dbPoolSize,
      log: say,
      lock: { role: 'server', command: 'serve' },
      template: await demoTemplate(cfg),
    });
    let opened = false;
    const migrated = ready.then(() => ((opened = true), upgrade(cfg, database)));
    migrated.catch(() => {}); // awaited below, after the build
    const { build } = await import('../server/app.ts');
    const app = await build({ config: cfg, database });
    try {
      await migrated;
    } catch (e) {
      await app.close();
      if (opened) await database.close();
      throw e;
    }
    if (cfg.demo) await demo(database);
    const close = async () => {
      await app.close();
      await database.close();
      process.exit(0);
    };
    process.once('SIGINT', close);
    process.once('SIGTERM', close);
    const port = opts.port ? Number(opts.port) : cfg.port;
    let address: string;
    try {
      address = await app.listen({ port, host: cfg.host });
    } catch (e) {
      await database.close();
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
        throw new CliError(`El puerto ${port} ya está en uso; elija otro con -p o PORT.`);
      throw e;
    }
    const url = cfg.host === '127.0.0.1' || cfg.host === '0.0.0.0' ? address.replace('127.0.0.1', 'localhost') : address;
    database.lock?.update({ url });
    say(
      `Brújula lista en ${url}  (base de datos: ${database.kind === 'pglite' ? `PGlite en ${cfg.dataDir}` : 'PostgreSQL'}; ${Math.round(performance.now() - t0)} ms)`,
    );
    const { issueSetupToken } = await import('../server/modules/setup/service.ts');
    const setupToken = await issueSetupToken(database.db);
    if (setupToken) {
      const base = process.env.BRUJULA_PUBLIC_URL?.trim() ? cfg.publicUrl : url.replace(/\/$/, '');
      say(
        `\nInstalación nueva: aún no hay ninguna cuenta de administración. Para crear la primera, abra este enlace de un solo uso:\n  ${base}/instalar?token=${setupToken}\n(o use «brujula admin create --email …» con el servidor detenido). El enlace cambia en cada inicio.\n`,
      );
    }
    // Heavy demo extras are generated after the server is up, so the first start stays fast.
    void cleanInterrupted(database).then(() =>
      cfg.demo && cfg.demoBackground ? demoExtras(cfg, database) : cfg.basemapAuto ? refreshBasemap(app, database) : undefined,
    );
  });

program
  .command('basemap')
  .description(
    'Construye el mapa base propio (PMTiles en <datos>/basemap) con límites, localidades, colonias, manzanas, vialidades y áreas verdes',
  )
  .option('-m, --municipality <ids...>', 'municipios (clave INEGI); por omisión, todos los activos')
  .option('--minzoom <z>', 'zoom mínimo', '8')
  .option('--maxzoom <z>', 'zoom máximo', '15')
  .action(async (opts: { municipality?: string[]; minzoom: string; maxzoom: string }) => {
    const cfg = config();
    const database = await open(cfg, 'basemap');
    const { buildBasemap } = await import('../server/modules/gis/basemap.ts');
    const t0 = performance.now();
    const r = await buildBasemap(database.db, {
      dataDir: cfg.dataDir,
      municipalities: opts.municipality,
      minzoom: Number(opts.minzoom),
      maxzoom: Number(opts.maxzoom),
      onProgress: (n, z) => say(`  zoom ${z}: ${n} teselas`),
    });
    say(`Mapa base listo: ${r.file} (${r.tiles} teselas, ${(r.bytes / 1e6).toFixed(1)} MB, ${Math.round(performance.now() - t0)} ms)`);
    await database.close();
  });

program
  .command('migrate')
  .description('Aplica las migraciones pendientes')
  .action(async () => {
    const cfg = config();
    const database = await openDatabase({
      databaseUrl: cfg.databaseUrl,
      dataDir: cfg.dataDir,
      log: say,
      lock: { role: 'cli', command: 'migrate' },
    });
    try {
      const r = await upgrade(cfg, database);
      say(r.applied.length ? `Migraciones aplicadas: ${r.applied.join(', ')}` : 'La base de datos ya estaba al día.');
    } finally {
      await database.close();
    }
  });

program
  .command('demo')
  .description('Carga los datos de demostración en una base de datos vacía')
  .action(async () => {
    const database = await open(config(), 'demo');
    if (!(await demo(database))) say('La base de datos ya tiene municipios; no se cargó la demostración.');
    await database.close();
  });

program
  .command('prepare-template')
  .description('Prepara la plantilla de PGlite con PostGIS y la copia de la demostración (se ejecuta al instalar)')
  .option('--no-demo', 'solo la plantilla con PostGIS, sin la copia de la demostración')
  .action(async (opts: { demo: boolean }) => {
    const t0 = performance.now();
    const dir = await prepareTemplate(say);
    say(`Plantilla PGlite lista en ${path.relative(process.cwd(), dir)} (${Math.round(performance.now() - t0)} ms)`);
    if (opts.demo) {
      const t1 = performance.now();
      const { prepareDemoTemplate } = await import('../../demo/template.ts');
      const demoDir = await prepareDemoTemplate(say);
      say(`Copia de la demostración lista en ${path.relative(process.cwd(), demoDir)} (${Math.round(performance.now() - t1)} ms)`);
    }
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
  .addOption(
    new Option(
      '--missing-name <choice>',
      'elementos sin nombre: omitirlos (skip) o usar la clave como nombre (key); sin esta opción se rechazan',
    ).choices(['skip', 'key']),
  )
  .action(
    async (
      file: string,
      o: {
        level: TerritorialLevel;
        key: string;
        name: string;
        population?: string;
        municipality?: string;
        layer?: string;
        dryRun?: boolean;
        skipInvalid?: boolean;
        missingName?: 'skip' | 'key';
      },
    ) => {
      const bytes = readInput(file);
      const database = await open(config(), 'import territory');
      const { importTerritory } = await import('../server/modules/territory/importer.ts');
      const bar = new cliProgress.SingleBar(
        { format: ' {phase} [{bar}] {value}/{total}', hideCursor: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      );
      let started = false;
      try {
        const report = await importTerritory(database.db, CLI_ACTOR, bytes, {
          level: o.level,
          keyField: o.key,
          nameField: o.name,
          populationField: o.population,
          municipalityId: o.municipality,
          layer: o.layer,
          dryRun: o.dryRun,
          onInvalid: o.skipInvalid ? 'skip' : 'fail',
          missingName: o.missingName,
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
        if (err.details && typeof err.details === 'object' && 'rejected' in err.details)
          printReport(err.details as Parameters<typeof printReport>[0]);
        throw e;
      } finally {
        await database.close();
      }
    },
  );

importCmd
  .command('indicators <file>')
  .description('Carga observaciones de variables desde CSV o XLSX (clave, cvegeo, periodo, desagregacion, valor); todo o nada')
  .requiredOption('-m, --municipality <id>', 'municipio (clave INEGI de 5 dígitos)')
  .option('--dry-run', 'valida y reporta sin guardar nada')
  .action(async (file: string, o: { municipality: string; dryRun?: boolean }) => {
    const bytes = readInput(file);
    const database = await open(config(), 'import indicators');
    const { loadObservations } = await import('../server/modules/indicators/load.ts');
    const bar = new cliProgress.SingleBar(
      { format: ' cargando [{bar}] {value}/{total}', hideCursor: true, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    try {
      const r = await loadObservations(database.db, CLI_ACTOR, o.municipality, path.basename(file), bytes, {
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
      say(
        r.committed && !r.dryRun
          ? `Carga ${r.loadId}: ${r.insertadas} nuevas, ${r.actualizadas} actualizadas.`
          : 'Simulación: no se guardó nada.',
      );
    } catch (e) {
      bar.stop();
      const err = e as Error & { details?: { errores?: { fila: number; columna: string | null; problema: string }[] } };
      for (const x of err.details?.errores?.slice(0, 50) ?? []) say(`  fila ${x.fila}${x.columna ? ` (${x.columna})` : ''}: ${x.problema}`);
      throw e;
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
  const unnamed = r.unnamed.filter((u) => u.choice !== 'reject');
  if (unnamed.length)
    say(
      `Sin nombre: ${unnamed.filter((u) => u.choice === 'skip').length} omitidos, ${unnamed.filter((u) => u.choice === 'key').length} nombrados con su clave.`,
    );
  else if (r.unnamed.length)
    say(
      `${r.unnamed.length} elementos no tienen nombre: repita con --missing-name skip (omitirlos) o --missing-name key (usar la clave como nombre).`,
    );
  if (r.dryRun && r.rejected.length && !r.committed && r.inserted + r.updated === 0) {
    say(`Simulación: la importación fallaría por ${r.rejected.length} elementos rechazados (--skip-invalid los omite). No se guardó nada.`);
  } else if (r.dryRun) say(`Simulación: se insertarían ${r.inserted} y actualizarían ${r.updated}. No se guardó nada.`);
  else if (r.committed) say(`Importación ${r.importId}: ${r.inserted} nuevas, ${r.updated} actualizadas.`);
}

program
  .command('backup <file>')
  .description('Respaldo lógico (.jsonl.gz) restaurable en PGlite o PostgreSQL')
  .action((file: string) =>
    withDatabase('backup', async (database) => {
      const { backup } = await import('../server/db/backup.ts');
      const counts = await backup(database, file);
      say(
        `Respaldo escrito en ${file}: ${Object.entries(counts)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ')}`,
      );
    }),
  );

program
  .command('restore <file>')
  .description('Restaura un respaldo sobre una instalación vacía')
  .action((file: string) => {
    readInput(file);
    return withDatabase('restore', async (database) => {
      const { restore } = await import('../server/db/backup.ts');
      const counts = await restore(database, file);
      say(
        `Restaurado: ${Object.entries(counts)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ')}`,
      );
    });
  });

// ——— A real installation, without the demo ———

/** The password: BRUJULA_ADMIN_PASSWORD, else typed twice on a terminal, else the first line of stdin. */
async function readPassword(): Promise<string> {
  const fromEnv = process.env.BRUJULA_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
    if (!line) throw new CliError('Escriba la contraseña en la entrada estándar (p. ej. con «read -s»), o en BRUJULA_ADMIN_PASSWORD.');
    return line;
  }
  const ask = async (prompt: string) => {
    const readline = await import('node:readline');
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.includes(prompt)) process.stdout.write(prompt);
    };
    const answer = await new Promise<string>((res) => rl.question(prompt, res));
    rl.close();
    process.stdout.write('\n');
    return answer;
  };
  const first = await ask('Contraseña (10 caracteres o más): ');
  if ((await ask('Repítala: ')) !== first) throw new CliError('Las contraseñas no coinciden; no se creó la cuenta.');
  return first;
}

const admin = program.command('admin').description('Cuentas de administración');
admin
  .command('create')
  .description(
    'Crea una cuenta de administración estatal ya verificada (la contraseña se lee de la entrada estándar o de BRUJULA_ADMIN_PASSWORD)',
  )
  .requiredOption('--email <email>', 'correo de la cuenta')
  .option('--name <nombre>', 'nombre de la persona')
  .action(async (o: { email: string; name?: string }) => {
    const password = await readPassword();
    await withDatabase('admin create', async (database) => {
      const { insertStateAdmin } = await import('../server/modules/accounts/service.ts');
      const { withActor } = await import('../server/db/connection.ts');
      await withActor(database.db, CLI_ACTOR, (trx) =>
        insertStateAdmin(trx, CLI_ACTOR, { email: o.email, name: o.name ?? o.email, password }),
      );
      const { issueSetupToken } = await import('../server/modules/setup/service.ts');
      await issueSetupToken(database.db); // spends a setup link printed earlier
      say(`Cuenta de administración creada: ${o.email}. Inicie sesión en la aplicación web para configurar la institución.`);
    });
  });

const municipality = program.command('municipality').description('Municipios de la instalación');
for (const [name, active] of [
  ['activate', true],
  ['deactivate', false],
] as const) {
  municipality
    .command(`${name} <cvegeo...>`)
    .description(
      active
        ? 'Activa municipios importados (clave INEGI de 5 dígitos), para que tengan páginas y datos'
        : 'Desactiva municipios (sus datos se conservan)',
    )
    .action((ids: string[]) =>
      withDatabase(`municipality ${name}`, async (database) => {
        const bad = ids.filter((id) => !/^\d{5}$/.test(id));
        if (bad.length)
          throw new CliError(`Clave de municipio no válida: ${bad.join(', ')} (use 5 dígitos: entidad y municipio, p. ej. 32056).`);
        const { withActor } = await import('../server/db/connection.ts');
        const found = await database.db.selectFrom('municipalities').select(['id', 'name']).where('id', 'in', ids).execute();
        const missing = ids.filter((id) => !found.some((m) => m.id === id));
        if (missing.length)
          throw new CliError(`No están importados: ${missing.join(', ')}. Importe primero el territorio («brujula import territory …»).`);
        await withActor(database.db, CLI_ACTOR, (trx) =>
          trx.updateTable('municipalities').set({ active }).where('id', 'in', ids).execute(),
        );
        say(`${active ? 'Activados' : 'Desactivados'}: ${found.map((m) => `${m.name} (${m.id})`).join(', ')}`);
      }),
    );
}

const department = program.command('department').description('Dependencias (unidades responsables)');
department
  .command('import <file>')
  .description('Agrega las dependencias de un XLSX o CSV (columnas nombre y siglas); todo o nada, las que ya existen se dejan')
  .requiredOption('-m, --municipality <id>', 'municipio (clave INEGI de 5 dígitos)')
  .action((file: string, o: { municipality: string }) => {
    const bytes = readInput(file);
    return withDatabase('department import', async (database) => {
      const { readTable } = await import('../server/tabular.ts');
      const { addDepartments, departmentRows } = await import('../server/modules/accounts/service.ts');
      try {
        const r = await addDepartments(database.db, CLI_ACTOR, o.municipality, departmentRows(await readTable(path.basename(file), bytes)));
        say(`Dependencias nuevas: ${r.created.length}${r.existing.length ? ` · ya existían: ${r.existing.length}` : ''}`);
        for (const d of r.created) say(`  ${d.name}${d.acronym ? ` (${d.acronym})` : ''}`);
      } catch (e) {
        for (const x of (e as { details?: { errores?: { fila: number; problema: string }[] } }).details?.errores?.slice(0, 50) ?? [])
          say(`  fila ${x.fila}: ${x.problema}`);
        throw e;
      }
    });
  });

const user = program.command('user').description('Personas usuarias');
user
  .command('invite')
  .description('Invita a una persona por correo con un rol; imprime el enlace de la invitación (también queda en la bandeja de salida)')
  .requiredOption('--email <email>', 'correo de la persona')
  .option('--name <nombre>', 'nombre')
  .addOption(new Option('--role <rol>', 'rol').choices(['admin', 'planner', 'enlace', 'council', 'citizen']).makeOptionMandatory())
  .option('-m, --municipality <id>', 'municipio del rol; sin él, en toda la instalación')
  .option('--department <nombre>', 'dependencia (por nombre o siglas), para el rol de enlace')
  .action(
    (o: {
      email: string;
      name?: string;
      role: 'admin' | 'planner' | 'enlace' | 'council' | 'citizen';
      municipality?: string;
      department?: string;
    }) =>
      withDatabase('user invite', async (database, cfg) => {
        let departmentId: number | null = null;
        if (o.department) {
          if (!o.municipality) throw new CliError('Indique el municipio de la dependencia con -m.');
          const d = await database.db
            .selectFrom('departments')
            .select('id')
            .where('municipality_id', '=', o.municipality)
            .where((eb) =>
              eb.or([
                eb(eb.fn('lower', ['name']), '=', o.department!.toLowerCase()),
                eb(eb.fn('lower', ['acronym']), '=', o.department!.toLowerCase()),
              ]),
            )
            .executeTakeFirst();
          if (!d)
            throw new CliError(
              `No existe la dependencia «${o.department}» en ${o.municipality}; agréguela con «brujula department import».`,
            );
          departmentId = d.id;
        }
        const { invite } = await import('../server/modules/accounts/service.ts');
        const r = await invite(
          {
            db: database.db,
            publicUrl: cfg.publicUrl,
            sessionTtlHours: cfg.sessionTtlHours,
            loginAccountLimit: cfg.loginAccountLimit,
            log: () => {},
          },
          null,
          CLI_ACTOR,
          {
            email: o.email,
            name: o.name,
            role: o.role,
            municipalityId: o.municipality ?? null,
            departmentId,
          },
        );
        say(
          r.link
            ? `Invitación creada para ${o.email}. Enlace (vigente 7 días):\n  ${r.link}`
            : `${o.email} ya tenía cuenta: se le otorgó el rol.`,
        );
      }),
  );

program
  .command('institution')
  .description('Nombre, entidad y colores de la institución que opera Brújula (se muestran en el encabezado, los PDF y los widgets)')
  .option('--name <nombre>', 'p. ej. «Instituto Municipal de Planeación de Zacatecas»')
  .option('--state <cve_ent>', 'entidad federativa (clave INEGI de 2 dígitos)')
  .option('--color <hex>', 'color principal, p. ej. #0b5d4b')
  .option('--accent <hex>', 'color de acento')
  .action((o: { name?: string; state?: string; color?: string; accent?: string }) =>
    withDatabase('institution', async (database) => {
      const { getInstallation, updateInstallation } = await import('../server/modules/setup/service.ts');
      for (const c of [o.color, o.accent])
        if (c && !/^#[0-9a-fA-F]{6}$/.test(c)) throw new CliError(`Color no válido: ${c} (use #rrggbb).`);
      if (o.name || o.state || o.color || o.accent)
        await updateInstallation(database.db, CLI_ACTOR, {
          institutionName: o.name,
          cveEnt: o.state,
          primaryColor: o.color,
          accentColor: o.accent,
        });
      const i = await getInstallation(database.db);
      say(
        `Institución: ${i.institution_name ?? '(sin nombre)'} · entidad: ${i.state_name ?? '—'} · colores: ${i.primary_color} ${i.accent_color}`,
      );
    }),
  );

/** Reads a file the user named, or stops with one line saying why not. */
function readInput(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `No existe el archivo ${file}.`
        : code === 'EISDIR'
          ? `${file} es una carpeta, no un archivo.`
          : `No se pudo leer ${file} (${code}).`,
    );
  }
}

/** Commander speaks English; its few messages to a user are said in Spanish. */
function spanishCommanderError(str: string): string {
  const rules: [RegExp, string][] = [
    [/^error: required option '(.+)' not specified/, 'Error: falta la opción obligatoria $1.'],
    [/^error: missing required argument '(.+)'/, 'Error: falta el argumento obligatorio «$1».'],
    [/^error: unknown option '(.+?)'.*/s, 'Error: opción desconocida $1. Vea «brujula help».'],
    [/^error: unknown command '(.+?)'.*/s, 'Error: comando desconocido «$1». Vea «brujula help».'],
    [/^error: option '(.+)' argument '(.+)' is invalid\. Allowed choices are (.+)\./, 'Error: «$2» no es válido para $1; use uno de: $3.'],
    [/^error: too many arguments.*/s, 'Error: sobran argumentos. Vea «brujula help».'],
  ];
  for (const [re, es] of rules) if (re.test(str)) return `${str.trim().replace(re, es)}\n`;
  return str;
}

/** One Spanish line per error, with what to do; the stack only with --debug. */
function report(e: unknown): number {
  const debug = process.argv.includes('--debug');
  const err = e as Error & { code?: string; exitCode?: number };
  const { DataDirLockedError } = lockModule;
  let line: string;
  let code = 1;
  if (e instanceof CliError) {
    line = e.message;
    code = e.exitCode;
  } else if (e instanceof DataDirLockedError) {
    line = e.message;
    code = 3;
  } else if (e instanceof ConfigError) {
    line = `Error de configuración: ${e.message}`;
    code = 2;
  } else if (err?.name === 'AppError' || (err && typeof err.code === 'string' && err.code.startsWith('BRJ_ERR_'))) {
    line = err.message;
  } else if (err?.code === 'ECONNREFUSED' || err?.code === 'ENOTFOUND' || err?.code === '28P01' || err?.code === '3D000') {
    line = `No se pudo conectar a PostgreSQL (DATABASE_URL): ${err.message}. Revise que el servidor esté en marcha y la dirección.`;
  } else {
    line = `Error inesperado: ${err?.message ?? String(e)}. Repita con --debug para ver el detalle.`;
  }
  process.stderr.write(`${line}\n`);
  if (debug && err?.stack) process.stderr.write(`${err.stack}\n`);
  return code;
}

program.parseAsync().catch((e) => {
  process.exitCode = report(e);
});
