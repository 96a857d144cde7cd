import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

/**
 * The one way routes read an uploaded file: the single file of a multipart request, into memory,
 * refused past `maxMb` (default BRUJULA_UPLOAD_MAX_MB) with a Spanish 413 naming the limit; the
 * text fields sent before it are read with `field`. Archives inside are bounded by archive.ts, and
 * what the file holds by parse-limits.ts.
 */
export async function readUpload(req: FastifyRequest, maxMb = req.server.config.uploadMaxMb, hint = '') {
  const file = await req.file({ limits: { fileSize: maxMb * 1024 * 1024, files: 1 } });
  if (!file) throw new AppError('BRJ_ERR_VALIDATION', 'Adjunte un archivo en el campo "file".');
  let bytes: Buffer;
  try {
    bytes = await file.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError(
        'BRJ_ERR_PAYLOAD_TOO_LARGE',
        `El archivo «${file.filename}» excede el máximo de ${maxMb} MB.${hint ? ` ${hint}` : ''}`,
      );
    throw e;
  }
  const field = (name: string) => {
    const f = file.fields[name] as { value?: unknown } | undefined;
    return typeof f?.value === 'string' && f.value.trim() !== '' ? f.value.trim() : undefined;
  };
  return { nombre: file.filename, bytes, field };
}
