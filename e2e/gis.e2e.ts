import fs from 'node:fs';
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
    const csv = [
      'clave,nombre,alumnos,latitud,longitud',
      ...Array.from(
        { length: 40 },
        (_, i) =>
          `32EPR${String(i).padStart(4, '0')},Primaria ${i + 1},${120 + i},${(22.76 + (i % 8) * 0.002).toFixed(4)},${(-102.59 + Math.floor(i / 8) * 0.003).toFixed(4)}`,
      ),
    ].join('\n');
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

  it('map viewer: a planner uploads a layer, styles it graduated and saves it, clicks a feature to see its attributes, and a shared address opens the same view in a fresh browser', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1300, height: 900 } });
    await loginAs(page, env.server, 'planeacion@demo.brujula.mx');
    await page.goto(`${env.server.url}/m/32056/sig`);
    await page.getByText('Nueva capa').click();
    await page.getByLabel('Título').fill('Pozos de agua (prueba visor)');
    await page.getByRole('checkbox', { name: 'Pública' }).check();
    await page.getByRole('button', { name: 'Crear capa' }).click();
    const form = page.getByTestId('upload-form');
    // 30 wells on a grid; the flow grows with the index so classes are predictable.
    const wells = Array.from({ length: 30 }, (_, i) => ({
      type: 'Feature',
      properties: { pozo: `Pozo ${i + 1}`, gasto_lps: 5 + i * 2 },
      geometry: { type: 'Point', coordinates: [-102.6 + (i % 6) * 0.004, 22.75 + Math.floor(i / 6) * 0.004] },
    }));
    await form.locator('input[type=file]').setInputFiles({
      name: 'pozos.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: wells })),
    });
    await form.getByRole('button', { name: 'Cargar' }).click();
    await expect(form.getByTestId('upload-report').textContent()).resolves.toMatch(/Se cargaron 30 elementos/);

    // From the layer page into the viewer.
    await page.goto(`${env.server.url}/m/32056/sig`);
    await page.getByTestId('layers').getByRole('link', { name: 'Pozos de agua (prueba visor)' }).click();
    await page.getByRole('link', { name: 'Abrir en el visor' }).click();
    const map = page.getByTestId('viewer-map');
    await page.locator('[data-testid=viewer-map][data-ready=true]').waitFor({ timeout: 30_000 });
    const item = page.locator('.layer-item', { hasText: 'Pozos de agua (prueba visor)' });
    await item.getByRole('button', { name: /Opciones de/ }).click();
    const editor = item.getByTestId('style-editor');
    await editor.locator('select[name=tipo]').selectOption('graduado');
    await editor.locator('select[name=campo]').selectOption('gasto_lps');
    await editor.locator('select[name=metodo]').selectOption('igual');
    await editor.locator('input[name=clases]').fill('3');
    await editor.getByRole('button', { name: 'Aplicar' }).click();
    // Equal intervals of 5…63 in three classes: breaks at 24.33 and 43.67.
    const legend = item.getByRole('list', { name: /Leyenda/ });
    await expect(legend.textContent()).resolves.toMatch(/< 24\.33.*24\.33 – 43\.67.*≥ 43\.67/);
    await editor.getByRole('button', { name: 'Guardar en la capa' }).click();
    await page.getByText('Estilo aplicado solo en esta vista').waitFor({ state: 'detached' });

    // Identify: click where well 8 is drawn.
    await page.locator('[data-testid=viewer-map][data-idle=true]').waitFor({ timeout: 30_000 });
    const at = await map.evaluate(
      (el, c) => (el as unknown as { map: { project(c: [number, number]): { x: number; y: number } } }).map.project(c),
      [-102.6 + 0.004, 22.754] as [number, number],
    );
    await map.click({ position: { x: at.x, y: at.y } });
    const identify = page.getByTestId('identify');
    await expect(identify.textContent()).resolves.toMatch(/pozo\s*Pozo 8.*gasto_lps\s*19/);

    // Measure a distance: two clicks about 820 m apart (0.008° of longitude at 22.75° N).
    await page.getByRole('button', { name: 'Medir distancia' }).click();
    for (const lon of [-102.6, -102.592]) {
      const p = await map.evaluate(
        (el, c) => (el as unknown as { map: { project(c: [number, number]): { x: number; y: number } } }).map.project(c),
        [lon, 22.76] as [number, number],
      );
      await map.click({ position: { x: p.x, y: p.y } });
    }
    await expect(page.getByTestId('measure').textContent()).resolves.toMatch(/Distancia: 8[12]\d m/);
    await page.getByRole('button', { name: 'Identificar' }).click();
    // The current view as a PNG file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exportar PNG' }).click()]);
    expect(download.suggestedFilename()).toBe('mapa-32056.png');
    const png = fs.readFileSync(await download.path());
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    // Place search moves the map to a colonia.
    await page.getByLabel('Buscar lugar').fill('Las Huertas');
    await page
      .getByTestId('place-results')
      .getByRole('button', { name: /Las Huertas/ })
      .click();
    await page.waitForFunction(() => !document.querySelector('[data-testid=place-results]'));
    // Wait for the map to stop moving (the address follows it).
    const settled = () =>
      map.evaluate(
        (el) =>
          new Promise((resolve) => {
            const m = (el as unknown as { map: { isMoving(): boolean; once(e: string, f: () => void): void } }).map;
            if (m.isMoving()) m.once('moveend', () => resolve(null));
            else resolve(null);
          }),
      );
    await settled();

    // Zoom in, share, and open the address in a fresh, anonymous browser context.
    const before = page.url();
    await page.getByRole('button', { name: 'Acercar', exact: true }).click();
    await page.waitForURL((u) => u.toString() !== before);
    await settled();
    await page.getByRole('button', { name: 'Compartir vista' }).click();
    const url = await page.getByTestId('share-url').inputValue();
    expect(url).toContain('vista=');
    const view = await map.evaluate((el) => {
      const m = (el as unknown as { map: { getCenter(): { lng: number; lat: number }; getZoom(): number } }).map;
      return { ...m.getCenter(), zoom: m.getZoom() };
    });
    const fresh = await env.browser.newContext({ viewport: { width: 1300, height: 900 } });
    const other = await fresh.newPage();
    await other.goto(url);
    await other.locator('[data-testid=viewer-map][data-ready=true]').waitFor({ timeout: 30_000 });
    const otherView = await other.getByTestId('viewer-map').evaluate((el) => {
      const m = (el as unknown as { map: { getCenter(): { lng: number; lat: number }; getZoom(): number } }).map;
      return { ...m.getCenter(), zoom: m.getZoom() };
    });
    expect(otherView.lng).toBeCloseTo(view.lng, 4);
    expect(otherView.lat).toBeCloseTo(view.lat, 4);
    expect(otherView.zoom).toBeCloseTo(view.zoom, 1);
    const otherItem = other.locator('.layer-item', { hasText: 'Pozos de agua (prueba visor)' });
    await expect(otherItem.getByRole('checkbox').isChecked()).resolves.toBe(true);
    await expect(otherItem.getByRole('list', { name: /Leyenda/ }).textContent()).resolves.toMatch(/< 24\.33.*24\.33 – 43\.67.*≥ 43\.67/);
    await fresh.close();
    await page.close();
  });

  it('emergency calls: a planner loads a 9-1-1 export, the heat map and counts follow the weekday and type filters', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1300, height: 1000 } });
    await loginAs(page, env.server, 'planeacion@demo.brujula.mx');
    const [place] = await (await page.request.get(`${env.server.url}/api/v1/municipalities/32056/places?q=Centro%20Hist`)).json();
    const [x, y] = [(place.bbox[0] + place.bbox[2]) / 2, (place.bbox[1] + place.bbox[3]) / 2];
    // 20 fights on Saturday nights and 10 medical emergencies on Monday mornings, all in the centre,
    // in June 2026 (after the demo's own calls, 2024–2025).
    const rows = [
      ...Array.from(
        { length: 20 },
        (_, i) =>
          `2026-06-${String(6 + 7 * (i % 3)).padStart(2, '0')} 23:${String(i).padStart(2, '0')},Riña,alta,${(y + (i % 4) * 0.0001).toFixed(6)},${(x + (i % 5) * 0.0001).toFixed(6)}`,
      ),
      ...Array.from(
        { length: 10 },
        (_, i) => `08/06/2026 09:${String(i).padStart(2, '0')},Urgencia médica,alta,${y.toFixed(6)},${x.toFixed(6)}`,
      ),
    ];
    await page.goto(`${env.server.url}/m/32056/llamadas`);
    const form = page.getByTestId('calls-upload');
    await form.locator('input[type=file]').setInputFiles({
      name: 'llamadas-junio.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['fecha_hora,tipo,prioridad,latitud,longitud', ...rows].join('\n')),
    });
    await form.getByRole('button', { name: 'Cargar' }).click();
    await form.getByText('Se cargaron 30 llamadas.').waitFor();
    await page.getByLabel('Desde', { exact: true }).fill('2026-06-01');
    await page.waitForFunction(() => document.querySelector('[data-testid=call-total]')?.textContent?.startsWith('30 llamadas'));
    await page.locator('[data-testid=calls-map][data-ready=true]').waitFor({ timeout: 30_000 });
    await page.locator('select[name=dia]').selectOption({ label: 'Sábado' });
    await page.waitForFunction(() => document.querySelector('[data-testid=call-total]')?.textContent?.startsWith('20 llamadas'));
    await page.locator('select[name=dia]').selectOption('');
    await page.waitForFunction(() => document.querySelector('[data-testid=call-total]')?.textContent?.startsWith('30 llamadas'));
    await page.getByTestId('call-types').getByRole('checkbox', { name: 'Urgencia médica' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=call-total]')?.textContent?.startsWith('10 llamadas'));
    await expect
      .poll(() => page.getByTestId('calls-by-unit').locator('tr', { hasText: 'Centro Histórico' }).locator('td.num').first().textContent())
      .toBe('10');
    // The filters are in the address: the same view opens for anyone.
    const anon = await env.browser.newPage();
    await anon.goto(page.url());
    await anon.waitForFunction(() => document.querySelector('[data-testid=call-total]')?.textContent?.startsWith('10 llamadas'));
    await expect(anon.getByTestId('calls-upload').count()).resolves.toBe(0);
    await anon.close();
    await page.close();
  });
  it('map viewer on a 390 px phone: the map comes first, the layers are a bottom sheet that fits the width', async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.goto(`${env.server.url}/m/32056/mapa`);
    const map = page.getByTestId('viewer-map');
    await page.locator('[data-testid="viewer-map"][data-ready="true"]').waitFor({ timeout: 30_000 });
    // Nothing wider than the phone, and the map is on screen before any panel.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const mapBox = (await map.boundingBox())!;
    expect(mapBox.y).toBeLessThan(400);
    expect(mapBox.height).toBeGreaterThan(300);
    // Closed, the sheet shows only its handle at the bottom; opened, its controls are usable.
    const handle = page.getByTestId('sheet-handle');
    await expect(handle.getAttribute('aria-expanded')).resolves.toBe('false');
    expect((await handle.boundingBox())!.y).toBeGreaterThan(844 - 60);
    await handle.click();
    await expect(handle.getAttribute('aria-expanded')).resolves.toBe('true');
    await page.waitForTimeout(400); // the sheet slides up
    const search = page.getByLabel('Buscar lugar');
    const box = (await search.boundingBox())!;
    expect(box.y + box.height).toBeLessThan(844);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await search.fill('Centro');
    await page
      .getByRole('button', { name: /Centro Histórico/ })
      .first()
      .waitFor();
    await ctx.close();
  });
});
