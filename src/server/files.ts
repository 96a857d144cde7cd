import { fileTypeFromBuffer } from 'file-type';
import { AppError } from './errors.ts';

/**
 * One rule for every file people attach (proposal images and PDFs, citizen-report photos, work
 * ratings, progress-report evidence): the type is read from the bytes, never from the name;
 * images are decoded and re-encoded (EXIF with the phone's GPS dropped, orientation applied, size
 * capped), so what is stored is a fresh JPEG and nothing else; PDFs are parsed and must have pages
 * and no active content. A file that is also HTML, SVG or script (a polyglot) is refused, so that
 * no stored file can run in a browser whatever it is served as.
 */

const IMAGE_MAX_SIDE = 1600;
const THUMB_SIDE = 400;
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

// Markup a browser would run; searched in the raw bytes (latin1), where a polyglot carries it.
const MARKUP = /<(script|html|svg|iframe|object|embed|body|meta)[\s/>]|javascript:/i;
// PDF features that run code or carry other files.
const PDF_ACTIVE = /\/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA|SubmitForm|ImportData)[\s/<([]/;

export type CheckedFile =
  | { tipo: 'imagen'; mime: 'image/jpeg'; contenido: Buffer; ancho: number; alto: number; miniatura: Buffer }
  | { tipo: 'documento'; mime: 'application/pdf'; contenido: Buffer; ancho: null; alto: null; miniatura: null };

function refuseMarkup(bytes: Buffer, nombre: string) {
  if (MARKUP.test(bytes.toString('latin1'))) {
    throw new AppError(
      'BRJ_ERR_UNSUPPORTED_FORMAT',
      `El archivo «${nombre}» contiene además código de página web (HTML o script): no se acepta. No se guardó.`,
    );
  }
}

/** Checks a file by its content and returns what to store: a re-encoded image, or a checked PDF. */
export async function checkFile(bytes: Buffer, nombre: string, accept: { images: boolean; pdf: boolean }): Promise<CheckedFile> {
  if (bytes.length === 0) throw new AppError('BRJ_ERR_VALIDATION', `El archivo «${nombre}» está vacío. No se guardó.`);
  const type = await fileTypeFromBuffer(bytes);
  const isImage = !!type && IMAGE_TYPES.includes(type.mime);
  const isPdf = type?.mime === 'application/pdf';
  if ((isImage && accept.images) || (isPdf && accept.pdf)) {
    refuseMarkup(bytes, nombre);
    return isImage
      ? { tipo: 'imagen', ...(await reencodeImage(bytes, nombre)) }
      : { tipo: 'documento', ...(await checkPdf(bytes, nombre)) };
  }
  const wanted = [accept.images && 'una imagen JPEG, PNG o WebP', accept.pdf && 'un PDF'].filter(Boolean).join(' ni ');
  throw new AppError(
    'BRJ_ERR_UNSUPPORTED_FORMAT',
    `El archivo «${nombre}» no es ${wanted}${type ? ` (su contenido es ${type.ext.toUpperCase()})` : ''}. No se guardó.`,
  );
}

async function reencodeImage(bytes: Buffer, nombre: string) {
  const { default: sharp } = await import('sharp');
  try {
    const img = sharp(bytes, { limitInputPixels: 50_000_000 }).rotate();
    const main = await img
      .clone()
      .resize(IMAGE_MAX_SIDE, IMAGE_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    const thumb = await img.clone().resize(THUMB_SIDE, THUMB_SIDE, { fit: 'cover' }).jpeg({ quality: 75 }).toBuffer();
    return { mime: 'image/jpeg' as const, contenido: main.data, ancho: main.info.width, alto: main.info.height, miniatura: thumb };
  } catch {
    throw new AppError('BRJ_ERR_UNSUPPORTED_FORMAT', `La imagen «${nombre}» está dañada o no se puede leer. No se guardó.`);
  }
}

async function checkPdf(bytes: Buffer, nombre: string) {
  if (PDF_ACTIVE.test(bytes.toString('latin1'))) {
    throw new AppError(
      'BRJ_ERR_UNSUPPORTED_FORMAT',
      `El PDF «${nombre}» contiene código, formularios que envían datos o archivos incrustados: no se acepta. Guárdelo de nuevo como PDF simple (por ejemplo, «Imprimir como PDF»).`,
    );
  }
  const { PDFDocument } = await import('@cantoo/pdf-lib');
  let pages = 0;
  try {
    pages = (await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false })).getPageCount();
  } catch {
    pages = 0;
  }
  if (pages < 1) throw new AppError('BRJ_ERR_UNSUPPORTED_FORMAT', `El PDF «${nombre}» está dañado o no tiene páginas. No se guardó.`);
  return { mime: 'application/pdf' as const, contenido: bytes, ancho: null, alto: null, miniatura: null };
}

/** The stored image or its thumbnail (always JPEG), for the routes that serve photos. */
export const imageVariant = (p: { mime: string; contenido: Buffer; miniatura: Buffer | null }, thumb: boolean) =>
  thumb && p.miniatura ? { mime: 'image/jpeg', bytes: p.miniatura } : { mime: p.mime, bytes: p.contenido };
