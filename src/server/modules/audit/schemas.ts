import { Type } from 'typebox';

/** What the audit and history routes answer. */

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.Union([Type.String(), Type.Null()]),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.Integer(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  via: Type.Union([Type.String(), Type.Null()]),
  action: Type.Unsafe<'insert' | 'update' | 'delete' | 'event'>({ type: 'string', enum: ['insert', 'update', 'delete', 'event'] }),
  entity: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  after: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
