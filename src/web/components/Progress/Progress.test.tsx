// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Progress } from './Progress.tsx';

afterEach(cleanup);

describe('Progress', () => {
  it('is a meter a screen reader can read, with the figure in Mexican format', () => {
    render(<Progress value={83.25} label="Avance físico" />);
    const meter = screen.getByRole('meter', { name: 'Avance físico' });
    expect(meter.getAttribute('aria-valuenow')).toBe('83.25');
    expect(meter.textContent).toBe('83.3 %');
    expect((meter.querySelector('.bar') as HTMLElement).style.width).toBe('83.25%');
  });

  it('fills the bar past 100 % but keeps the real figure, and shows a dash without data', () => {
    const { container, rerender } = render(<Progress value={1250.5} />);
    expect(screen.getByRole('meter', { name: 'Avance' }).textContent).toBe('1,250.5 %');
    expect((container.querySelector('.bar') as HTMLElement).style.width).toBe('100%');
    rerender(<Progress value={null} />);
    expect(screen.queryByRole('meter')).toBeNull();
    expect(container.textContent).toBe('—');
  });
});
