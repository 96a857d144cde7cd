#!/usr/bin/env node
// Bundles the CLI and server into dist/server/brujula.mjs. Running plain JS instead of TypeScript
// through tsx's loader takes ~0.7 s off every start (measured: importing the app 850 ms → 180 ms).
// bin/brujula.js uses the bundle only while it is newer than every source file.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/server/brujula.mjs',
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
