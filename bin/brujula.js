#!/usr/bin/env node
// Runs the bundled CLI (dist/server/brujula.mjs, made by `npm run build`) when it is up to date;
// otherwise runs the TypeScript sources through tsx, so an edited source is never run stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist/server/brujula.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  if (process.env.BRUJULA_FROM_SOURCE === 'true' || !fs.existsSync(bundle)) return false;
  const built = fs.statSync(bundle).mtimeMs;
  return ['src/server', 'src/cli', 'demo'].every((d) => newestSource(path.join(root, d)) <= built);
}

if (bundleIsFresh()) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'src/cli/main.ts')).href);
}
