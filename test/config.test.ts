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
  it('turns demo data off by default on PostgreSQL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).demo).toBe(false);
  });
});
