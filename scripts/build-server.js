#!/usr/bin/env node
// Bundles the CLI and server into dist/server/brujula.mjs. Running plain JS instead of TypeScript
// through tsx's loader takes ~0.7 s off every start (measured: importing the app 850 ms → 180 ms).
// bin/brujula.js uses the bundle only while it is newer than every source file.
import fs from 'node:fs';
import { build } from 'esbuild';

fs.rmSync('dist/server', { recursive: true, force: true });
await build({
  entryPoints: { brujula: 'src/cli/main.ts' },
  outdir: 'dist/server',
  outExtension: { '.js': '.mjs' },
  // The CLI's entry stays small and each command loads its chunk (the web app, the demo, importers),
  // so `serve` starts PGlite's worker before the app's modules are even parsed.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Packages that read their own files at run time (WASM, native binaries, static assets) stay outside.
  external: ['@electric-sql/*', '@node-rs/*', 'sql.js', 'pdfkit', 'sharp', 'pg-native', '@fastify/swagger-ui', 'tsx', 'esbuild'],
  banner: { js: "import { createRequire as __brjCreateRequire } from 'node:module'; const require = __brjCreateRequire(import.meta.url);" },
});
