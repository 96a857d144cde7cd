#!/usr/bin/env node
// The whole test suite: unit and route tests (PGlite, plus PostgreSQL when TEST_DATABASE_URL is
// set), then browser tests in Chromium when one is installed. Ends with one summary line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'brj-results-'));
const suites = [
  { name: 'unidad y rutas', args: ['vitest', 'run'] },
  { name: 'navegador (e2e)', args: ['vitest', 'run', '--config', 'e2e/vitest.config.ts'] },
];
let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;
for (const [i, s] of suites.entries()) {
  const out = path.join(tmp, `r${i}.json`);
  const r = spawnSync('npx', [...s.args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], {
    stdio: 'inherit',
    env: process.env,
  });
  if (!fs.existsSync(out)) {
    console.error(`La suite "${s.name}" no produjo resultados (código ${r.status}).`);
    broken = true;
    continue;
  }
  const j = JSON.parse(fs.readFileSync(out, 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests;
  skipped += j.numPendingTests + (j.numTodoTests ?? 0);
  // A suite file that failed to load counts as a failure even with no test inside it.
  if (j.numFailedTestSuites > 0 && j.numFailedTests === 0) failed += j.numFailedTestSuites;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || broken ? 1 : 0);
