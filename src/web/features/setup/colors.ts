/** WCAG 2.1 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const c = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/** Contrast ratio of white text on this background (WCAG asks 4.5:1 for normal text). */
export const contrastWithWhite = (hex: string) => 1.05 / (luminance(hex) + 0.05);

/** The same hue, darker by a factor (0–1), for hover states and borders. */
export function darken(hex: string, factor: number): string {
  return `#${[1, 3, 5]
    .map((i) =>
      Math.round(parseInt(hex.slice(i, i + 2), 16) * (1 - factor))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}
