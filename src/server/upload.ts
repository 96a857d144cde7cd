import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

/** Reads the one file of a multipart request into memory, refusing it past `maxMb` with a Spanish message. */
export async function readUpload(req: FastifyRequest, maxMb: number) {
  const file = await req.file({ limits: { fileSize: maxMb * 1024 * 1024, files: 1 } });
  if (!file) throw new AppError('BRJ_ERR_VALIDATION', 'Adjunte un archivo en el campo "file".');
  try {
    return { nombre: file.filename, bytes: await file.toBuffer() };
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('BRJ_ERR_PAYLOAD_TOO_LARGE', `El archivo «${file.filename}» excede el máximo de ${maxMb} MB.`);
    throw e;
  }
}
