import { fmt } from '../../i18n/index.ts';

/** Progress 0–100 % as a bar and its figure; values past 100 % fill the bar and keep their figure. */
export function Progress({ value, label }: { value: number | null; label?: string }) {
  if (value === null) return <span className="muted">—</span>;
  return (
    // biome-ignore lint/a11y/useSemanticElements: <meter> cannot be styled alike across browsers; the ARIA meter says the same.
    <span className="progress" role="meter" aria-valuenow={value} aria-valuemin={0} aria-valuemax={100} aria-label={label ?? 'Avance'}>
      <span className="track">
        <span className="bar" style={{ width: `${Math.min(100, value)}%` }} />
      </span>
      <span className="pct">{fmt.dec(value, 1)} %</span>
    </span>
  );
}
