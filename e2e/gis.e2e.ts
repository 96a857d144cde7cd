import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, hasWebBuild, loginAs, withServerAndBrowser } from './harness.ts';

describe.skipIf(!hasChromium || !hasWebBuild)('SIG catalogue in a real browser', () => {
  const env = withServerAndBrowser({ beforeAll, afterAll });

  it('lets a planner create a layer, upload a CSV with a progress bar and see it on the map; the public finds it in the catalogue', async () => {
    const page = await env.browser.newPage();
    await loginAs(page, env.server, 'planeacion@demo.brujula.mx');
    await page.goto(`${env.server.url}/m/32056/sig`);
    await page.getByText('Nueva capa').click();
    await page.getByLabel('Título').fill('Escuelas primarias (prueba)');
    await page.locator('select[name=tema]').selectOption('educacion');
    await page.getByLabel('Fuente').fill('SEP, Formato 911');
    await page.getByRole('checkbox', { name: 'Pública' }).check();
    await page.getByRole('button', { name: 'Crear capa' }).click();
    const form = page.getByTestId('upload-form');
    await form.waitFor();
    const csv = ['clave,nombre,alumnos,latitud,longitud', ...Array.from({ length: 40 }, (_, i) => `32EPR${String(i).padStart(4, '0')},Primaria ${i + 1},${120 + i},${(22.76 + (i % 8) * 0.002).toFixed(4)},${(-102.59 + Math.floor(i / 8) * 0.003).toFixed(4)}`)].join('\n');
    await form.locator('input[type=file]').setInputFiles({ name: 'escuelas.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await form.getByRole('button', { name: 'Cargar' }).click();
    await expect(form.getByTestId('upload-report').textContent()).resolves.toMatch(/Se cargaron 40 elementos \(csv\)/);

    // The planner describes an attribute on the layer page.
    await page.goto(`${env.server.url}/m/32056/sig`);
    await page.getByTestId('layers').getByRole('link', { name: 'Escuelas primarias (prueba)' }).click();
    await page.getByLabel('Descripción de alumnos').fill('Matrícula del ciclo 2026–2027');
    await page.getByTestId('attribute-editor').locator('xpath=ancestor::form').getByRole('button', { name: 'Guardar' }).click();
    await page.getByText('Cambios guardados.').waitFor();

    // The public catalogue lists it; its page draws it from vector tiles.
    const anon = await env.browser.newPage();
    await anon.goto(`${env.server.url}/m/32056/sig?q=primarias`);
    await anon.getByTestId('layers').getByRole('link', { name: 'Escuelas primarias (prueba)' }).click();
    await anon.locator('[data-testid="layer-map"][data-loaded="true"]').waitFor({ timeout: 30_000 });
    await expect(anon.getByRole('table').textContent()).resolves.toMatch(/alumnos\s*integer\s*Matrícula del ciclo 2026–2027/);
    await anon.close();
    await page.close();
  });
});
