import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, hasWebBuild, withServerAndBrowser } from './harness.ts';

describe.skipIf(!hasChromium || !hasWebBuild)('indicators in a real browser', () => {
  const env = withServerAndBrowser({ beforeAll, afterAll });

  it('shows the catalogue by theme, an indicator with chart, map, semáforo and a CSV equal to its data', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/m/32056`);
    await page.getByRole('link', { name: 'Indicadores' }).first().click();
    await page.getByRole('heading', { name: '¿Cómo vamos?' }).waitFor();
    expect(await page.getByTestId('biggest-changes').locator('li').count()).toBe(5);
    await page.getByRole('button', { name: /^Seguridad/ }).click();
    expect(page.url()).toMatch(/tema=seguridad/);
    await page.locator('.indicator-card h3').getByRole('link', { name: 'Delitos del fuero común por cada mil habitantes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Delitos del fuero común por cada mil habitantes' }).waitFor();
    await page.locator('[data-testid="series-chart"] svg').first().waitFor();
    await page.locator('[data-testid="choropleth"] [data-loaded="true"]').waitFor();
    await expect(page.getByTestId('semaforo').first().textContent()).resolves.toMatch(/Verde|Amarillo|Rojo/);
    await expect(page.getByTestId('rank').textContent()).resolves.toMatch(/Posición \d de 5/);

    // The CSV behind the download link holds exactly the values in the page's table.
    const href = await page.getByTestId('download-csv').getAttribute('href');
    const csv = await (await fetch(new URL(href!, env.server.url))).text();
    const csvValues = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => Number(l.split(',')[5]).toFixed(2));
    const cells = await page.locator('[data-testid="values-table"] tbody tr td:nth-child(2)').allTextContents();
    expect(cells.map((c) => Number(c.replace(/,/g, '')).toFixed(2))).toEqual(csvValues);

    // The period is part of the URL: a permalink reopens the same view.
    await page.getByLabel('Periodo').selectOption('2019');
    expect(page.url()).toMatch(/periodo=2019/);
    const again = await env.browser.newPage();
    await again.goto(page.url());
    await again.locator('[data-testid="values-table"] tbody tr').first().waitFor();
    await expect(again.getByLabel('Periodo').inputValue()).resolves.toBe('2019');
  });

  it('renders the embeddable widget on its own', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/embed/m/32000/indicadores/GOB-PBR`);
    await page.getByText('Índice General de Avance en PbR-SED').waitFor();
    await expect(page.locator('.embed .figure').textContent()).resolves.toMatch(/62\.90/);
    expect(await page.locator('header.topbar').count()).toBe(0);
  });
});
