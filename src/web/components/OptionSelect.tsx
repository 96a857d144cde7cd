/** A labelled select over value/label pairs, with an optional empty first choice ("Todos", "Elija…"). */
export function OptionSelect({
  label,
  value,
  onChange,
  options,
  empty,
  required,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
  empty?: string;
  required?: boolean;
  testId?: string;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} required={required} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
