import path from 'node:path';

/** Runtime configuration, read from the environment once at boot and frozen. */
export interface Config {
  /** PostgreSQL URL; when absent Brújula runs on embedded PGlite. */
  databaseUrl: string | null;
  dataDir: string;
  host: string;
  port: number;
  /** Public base URL used in e-mails and links, e.g. https://brujula.zacatecas.gob.mx */
  publicUrl: string;
  /** Secret used to sign cookies and CSRF tokens. */
  secret: string;
  secureCookies: boolean;
  sessionTtlHours: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** 'pretty' (readable lines, the default on a terminal) or 'json' (one object a line, for log collectors). */
  logFormat: 'pretty' | 'json';
  /** One line per HTTP request; off by default at info. */
  logRequests: boolean;
  /** Load the demonstration dataset on first start of an empty database. */
  demo: boolean;
  uploadMaxMb: number;
  /** Size limit of one evidence file (photo or PDF) of a progress report. */
  evidenceMaxMb: number;
  /** OCDS ocid prefix registered for this publisher (https://standard.open-contracting.org/latest/en/guidance/build/#register-an-ocid-prefix). */
  ocidPrefix: string;
  /** Limit of comments, reports and other public writes per person per minute. */
  publicWriteRateLimit: number;
  /** Basemap: an XYZ raster template or a MapLibre style URL; empty = plain background. */
  basemapUrl: string;
  /** Proof-of-work cost per attempt (PBKDF2 iterations) asked before public writes; 0 disables it. */
  powCost: number;
  /** URL that receives verification SMS as JSON {to, body}; empty = they wait in the SMS outbox. */
  smsWebhookUrl: string;
  /** After start, generate the heavy demo extras that are missing (200k emergency calls, the PMTiles basemap) in the background. */
  demoBackground: boolean;
  /** Inflated size allowed for an uploaded archive (zip, KMZ, XLSX), in MB (BRUJULA_UPLOAD_MAX_INFLATED_MB). */
  uploadMaxInflatedMb: number;
  /** Rows (or features) one uploaded file may hold (BRUJULA_UPLOAD_MAX_ROWS). */
  uploadMaxRows: number;
  /** Rebuild the own basemap in the background when the territory changes (BRUJULA_BASEMAP_AUTO). */
  basemapAuto: boolean;
  loginRateLimit: number;
  /** Requests served at once; more get 503 with Retry-After (BRUJULA_MAX_INFLIGHT). */
  maxInFlight: number;
  /** Event-loop delay past which requests get 503 (0 = off; BRUJULA_MAX_EVENT_LOOP_DELAY_MS). */
  maxEventLoopDelayMs: number;
  /** When set, /metrics answers only with `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** Failed sign-ins allowed per e-mail in 15 minutes, from any IP. */
  loginAccountLimit: number;
  /** Trust X-Forwarded-* headers (behind a reverse proxy). */
  trustProxy: boolean;
  /** PostgreSQL connections per process. */
  dbPoolSize: number;
  /** smtp:// or smtps:// URL; empty = mail stays in the outbox (and the log). */
  smtpUrl: string;
  mailFrom: string;
}

export class ConfigError extends Error {}

function ocidPrefix(raw: string | undefined): string {
  const v = raw?.trim() || 'ocds-brj001';
  if (!/^ocds-[a-z0-9]{6}$/.test(v))
    throw new ConfigError(`BRUJULA_OCID_PREFIX debe tener la forma ocds-xxxxxx (6 letras minúsculas o dígitos); se recibió "${v}".`);
  return v;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} debe ser un entero entre ${min} y ${max} (recibido: "${raw}")`);
  }
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'yes', 'si', 'sí'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} debe ser true o false (recibido: "${raw}")`);
}

function smtpUrl(raw: string | undefined): string {
  const v = raw?.trim() ?? '';
  if (v && !/^smtps?:\/\/[^/]+/.test(v))
    throw new ConfigError('BRUJULA_SMTP_URL debe ser smtp://usuario:clave@servidor:puerto o smtps://…');
  return v;
}

function httpUrl(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name]?.trim() ?? '';
  if (v && !/^https?:\/\/[^/]+/.test(v)) throw new ConfigError(`${name} debe ser una URL http:// o https://`);
  return v;
}

