import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';

describe('configuration', () => {
  it('defaults to embedded PGlite in ./data with demo data', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeNull();
    expect(c.dataDir).toMatch(/data$/);
    expect(c.demo).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });
  it('fails fast with a clear Spanish message on a bad variable', () => {
    expect(() => loadConfig({ PORT: 'ochenta' })).toThrow('PORT debe ser un entero');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow('DATABASE_URL debe empezar con postgres://');
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('BRUJULA_SECRET es obligatorio');
    expect(() => loadConfig({ BRUJULA_SECRET: 'corto' })).toThrow('al menos 32 caracteres');
    expect(() => loadConfig({ BRUJULA_DEMO: 'quizá' })).toThrow('BRUJULA_DEMO debe ser true o false');
  });
  it('logs JSON lines off a terminal, readable lines on demand, and requests only when asked or at debug', () => {
    const c = loadConfig({});
    expect([c.logLevel, c.logFormat, c.logRequests]).toEqual(['info', process.stdout.isTTY ? 'pretty' : 'json', false]);
    const debug = loadConfig({ BRUJULA_LOG_LEVEL: 'debug', LOG_LEVEL: 'error', BRUJULA_LOG_FORMAT: 'pretty' });
    expect([debug.logLevel, debug.logFormat, debug.logRequests]).toEqual(['debug', 'pretty', true]);
    expect(loadConfig({ BRUJULA_LOG_REQUESTS: 'true' }).logRequests).toBe(true);
    expect(() => loadConfig({ BRUJULA_LOG_FORMAT: 'xml' })).toThrow('BRUJULA_LOG_FORMAT debe ser pretty o json');
    expect(() => loadConfig({ BRUJULA_LOG_LEVEL: 'ruidoso' })).toThrow('BRUJULA_LOG_LEVEL debe ser uno de');
  });
  it('turns demo data off by default on PostgreSQL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).demo).toBe(false);
  });
});
