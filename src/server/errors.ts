import { NO_NUL, NOT_BLANK } from './schema-bounds.ts';

/**
 * The one error catalogue. Codes are never reused; messages are Spanish because users read them.
 * Throw with `throw new AppError('BRJ_ERR_NOT_FOUND')` or with a more specific message.
 */
export const ERRORS = {
  BRJ_ERR_VALIDATION: { status: 400, message: 'Los datos enviados no son válidos.' },
  BRJ_ERR_UNAUTHENTICATED: { status: 401, message: 'Inicie sesión para continuar.' },
  BRJ_ERR_BAD_CREDENTIALS: { status: 401, message: 'Correo o contraseña incorrectos.' },
  BRJ_ERR_EMAIL_NOT_VERIFIED: { status: 403, message: 'Confirme su correo electrónico antes de iniciar sesión.' },
  BRJ_ERR_ACCOUNT_BLOCKED: { status: 403, message: 'Esta cuenta está bloqueada. Contacte a la administración.' },
  BRJ_ERR_FORBIDDEN: { status: 403, message: 'No tiene permiso para realizar esta acción en este municipio.' },
  BRJ_ERR_CSRF: { status: 403, message: 'La sesión del formulario expiró o no es válida. Recargue la página e intente de nuevo.' },
  BRJ_ERR_NOT_FOUND: { status: 404, message: 'No se encontró el recurso solicitado.' },
  BRJ_ERR_MUNICIPALITY_NOT_FOUND: { status: 404, message: 'El municipio no existe o no está activo en esta instalación.' },
  BRJ_ERR_CONFLICT: { status: 409, message: 'El registro ya existe.' },
  BRJ_ERR_EMAIL_TAKEN: { status: 409, message: 'Ya existe una cuenta con ese correo electrónico.' },
  BRJ_ERR_TOKEN_INVALID: { status: 400, message: 'El enlace no es válido o ya expiró. Solicite uno nuevo.' },
  BRJ_ERR_WEAK_PASSWORD: { status: 400, message: 'La contraseña debe tener al menos 10 caracteres y ser difícil de adivinar.' },
  BRJ_ERR_PAYLOAD_TOO_LARGE: { status: 413, message: 'El archivo excede el tamaño máximo permitido.' },
  BRJ_ERR_UNSUPPORTED_FORMAT: { status: 415, message: 'Formato de archivo no reconocido.' },
  BRJ_ERR_IMPORT_INVALID: { status: 422, message: 'El archivo no se importó: contiene errores. No se guardó ningún registro.' },
  BRJ_ERR_RATE_LIMITED: { status: 429, message: 'Demasiados intentos. Espere un momento e intente de nuevo.' },
  BRJ_ERR_INTERNAL: { status: 500, message: 'Ocurrió un error interno. El equipo técnico fue notificado.' },
  BRJ_ERR_DB_UNAVAILABLE: { status: 503, message: 'La base de datos no está disponible.' },
  BRJ_ERR_OVERLOADED: { status: 503, message: 'El servidor está atendiendo demasiadas solicitudes. Intente de nuevo en unos segundos.' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ERRORS[code].message);
    this.statusCode = ERRORS[code].status;
  }
}

type Problem = { keyword: string; message?: string; params: Record<string, unknown> };

/** A validation problem in Spanish words where the generic one would puzzle a person. */
export function validationProblem(v: Problem): string | undefined {
  if (v.keyword === 'pattern' && v.params.pattern === NO_NUL) return 'contiene el carácter nulo (U+0000), que no se admite';
  if (v.keyword === 'pattern' && v.params.pattern === NOT_BLANK) return 'no puede quedar en blanco ni contener el carácter nulo (U+0000)';
  if (v.keyword === 'minProperties') return 'envíe al menos un campo para modificar';
  if (v.keyword === 'maximum' || v.keyword === 'minimum')
    return `debe estar entre los límites permitidos (${v.keyword === 'maximum' ? 'máximo' : 'mínimo'} ${String(v.params.limit)})`;
  return v.message;
}

/** What a person reads when PostgreSQL refused a value that passed the route's schema. */
export const DATABASE_REFUSALS = {
  unique: 'Ya existe un registro con esos datos (quizá se guardó al mismo tiempo desde otra sesión).',
  reference: 'El registro se refiere a otro que no existe, o hay registros que dependen de él.',
  race: 'Otro cambio se guardó al mismo tiempo. Intente de nuevo.',
  tooLong: 'Un texto es más largo de lo permitido.',
  range: 'Un número está fuera del rango permitido.',
  value: 'Un valor enviado no es válido para este campo.',
} as const;

/**
 * PostgreSQL's refusals of a value (SQLSTATE classes 22 and 23, and a write that lost a race) as the
 * client's error: what the schemas let through but a column or constraint does not take.
 */
export function databaseInputError(err: unknown): { status: number; code: ErrorCode; message: string } | null {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  const R = DATABASE_REFUSALS;
  if (code === '23505') return { status: 409, code: 'BRJ_ERR_CONFLICT', message: R.unique };
  if (code === '23503') return { status: 409, code: 'BRJ_ERR_CONFLICT', message: R.reference };
  if (code === '40001' || code === '40P01') return { status: 409, code: 'BRJ_ERR_CONFLICT', message: R.race };
  if (code === '22001') return { status: 400, code: 'BRJ_ERR_VALIDATION', message: R.tooLong };
  if (code === '22003') return { status: 400, code: 'BRJ_ERR_VALIDATION', message: R.range };
  if (code.startsWith('22') || code === '23514' || code === '23502') return { status: 400, code: 'BRJ_ERR_VALIDATION', message: R.value };
  return null;
}
