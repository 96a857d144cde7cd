import { Type, type TSchema } from 'typebox';

/** The one error shape every route returns on failure. */
export const ErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'Código estable, p. ej. BRJ_ERR_NOT_FOUND' }),
    message: Type.String({ description: 'Mensaje en español para mostrar a la persona usuaria' }),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'Error' },
);

export const ErrorRef = Type.Ref('Error');

/** Standard error responses to spread into a route's `response` schema. */
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorRef]));

export const MunicipalityId = Type.String({ pattern: '^[0-9]{5}$', description: 'Clave INEGI CVE_ENT+CVE_MUN, p. ej. 32056' });

export const PageQuery = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
};

export const Paged = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), limit: Type.Integer() });

export const Message = Type.Object({ message: Type.String() });
