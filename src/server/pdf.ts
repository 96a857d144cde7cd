/** Standard PDF fonts speak WinAnsi: replace the few characters outside it that Spanish text uses. */
export const pdfSafe = (s: string) =>
  s
    .replace(/[\u2010-\u2012]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: tab, LF and CR are the control characters kept.
    .replace(/[^\x09\x0a\x0d\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2022\u20ac]/g, '');

/** The institution that issues a document (setup's institutionBrand): its name in every footer, its logo on the first page. */
export interface Brand {
  name: string | null;
  logo: Buffer | null;
}
const brands = new WeakMap<PDFKit.PDFDocument, Brand>();

/** A letter-size document with 1-inch margins whose pages can be revisited, and the bytes it will produce. */
export async function newPdf(title: string, author: string, brand?: Brand) {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: { top: 72, bottom: 72, left: 72, right: 72 },
    bufferPages: true,
    info: { Title: pdfSafe(title), Author: pdfSafe(brand?.name ?? author), Creator: 'Brújula' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((res) => doc.on('end', () => res(Buffer.concat(chunks))));
  if (brand) {
    brands.set(doc, brand);
    // In the top margin, so the page's own layout does not move.
    if (brand.logo) doc.image(brand.logo, 72, 24, { fit: [140, 40] });
    if (brand.name)
      doc
        .font('Helvetica')
        .fontSize(8)
        .fillColor('#555')
        .text(pdfSafe(brand.name), brand.logo ? 220 : 72, 36, {
          width: doc.page.width - (brand.logo ? 292 : 144),
          align: 'right',
          lineBreak: false,
        });
    doc.x = 72;
    doc.y = 72;
  }
  return { doc, done, width: doc.page.width - 144 };
}

/** "<title> — Página i de n" at the foot of every page, then the document is finished. */
export function finishPdf(doc: PDFKit.PDFDocument, title: string) {
  const range = doc.bufferedPageRange();
  const width = doc.page.width - 144;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const issuer = brands.get(doc)?.name;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#555')
      .text(pdfSafe(`${issuer ? `${issuer} — ` : ''}${title} — Página ${i + 1} de ${range.count}`), 72, doc.page.height - 45, {
        width,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
}
