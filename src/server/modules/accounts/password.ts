import { AppError } from '../../errors.ts';

/**
 * The password policy, stated once: at least 10 characters, and not easy to guess. "Easy" is
 * zxcvbn's estimate (score < 3, i.e. under ~10⁸ guesses) against its lists of common and breached
 * passwords, English and Spanish words, keyboard patterns, dates — and the person's own name and
 * e-mail. The dictionaries (a few MB) load on the first check, not at start-up.
 */
export const MIN_PASSWORD = 10;
export const PASSWORD_POLICY = `Al menos ${MIN_PASSWORD} caracteres y difícil de adivinar: no una contraseña común o filtrada, ni palabras, fechas o patrones de teclado solos, ni su nombre o correo.`;

type Checker = {
  check(password: string, userInputs?: string[]): { score: number; feedback: { warning: string | null; suggestions: string[] } };
};
let checker: Promise<Checker> | null = null;

// The packages are CommonJS: bundled, their named exports may sit under `default`.
const pick = <T>(m: unknown, k: string): T => ((m as Record<string, T>)[k] ?? (m as { default: Record<string, T> }).default[k]) as T;

function load(): Promise<Checker> {
  checker ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-es-es')]).then(
    ([core, common, es]) => {
      const Factory = pick<new (o: unknown) => Checker>(core, 'ZxcvbnFactory');
      const dictionary = { ...pick<object>(common, 'dictionary'), ...pick<object>(es, 'dictionary') };
      return new Factory({ dictionary, graphs: pick(common, 'adjacencyGraphs'), translations: pick(es, 'translations') });
    },
  );
  return checker;
}

/** Throws BRJ_ERR_WEAK_PASSWORD with the reason in Spanish when the password breaks the policy. */
export async function checkPassword(password: string, userInputs: (string | null | undefined)[] = []): Promise<void> {
  if (password.length < MIN_PASSWORD)
    throw new AppError('BRJ_ERR_WEAK_PASSWORD', `La contraseña debe tener al menos ${MIN_PASSWORD} caracteres.`);
  const norm = (x: string) =>
    x
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
  const own = userInputs.flatMap((x) => (x ? [norm(x.split('@')[0]), norm(x)] : [])).filter((x) => x.length >= 5);
  if (own.some((x) => norm(password).includes(x)))
    throw new AppError('BRJ_ERR_WEAK_PASSWORD', 'La contraseña no puede contener su nombre ni su correo.');
  const inputs = userInputs.flatMap((s) => (s ? [s, ...s.split(/[@.\s_-]+/)] : [])).filter((s) => s.length >= 3);
  const r = (await load()).check(password, inputs);
  if (r.score >= 3) return;
  const why = [r.feedback.warning, ...r.feedback.suggestions].filter(Boolean).join(' ');
  throw new AppError('BRJ_ERR_WEAK_PASSWORD', `La contraseña es fácil de adivinar.${why ? ` ${why}` : ''}`);
}
