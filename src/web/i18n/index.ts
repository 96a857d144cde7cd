import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import es from './es-MX.ts';
import en from './en.ts';

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('brujula.lang') : null;

i18n.use(initReactI18next).init({
  resources: { 'es-MX': { translation: es }, en: { translation: en } },
  lng: saved === 'en' ? 'en' : 'es-MX',
  fallbackLng: 'es-MX',
  interpolation: { escapeValue: false },
});

export function setLanguage(lng: 'es-MX' | 'en') {
  localStorage.setItem('brujula.lang', lng);
  document.documentElement.lang = lng;
  void i18n.changeLanguage(lng);
}

/** Numbers, dates and money always in Mexican format, whatever the UI language. */
export const fmt = {
  int: (n: number | null | undefined) => (n == null ? '—' : new Intl.NumberFormat('es-MX').format(n)),
  dec: (n: number | null | undefined, d = 2) =>
    n == null ? '—' : new Intl.NumberFormat('es-MX', { maximumFractionDigits: d, minimumFractionDigits: d }).format(n),
  money: (n: number | null | undefined) =>
    n == null ? '—' : new Intl.NumberFormat('es-MX', { style: 'currency', currency: 'MXN' }).format(n),
  dateTime: (s: string | null | undefined) =>
    s
      ? new Intl.DateTimeFormat('es-MX', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Mexico_City' }).format(new Date(s))
      : '—',
  // A bare date (2026-08-01) is a calendar day, not UTC midnight: read it at noon so no zone shifts it.
  date: (s: string | null | undefined) =>
    s
      ? new Intl.DateTimeFormat('es-MX', { dateStyle: 'long', timeZone: 'America/Mexico_City' }).format(
          new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T12:00:00` : s),
        )
      : '—',
};

export default i18n;
