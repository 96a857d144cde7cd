import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
export const hasWebBuild = fs.existsSync(path.resolve('dist/web/index.html'));

export interface Server {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts the real CLI (`brujula serve`) on a fresh embedded data folder with demo data. */
export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brj-e2e-'));
  fs.rmSync(dataDir, { recursive: true });
  const port = 4100 + Math.floor(Math.random() * 800);
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['bin/brujula.js', 'serve'], {
    env: {
      ...process.env,
      BRUJULA_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      BRUJULA_PUBLIC_URL: `http://localhost:${port}`,
      BRUJULA_DEMO_BACKGROUND: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const started = Date.now();
  while (!out.includes('Brújula lista en')) {
    if (child.exitCode !== null) throw new Error(`El servidor terminó: ${out}`);
    if (Date.now() - started > 120_000) throw new Error(`El servidor no arrancó: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://localhost:${port}`,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-gl=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
}

/** Logs in through the real form and waits for the header to show the user. */
export async function loginAs(page: import('playwright-core').Page, server: Server, email: string, password = 'Brujula-Demo-2026') {
  await page.goto(`${server.url}/entrar`);
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Iniciar sesión' }).click();
  // Signed in, or a refusal shown: either ends the wait, and a refusal fails with its own words.
  const refusal = page.getByRole('alert');
  await page.getByTestId('current-user').or(refusal).first().waitFor({ timeout: 30_000 });
  if (await refusal.isVisible()) throw new Error(`sign-in refused for ${email}: ${await refusal.textContent()}`);
}

/**
 * Starts the real server and Chromium before a suite's tests and stops both after. The returned
 * object's `server` and `browser` exist once beforeAll has run.
 */
export function withServerAndBrowser(hooks: { beforeAll: (fn: () => Promise<void>) => void; afterAll: (fn: () => Promise<void>) => void }) {
  let server: Server;
  let browser: Browser;
  hooks.beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  hooks.afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      return server;
    },
    get browser() {
      return browser;
    },
  };
}
