// @vitest-environment happy-dom
// The one cache of reads: pages showing the same URL share one request, a write refetches what it
// may have changed (the reads of its municipality) and leaves other municipalities' reads alone, and
// an API error reaches the page as a Spanish message instead of being retried.
import { QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ApiUrl, post } from './client.ts';
import { useGet } from './hooks.ts';
import { queryClient } from './query.ts';

const served = new Map<string, number>();
let failing: string | null = null;
beforeEach(() => {
  served.clear();
  failing = null;
  queryClient.clear();
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/v1/auth/csrf') return Response.json({ token: 't' });
      if (init?.method && init.method !== 'GET') return Response.json({ id: 1 }, { status: 201 });
      if (url === failing)
        return Response.json({ code: 'BRJ_ERR_NOT_FOUND', message: 'El plan no existe.' }, { status: 404, statusText: 'Not Found' });
      const n = (served.get(url) ?? 0) + 1;
      served.set(url, n);
      return Response.json({ vez: n });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function Shows({ url, name }: { url: ApiUrl<'get'>; name: string }) {
  const { data, error } = useGet<{ vez: number }>(url);
  return <p data-testid={name}>{error ? error.message : data ? `lectura ${data.vez}` : 'cargando'}</p>;
}

const page = (children: React.ReactNode) => render(<QueryClientProvider client={queryClient}>{children}</QueryClientProvider>);

describe('reads through the cache', () => {
  it('asks the server once for a URL that two parts of a page show', async () => {
    page(
      <>
        <Shows url="/api/v1/municipalities/32056/plans" name="a" />
        <Shows url="/api/v1/municipalities/32056/plans" name="b" />
      </>,
    );
    await waitFor(() => expect(screen.getByTestId('a').textContent).toBe('lectura 1'));
    expect(screen.getByTestId('b').textContent).toBe('lectura 1');
    expect(served.get('/api/v1/municipalities/32056/plans')).toBe(1);
  });

  it("refetches the reads of the municipality a write changed, and not another municipality's", async () => {
    page(
      <>
        <Shows url="/api/v1/municipalities/32056/plans" name="zac" />
        <Shows url="/api/v1/municipalities/32056/programs?anio=2026" name="poa" />
        <Shows url="/api/v1/municipalities/32017/plans" name="gpe" />
      </>,
    );
    await waitFor(() => expect(screen.getByTestId('gpe').textContent).toBe('lectura 1'));
    await act(() => post('/api/v1/municipalities/32056/plans', { titulo: 'PMD' }));
    await waitFor(() => expect(screen.getByTestId('zac').textContent).toBe('lectura 2'));
    await waitFor(() => expect(screen.getByTestId('poa').textContent).toBe('lectura 2'));
    expect(screen.getByTestId('gpe').textContent).toBe('lectura 1');
    expect(served.get('/api/v1/municipalities/32017/plans')).toBe(1);
  });

  it("shows the API's Spanish message for an error, asked once", async () => {
    const url = '/api/v1/municipalities/32056/plans/99';
    failing = url;
    page(<Shows url={url} name="x" />);
    await waitFor(() => expect(screen.getByTestId('x').textContent).toBe('El plan no existe.'));
    expect(vi.mocked(fetch).mock.calls.filter(([u]) => u === failing)).toHaveLength(1);
  });
});
