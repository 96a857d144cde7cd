import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, hasWebBuild, withServerAndBrowser, loginAs } from './harness.ts';

describe.skipIf(!hasChromium || !hasWebBuild)('a planner authors an indicator in the browser', () => {
  const env = withServerAndBrowser({ beforeAll, afterAll });

  it('creates variables and an indicator with a formula, uploads an XLSX, and the public page shows it', async () => {
    const agebs = (await (await fetch(`${env.server.url}/api/v1/municipalities/32056/units?level=ageb&limit=3`)).json()).items.map(
      (u: { cvegeo: string }) => u.cvegeo,
    );
    const page = await env.browser.newPage();
    await loginAs(page, env.server, 'planeacion@demo.brujula.mx');

    await page.goto(`${env.server.url}/m/32056/indicadores/gestion`);
    for (const [clave, nombre] of [
      ['E2E_NUM', 'Personas atendidas'],
      ['E2E_DEN', 'Personas que solicitaron atención'],
    ]) {
      const form = page.getByRole('form', { name: 'Nueva variable' });
      await form.getByLabel('Clave').fill(clave);
      await form.getByLabel('Nombre').fill(nombre);
      await form.getByRole('button', { name: 'Agregar variable' }).click();
      await page.locator('table code', { hasText: clave }).waitFor();
    }
    await page.getByRole('link', { name: 'Nuevo indicador' }).click();
    await page.getByLabel('Clave', { exact: true }).fill('E2E-01');
    await page.getByLabel('Nombre', { exact: true }).fill('Cobertura de atención ciudadana');
    await page.getByLabel('Tema').selectOption('gobierno');
    await page.getByLabel('Fórmula').fill('E2E_NUM / E2E_DEN * 100');
    await page.getByLabel('Unidad de medida').fill('%');
    await page.getByRole('checkbox', { name: 'AGEB' }).check();
    await page.getByLabel('Meta', { exact: true }).fill('2024=80');
    await page.getByLabel('Estado').selectOption('publicado');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cobertura de atención ciudadana' }).waitFor();

    // The data, as a planner would prepare it in a spreadsheet.
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('datos');
    ws.addRow(['clave', 'cvegeo', 'periodo', 'desagregacion', 'valor']);
    const uploaded: [string, string, string, number][] = [
      ['E2E_NUM', '32056', '2023', 700],
      ['E2E_DEN', '32056', '2023', 1000],
      ['E2E_NUM', '32056', '2024', 850],
      ['E2E_DEN', '32056', '2024', 1000],
      ['E2E_NUM', agebs[0], '2024', 90],
      ['E2E_DEN', agebs[0], '2024', 100],
      ['E2E_NUM', agebs[1], '2024', 60],
      ['E2E_DEN', agebs[1], '2024', 120],
      ['E2E_NUM', agebs[2], '2024', 30],
      ['E2E_DEN', agebs[2], '2024', 40],
    ];
    for (const [clave, cvegeo, periodo, valor] of uploaded) ws.addRow([clave, cvegeo, periodo, 'total', valor]);
    ws.addRow(['E2E_NUM', '32056', '2024', 'sexo:mujer', 450]);
    ws.addRow(['E2E_DEN', '32056', '2024', 'sexo:mujer', 500]);
    const file = path.join(os.tmpdir(), `brj-e2e-${Date.now()}.xlsx`);
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));

    await page.goto(`${env.server.url}/m/32056/indicadores/gestion`);
    await page.getByLabel('Archivo').setInputFiles(file);
    await page.getByRole('button', { name: 'Validar (simulación)' }).click();
    await expect(page.getByTestId('load-report').textContent()).resolves.toMatch(/12 filas revisadas: 12 válidas, 0 con errores/);
    await page.getByRole('button', { name: 'Cargar', exact: true }).click();
    await page.getByTestId('load-report').filter({ hasText: 'Carga completa' }).waitFor();
    fs.rmSync(file);

    // The public, anonymous page.
    const pub = await env.browser.newPage();
    await pub.goto(`${env.server.url}/m/32056/indicadores/E2E-01`);
    await pub.locator('[data-testid="series-chart"] svg').first().waitFor();
    await pub.locator('[data-testid="choropleth"] [data-loaded="true"]').waitFor();
    await expect(pub.getByTestId('latest-value').textContent()).resolves.toBe('85.00');
    await expect(pub.getByTestId('semaforo').first().textContent()).resolves.toMatch(/Verde/);

    // Disaggregations found in the data can be drawn as their own lines.
    await pub.getByRole('checkbox', { name: 'sexo: mujer' }).check();
    await pub.locator('[data-testid="series-chart"]', { hasText: 'sexo: mujer' }).waitFor();

    const csvFor = async (nivel: string) => {
      const href = (await pub.getByTestId('download-csv').getAttribute('href'))!.replace(/nivel=\w+/, `nivel=${nivel}`);
      const text = await (await fetch(new URL(href, env.server.url))).text();
      return text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(','));
    };
    const value = (num: number, den: number) => (num / den) * 100;
    expect((await csvFor('municipio')).map((c) => [c[1], c[3], c[4], Number(c[5])])).toEqual([
      ['32056', '2023', 'total', value(700, 1000)],
      ['32056', '2024', 'sexo:mujer', value(450, 500)],
      ['32056', '2024', 'total', value(850, 1000)],
    ]);
    const agebRows = (await csvFor('ageb')).map((c) => [c[1], Number(Number(c[5]).toFixed(6))]);
    expect(agebRows).toEqual([
      [agebs[0], value(90, 100)],
      [agebs[1], Number(value(60, 120).toFixed(6))],
      [agebs[2], value(30, 40)],
    ]);
  });
});
