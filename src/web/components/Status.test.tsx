// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../i18n/index.ts';
import { ErrorBox, Loading, Pager } from './Status.tsx';

afterEach(cleanup);

describe('status widgets', () => {
  it('announces loading politely and errors as an alert with the Spanish message and a retry', () => {
    render(<Loading />);
    expect(screen.getByRole('status').textContent).toBe('Cargando…');
    const retry = vi.fn();
    render(<ErrorBox error={new Error('El plan no existe o aún no es público.')} onRetry={retry} />);
    expect(screen.getByRole('alert').textContent).toContain('Ocurrió un error: El plan no existe o aún no es público.');
    fireEvent.click(screen.getByRole('button', { name: 'Reintentar' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('renders nothing without an error', () => {
    const { container } = render(<ErrorBox error={null} />);
    expect(container.innerHTML).toBe('');
  });

  it('pages within bounds: no previous page on the first, no next page on the last', () => {
    const onPage = vi.fn();
    const { rerender } = render(<Pager page={1} total={120} limit={50} onPage={onPage} />);
    const nav = screen.getByRole('navigation', { name: 'Paginación' });
    expect(nav.textContent).toContain('Página 1 de 3');
    expect((screen.getByRole('button', { name: 'Anterior' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Siguiente' }));
    expect(onPage).toHaveBeenLastCalledWith(2);
    rerender(<Pager page={3} total={120} limit={50} onPage={onPage} />);
    expect((screen.getByRole('button', { name: 'Siguiente' }) as HTMLButtonElement).disabled).toBe(true);
    // An empty list is still one page, never "page 1 of 0".
    rerender(<Pager page={1} total={0} limit={50} onPage={onPage} />);
    expect(nav.textContent).toContain('Página 1 de 1');
  });
});
