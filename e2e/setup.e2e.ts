import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, hasWebBuild, launchBrowser, startServer, type Server } from './harness.ts';

const DATA = path.resolve(import.meta.dirname, '../../shared/data/inegi-32');
const hasData = fs.existsSync(DATA);
if (!hasData) console.warn('e2e/setup.e2e.ts: ../shared/data no existe; se omite la prueba con archivos de INEGI.');
const PASSWORD = 'Clave-segura-2026';
// BRJ_SCREENSHOTS=<folder> keeps a picture of each step, to look at the flow as a person would.
const shots = process.env.BRJ_SCREENSHOTS;
const shot = async (page: Page, name: string) => {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
};

describe.skipIf(!hasChromium || !hasWebBuild || !hasData)('a real IMPLAN installs Brújula without the demo', () => {
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer({ BRUJULA_DEMO: 'false' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('goes from the printed setup link to a planner publishing an indicator that a visitor reads', async () => {
    const t0 = Date.now();
    while (!/instalar\?token=/.test(server.output()) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 100));
    const link = /(http:\/\/\S+\/instalar\?token=[A-Za-z0-9_-]+)/.exec(server.output())![1];

    // A visitor before setup is told what is missing.
    const visitor = await browser.newPage();
    await visitor.goto(server.url);
    await visitor.getByText('Esta instalación aún no tiene administración').waitFor();

    const page = await browser.newPage();
    await page.goto(link);
    await page.getByLabel('Nombre completo').fill('Mariana López');
    await page.getByLabel('Correo electrónico').fill('direccion@implan-zac.gob.mx');
    await page.getByLabel('Contraseña (10 caracteres o más, difícil de adivinar)').fill(PASSWORD);
    await page.getByLabel('Repita la contraseña').fill(PASSWORD);
    await shot(page, '01-first-admin');
    await page.getByRole('button', { name: 'Crear cuenta de administración' }).click();
    await page.getByRole('heading', { level: 1, name: 'Configuración inicial' }).waitFor();
    // The link is spent.
    const again = await browser.newPage();
    await again.goto(link);
    await again.getByText('Esta instalación ya tiene una cuenta de administración').waitFor();

    // 1. Institution.
    await page.getByLabel('Nombre de la institución').fill('Instituto Municipal de Planeación de Zacatecas');
    await page.getByLabel('Entidad federativa').selectOption('32');
    await shot(page, '02-institution');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByText('Datos de la institución guardados.').waitFor();
    await page.locator('.topbar .brand', { hasText: 'Instituto Municipal de Planeación de Zacatecas' }).waitFor();
    // Saving keeps the step and its confirmation on screen; the admin moves on when ready.
    if (!(await page.getByText('Datos de la institución guardados.').isVisible())) throw new Error('the wizard left the saved step');

    // 2. Territory: municipalities, then localities, each checked before it is imported.
    await page.getByRole('button', { name: /Territorio/ }).click();
    await page.getByText('Aún no hay territorio').waitFor();
    const importFile = async (level: string, file: string, features: string) => {
      await page.getByLabel('Nivel').selectOption(level);
      await page.getByLabel('Archivo').setInputFiles(path.join(DATA, file));
      await page.getByRole('button', { name: 'Revisar sin guardar' }).click();
      await page
        .getByTestId('import-report')
        .filter({ hasText: `${features} elementos` })
        .waitFor({ timeout: 60_000 });
      await shot(page, `03-territory-${level}`);
      await page.getByRole('button', { name: /^Importar .* elementos$/ }).click();
      await page.getByText(/Importados: .* nuevos/).waitFor({ timeout: 60_000 });
    };
    await importFile('municipio', '32mun_epsg6372.zip', '58');
    await page.getByTestId('territory-counts').filter({ hasText: '58 municipios' }).waitFor();
    await importFile('localidad', '32loc.gpkg', '1,323');
    await page.getByTestId('territory-counts').filter({ hasText: '1,323 localidades' }).waitFor();

    // 3. Active municipalities.
    await page.getByRole('button', { name: /Municipios activos/ }).click();
    await page.getByRole('checkbox', { name: 'Activo: Zacatecas' }).check();
    await page.getByRole('checkbox', { name: 'Activo: Guadalupe' }).check();
    await shot(page, '04-municipalities');
    await page.getByRole('button', { name: 'Guardar cambios' }).click();
    await page.getByText('Municipios actualizados.').waitFor();

    // 4. Departments, as a list.
    await page.getByRole('button', { name: /Dependencias/ }).click();
    await page.getByRole('main').getByLabel('Municipio').selectOption('32056');
    await page.getByLabel(/Escriba una por línea/).fill('Secretaría de Obras Públicas, SOP\nDirección de Desarrollo Social, DS');
    await page.getByRole('button', { name: 'Agregar lista' }).click();
    await page.getByText('2 nuevas; 0 ya existían.').waitFor();
    await page.getByTestId('departments').filter({ hasText: 'Dirección de Desarrollo Social' }).waitFor();

    // 5. Staff: invite a planner of Zacatecas.
    await page.getByRole('button', { name: /Personal/ }).click();
    await page.getByLabel('Correo').fill('planeacion@implan-zac.gob.mx');
    await page.getByLabel('Nombre', { exact: true }).fill('Jorge Planeación');
    await page.getByLabel('Rol').selectOption('planner');
    await page.getByRole('main').getByLabel('Municipio').selectOption('32056');
    await page.getByRole('button', { name: 'Enviar invitación' }).click();
    await page.getByText('Invitación enviada a planeacion@implan-zac.gob.mx.').waitFor();
    await page.getByTestId('staff').filter({ hasText: 'Invitación pendiente' }).waitFor();
    await shot(page, '05-staff');

    // Without a mail server the admin reads the invitation in the outbox and passes the link on.
    await page.goto(`${server.url}/admin/correo`);
    const mail = await page.getByTestId('mail').filter({ hasText: 'planeacion@implan-zac.gob.mx' }).textContent();
    const invitation = /(http:\/\/\S+\/invitacion\?token=[A-Za-z0-9_-]+)/.exec(mail!)![1];

    const planner = await (await browser.newContext()).newPage();
    await planner.goto(invitation);
    await planner.getByText('Planeación (IMPLAN) · Zacatecas').waitFor();
    await planner.getByLabel('Contraseña (10 caracteres o más, difícil de adivinar)').fill(PASSWORD);
    await planner.getByLabel('Repita la contraseña').fill(PASSWORD);
    await planner.getByRole('button', { name: 'Aceptar y entrar' }).click();
    await planner.getByTestId('current-user').filter({ hasText: 'Jorge Planeación' }).waitFor();

    // The planner defines a variable and publishes an indicator.
    await planner.goto(`${server.url}/m/32056/indicadores/gestion`);
    const form = planner.getByRole('form', { name: 'Nueva variable' });
    await form.getByLabel('Clave').fill('POB_TOT');
    await form.getByLabel('Nombre').fill('Población total');
    await form.getByRole('button', { name: 'Agregar variable' }).click();
    await planner.locator('table code', { hasText: 'POB_TOT' }).waitFor();
    await planner.getByRole('link', { name: 'Nuevo indicador' }).click();
    await planner.getByLabel('Clave', { exact: true }).fill('DEM-01');
    await planner.getByLabel('Nombre', { exact: true }).fill('Población total del municipio');
    await planner.getByLabel('Tema').selectOption('desarrollo-humano');
    await planner.getByLabel('Fórmula').fill('POB_TOT');
    await planner.getByLabel('Unidad de medida').fill('personas');
    await planner.getByLabel('Estado').selectOption('publicado');
    await planner.getByRole('button', { name: 'Guardar' }).click();
    await planner.getByRole('heading', { level: 1, name: 'Población total del municipio' }).waitFor();

    // An anonymous visitor finds it on the municipality's public pages.
    await visitor.goto(`${server.url}/m/32056/indicadores`);
    await visitor.getByRole('link', { name: /Población total del municipio/ }).click();
    await visitor.getByRole('heading', { level: 1, name: 'Población total del municipio' }).waitFor();
    await visitor.goto(`${server.url}/m/32056`);
    await visitor.getByTestId('stat-population').filter({ hasText: '149,607' }).waitFor();
    await shot(visitor, '06-public-home');
    for (const p of [page, planner, visitor, again]) await p.close();
  });
});
