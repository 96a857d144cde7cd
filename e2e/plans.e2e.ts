import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, hasWebBuild, loginAs, withServerAndBrowser, type Server } from './harness.ts';

describe.skipIf(!hasChromium || !hasWebBuild)('plans and public works in a real browser', () => {
  const env = withServerAndBrowser({ beforeAll, afterAll });
  let server: Server;
  let browser: Browser;
  beforeAll(() => {
    server = env.server();
    browser = env.browser();
  });

  it('follows the golden thread: a work → its plan line → the line\'s indicator → back to the works aligned to the line', async () => {
    const page = await browser.newPage();
    // The public list of public works of the POA.
    await page.goto(`${server.url}/m/32056/poa?tipo=obra`);
    const row = page.getByTestId('actions').getByRole('link', { name: 'Ampliación de red de agua potable en col. Lomas de la Soledad' });
    await row.click();
    await expect(page.getByTestId('action-title').textContent()).resolves.toBe('Ampliación de red de agua potable en col. Lomas de la Soledad');
    // Its money by source, its progress photos and its place on the map.
    await expect(page.getByTestId('budget').textContent()).resolves.toMatch(/FISM‑DF[\s\S]*\$4,800,000\.00/);
    await expect(page.getByTestId('reports').getByRole('img').count()).resolves.toBeGreaterThan(0);
    await page.locator('[data-testid="works-map"][data-loaded="true"]').waitFor();
    // The metas it should move, with their indicator.
    await expect(page.getByTestId('action-metas').textContent()).resolves.toMatch(/OT-01/);

    // → the plan line it serves.
    await page.getByTestId('plan-lines').getByRole('link', { name: /2\.1\.1\.1: Ampliar las redes de agua potable/ }).click();
    await expect(page.getByTestId('element-title').textContent()).resolves.toBe('Ampliar las redes de agua potable en colonias periféricas');
    await expect(page.getByTestId('rollup-rule').textContent()).resolves.toMatch(/presupuesto modificado/);

    // → that line's indicator (the meta of its objective).
    await page.getByTestId('inherited-metas').getByRole('link', { name: /OT-01/ }).click();
    await page.waitForURL(/\/m\/32056\/indicadores\/OT-01$/);
    await page.getByRole('heading', { level: 1, name: /Viviendas con servicios básicos/ }).waitFor();

    // ← back to the works aligned to the line, which include the one we started from.
    await page.goBack();
    const aligned = page.getByTestId('aligned-actions');
    await aligned.waitFor();
    await expect(aligned.getByRole('link', { name: 'Ampliación de red de agua potable en col. Lomas de la Soledad' }).count()).resolves.toBe(1);
    await expect(aligned.getByRole('link').count()).resolves.toBeGreaterThan(1);
    await page.close();
  });

  it('lets a citizen comment on a plan in public consultation, and the comment shows on the element', async () => {
    const page = await browser.newPage();
    await loginAs(page, server, 'ciudadana@demo.brujula.mx');
    await page.goto(`${server.url}/m/32056/planes`);
    await page.getByRole('link', { name: 'Programa Municipal de Ordenamiento Territorial de Zacatecas' }).click();
    await page.getByTestId('consulta-banner').waitFor();
    await page.getByTestId('plan-tree').getByRole('link', { name: /F3\.1\.2 Someter el proyecto a consulta pública/ }).click();
    const texto = `Pido que la consulta incluya mesas en las colonias del norte (${Date.now()}).`;
    await page.getByLabel('Su comentario').fill(texto);
    await page.getByRole('button', { name: 'Enviar comentario' }).click();
    await page.getByText('Gracias, su comentario se publicó.').waitFor();
    await page.getByTestId('comments').getByText(texto).waitFor();

    // Anyone sees it, without an account.
    const anon = await browser.newPage();
    await anon.goto(page.url());
    await anon.getByTestId('comments').getByText(texto).waitFor();
    await anon.close();
    await page.close();
  });
});
