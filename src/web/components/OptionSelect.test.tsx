// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OptionSelect } from './OptionSelect.tsx';

afterEach(cleanup);

describe('OptionSelect', () => {
  it('is a labelled select that offers the empty choice first and reports the value chosen', () => {
    const onChange = vi.fn();
    render(
      <OptionSelect
        label="Unidad responsable"
        value=""
        onChange={onChange}
        empty="Todas"
        options={[
          { value: '3', label: 'Obras Públicas' },
          { value: '7', label: 'IMPLAN' },
        ]}
      />,
    );
    const select = screen.getByRole('combobox', { name: 'Unidad responsable' }) as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['', 'Todas'],
      ['3', 'Obras Públicas'],
      ['7', 'IMPLAN'],
    ]);
    fireEvent.change(select, { target: { value: '7' } });
    expect(onChange).toHaveBeenCalledWith('7');
  });
});
