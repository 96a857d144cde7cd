import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, hasWebBuild, withServerAndBrowser } from './harness.ts';

describe.skipIf(!hasChromium || !hasWebBuild)('open data in a real browser', () => {
  const env = withServerAndBrowser({ beforeAll, afterAll });

  it('follows an OCDS package to its publication policy, a real page whose links give the packages', async () => {
    const pkg = await (await fetch(`${env.server.url}/api/v1/municipalities/32056/ocds/releases.json`)).json();
    expect(pkg.publicationPolicy).toBe(`${env.server.url}/datos-abiertos`);
    const page = await env.browser.newPage();
    await page.goto(pkg.publicationPolicy);
    await page.getByRole('heading', { level: 1, name: 'Política de publicación de datos abiertos' }).waitFor();
    for (const h of ['Qué se publica', 'Licencia', 'Lo que nunca se publica']) await page.getByRole('heading', { name: h }).waitFor();
    const records = await page.getByRole('link', { name: /paquete de registros OCDS/ }).getAttribute('href');
    const body = await (await fetch(new URL(records!, env.server.url))).json();
    expect(body.records.length).toBe(pkg.releases.length);
    // The footer of every page links to it.
    await page.goto(`${env.server.url}/m/32056`);
    await page.getByRole('contentinfo').getByRole('link', { name: 'Política de publicación de datos abiertos' }).click();
    await page.getByRole('heading', { level: 1, name: 'Política de publicación de datos abiertos' }).waitFor();
    await page.close();
  });
});
