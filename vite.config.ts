import { defineConfig } from 'vite';

// The web app lives in src/web and is served by Fastify from dist/web.
export default defineConfig({
  root: 'src/web',
  base: '/',
  worker: { format: 'es' },
  build: { outDir: '../../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': 'http://localhost:3000', '/health': 'http://localhost:3000' } },
});
