import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, hasWebBuild, withServerAndBrowser, loginAs } from './harness.ts';

if (!hasChromium) console.warn('Pruebas de navegador omitidas: no hay Chromium en /usr/bin/chromium (instale el paquete "chromium").');
if (!hasWebBuild) console.warn('Pruebas de navegador omitidas: falta dist/web (ejecute "npm run build").');

describe.skipIf(!hasChromium || !hasWebBuild)('in a real browser', () => {
  const env = withServerAndBrowser({ beforeAll, afterAll });

  const login = (page: Page, email: string, password: string) => loginAs(page, env.server, email, password);

  it('shows the demo municipality with its territory on the map, labelled as demonstration data', async () => {
    expect(env.server.output()).toMatch(/admin@demo\.brujula\.mx/);
    const page = await env.browser.newPage();
    await page.goto(env.server.url);
    await page.waitForURL(/\/m\/32056$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Zacatecas');
    await expect(page.getByTestId('demo-banner').textContent()).resolves.toMatch(/Datos de demostración/);
    await expect(page.getByTestId('stat-population').textContent()).resolves.toBe('149,607');
    await page.locator('[data-testid="territory-map"][data-loaded="true"]').waitFor();
    // English switch.
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { name: 'Territory' }).waitFor();
    await page.getByLabel('Language').selectOption('es-MX');
    await page.close();
  });

  it('registers a citizen, verifies the e-mail from the outbox, and an admin grants a role seen in the audit log', async () => {
    const email = `vecina${Date.now()}@example.mx`;
    const citizen = await env.browser.newPage();
    await citizen.goto(`${env.server.url}/registro`);
    await citizen.getByLabel('Nombre completo').fill('Rosa Vecina Pérez');
    await citizen.getByLabel('Correo electrónico').fill(email);
    await citizen.getByLabel('Contraseña').fill('mi-clave-segura-2026');
    await citizen.getByLabel('Municipio donde vive').selectOption('32017');
    await citizen.getByRole('button', { name: 'Crear cuenta' }).click();
    await citizen.getByText('le enviamos un enlace para confirmar su cuenta').waitFor();

    // The admin reads the verification mail in the outbox (no mail server in embedded mode).
    const admin = await env.browser.newPage();
    await login(admin, 'admin@demo.brujula.mx', 'Brujula-Demo-2026');
    await admin.goto(`${env.server.url}/admin/correo`);
    const mail = admin.getByTestId('mail').filter({ hasText: email }).first();
    await mail.waitFor();
    const link = /http:\/\/\S+\/verificar\?token=[\w-]+/.exec((await mail.textContent())!)![0];

    await citizen.goto(link);
    await expect(citizen.getByTestId('verify-result').textContent()).resolves.toMatch(/Correo confirmado/);
    await login(citizen, email, 'mi-clave-segura-2026');
    await expect(citizen.getByTestId('current-user').textContent()).resolves.toBe('Rosa Vecina Pérez');

    await admin.goto(`${env.server.url}/admin/usuarios`);
    await admin.getByLabel('Buscar por nombre o correo').fill('Rosa Vecina');
    const row = admin.getByTestId(`user-${email}`);
    await row.waitFor();
    await row.getByRole('button', { name: 'Otorgar rol' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('Rol').selectOption('council');
    await dialog.getByLabel('Ámbito').selectOption('32017');
    await dialog.getByRole('button', { name: 'Guardar' }).click();
    await row
      .getByText('Consejo Ciudadano')
      .waitFor()
      .catch(async (e) => {
        await admin.screenshot({ path: '/tmp/brj-e2e-grant-failure.png' });
        throw e;
      });

    await admin.goto(`${env.server.url}/admin/auditoria`);
    const table = admin.getByTestId('audit-table');
    const entry = table.locator('tr', { hasText: 'role_grants' }).filter({ hasText: '"council"' }).first();
    await entry.waitFor();
    await expect(entry.textContent()).resolves.toMatch(/Administración Estatal \(demo\)/);
    await expect(entry.textContent()).resolves.toMatch(/32017/);
  });
});
