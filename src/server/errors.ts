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
  BRJ_ERR_WEAK_PASSWORD: { status: 400, message: 'La contraseña debe tener al menos 10 caracteres.' },
  BRJ_ERR_PAYLOAD_TOO_LARGE: { status: 413, message: 'El archivo excede el tamaño máximo permitido.' },
  BRJ_ERR_UNSUPPORTED_FORMAT: { status: 415, message: 'Formato de archivo no reconocido.' },
  BRJ_ERR_IMPORT_INVALID: { status: 422, message: 'El archivo no se importó: contiene errores. No se guardó ningún registro.' },
  BRJ_ERR_RATE_LIMITED: { status: 429, message: 'Demasiados intentos. Espere un momento e intente de nuevo.' },
  BRJ_ERR_INTERNAL: { status: 500, message: 'Ocurrió un error interno. El equipo técnico fue notificado.' },
  BRJ_ERR_DB_UNAVAILABLE: { status: 503, message: 'La base de datos no está disponible.' },
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
