import { useTranslation } from 'react-i18next';
import type { Semaforo } from '../../api/indicators/index.ts';

/** Colour plus a word, so the status never depends on colour alone (WCAG 1.4.1). */
export function SemaforoBadge({ value }: { value: Semaforo | null }) {
  const { t } = useTranslation();
  if (!value) return <span className="badge">{t('ind.noData')}</span>;
  return (
    <span className={`badge semaforo semaforo-${value}`} data-testid="semaforo">
      <span className="dot" aria-hidden="true" />
      {t(`ind.semaforo.${value}`)}
    </span>
  );
}