/** Reads and validates configuration; throws ConfigError with a one-line Spanish message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  const poolSize = int(env, 'BRUJULA_DB_POOL', 10, 1, 500);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL debe empezar con postgres:// o postgresql://');
  }
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';
  // BRUJULA_LOG_LEVEL, or the older LOG_LEVEL.
  const levelVar = env.BRUJULA_LOG_LEVEL?.trim() ? 'BRUJULA_LOG_LEVEL' : 'LOG_LEVEL';
  const logLevel = (env[levelVar]?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`${levelVar} debe ser uno de: ${LOG_LEVELS.join(', ')}`);
  }
  const logFormat = (env.BRUJULA_LOG_FORMAT?.trim() || (process.stdout.isTTY ? 'pretty' : 'json')) as Config['logFormat'];
  if (logFormat !== 'pretty' && logFormat !== 'json') throw new ConfigError('BRUJULA_LOG_FORMAT debe ser pretty o json');
  const production = env.NODE_ENV === 'production';
  let secret = env.BRUJULA_SECRET?.trim() || '';
  if (!secret) {
    if (production) throw new ConfigError('BRUJULA_SECRET es obligatorio cuando NODE_ENV=production');
    secret = 'brujula-development-secret-change-me-0123456789';
  }
  if (secret.length < 32) throw new ConfigError('BRUJULA_SECRET debe tener al menos 32 caracteres');
  const publicUrl = (env.BRUJULA_PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`BRUJULA_PUBLIC_URL no es una URL válida: "${publicUrl}"`);
  }
  return Object.freeze({
    databaseUrl,
    dataDir: path.resolve(env.BRUJULA_DATA_DIR?.trim() || './data'),
    host,
    port,
    publicUrl,
    secret,
    secureCookies: bool(env, 'BRUJULA_SECURE_COOKIES', publicUrl.startsWith('https://')),
    sessionTtlHours: int(env, 'BRUJULA_SESSION_TTL_HOURS', 12, 1, 24 * 90),
    logLevel,
    logFormat,
    logRequests: bool(env, 'BRUJULA_LOG_REQUESTS', logLevel === 'debug' || logLevel === 'trace'),
    demo: bool(env, 'BRUJULA_DEMO', !databaseUrl),
    uploadMaxMb: int(env, 'BRUJULA_UPLOAD_MAX_MB', 100, 1, 4096),
    uploadMaxInflatedMb: int(env, 'BRUJULA_UPLOAD_MAX_INFLATED_MB', 1024, 1, 65536),
    uploadMaxRows: int(env, 'BRUJULA_UPLOAD_MAX_ROWS', 1_000_000, 1, 100_000_000),
    evidenceMaxMb: int(env, 'BRUJULA_EVIDENCE_MAX_MB', 10, 1, 1024),
    ocidPrefix: ocidPrefix(env.BRUJULA_OCID_PREFIX),
    publicWriteRateLimit: int(env, 'BRUJULA_PUBLIC_WRITE_RATE_LIMIT', 20, 1, 10000),
    basemapUrl: env.BRUJULA_BASEMAP_URL?.trim() || '',
    powCost: int(env, 'BRUJULA_POW_COST', 1000, 0, 1000000),
    smsWebhookUrl: httpUrl(env, 'BRUJULA_SMS_WEBHOOK_URL'),
    demoBackground: bool(env, 'BRUJULA_DEMO_BACKGROUND', true),
    basemapAuto: bool(env, 'BRUJULA_BASEMAP_AUTO', true),
    loginRateLimit: int(env, 'BRUJULA_LOGIN_RATE_LIMIT', 10, 1, 10000),
    loginAccountLimit: int(env, 'BRUJULA_LOGIN_ACCOUNT_LIMIT', 10, 1, 10000),
    metricsToken: env.BRUJULA_METRICS_TOKEN?.trim() || null,
    // PGlite answers one query at a time; PostgreSQL as many as the pool has connections.
    maxInFlight: int(env, 'BRUJULA_MAX_INFLIGHT', databaseUrl ? 8 * poolSize : 48, 1, 100000),
    maxEventLoopDelayMs: int(env, 'BRUJULA_MAX_EVENT_LOOP_DELAY_MS', 1000, 0, 60000),
    trustProxy: bool(env, 'BRUJULA_TRUST_PROXY', false),
    dbPoolSize: poolSize,
    smtpUrl: smtpUrl(env.BRUJULA_SMTP_URL),
    mailFrom: env.BRUJULA_MAIL_FROM?.trim() || 'Brújula <no-responder@localhost>',
  });
}
