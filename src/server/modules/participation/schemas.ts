import { type Static, Type } from 'typebox';
import { DateTime, lit, Nullable } from '../../schemas.ts';
import type { actionOrigins } from './proposals.ts';
import type * as residency from './residency.ts';

/** What the participation routes answer. Converted module part by module part (issue 15). */

const Id = Type.Integer();
type Row<F extends (...a: never[]) => unknown> = Awaited<ReturnType<F>>;
const Metodo = lit('sms', 'presencial');

export const PowChallenge = Type.Object(
  {
    disabled: Type.Optional(Type.Literal(true)),
    parameters: Type.Optional(
      Type.Unsafe<object>({ type: 'object', additionalProperties: true, description: 'Parámetros del reto ALTCHA (PBKDF2/SHA-256)' }),
    ),
    signature: Type.Optional(Type.String()),
  },
  { description: 'Un reto ALTCHA, o {disabled: true} cuando la instalación no pide prueba de trabajo' },
);

export const ParticipationSettings = Type.Object({
  verificacion: Type.Array(Metodo, { description: 'Formas aceptadas de verificar la residencia' }),
  limiteDiario: Type.Integer({ description: 'Escrituras públicas por cuenta y día' }),
});

export const ResidencyStatus = Type.Object({
  verificado: Type.Boolean(),
  metodo: Nullable(Metodo),
  verificadoEl: Nullable(DateTime),
  telefonoFinal: Nullable(Type.String({ description: 'Últimos cuatro dígitos del teléfono verificado' })),
  unidad: Nullable(Type.Object({ id: Id, name: Type.String(), level: Type.String() })),
  metodos: Type.Array(Metodo),
});
export const SmsStarted = Type.Object({ telefonoFinal: Type.String(), vigenciaMinutos: Type.Integer() });
export const SmsConfirmed = Type.Object({ verificado: Type.Boolean(), mensaje: Type.String() });
export const VerifiedInPerson = Type.Object({ userId: Id, nombre: Type.String(), verificado: Type.Boolean() });

export const SmsOutboxItem = Type.Object({
  id: Id,
  toNumber: Type.String(),
  body: Type.String(),
  createdAt: DateTime,
  sentAt: Nullable(DateTime),
});
export const smsOutboxItemOut = (m: Row<typeof residency.smsOutbox>[number]): Static<typeof SmsOutboxItem> => ({
  id: m.id,
  toNumber: m.to_number,
  body: m.body,
  createdAt: m.created_at,
  sentAt: m.sent_at,
});

export const Notifications = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Id,
      municipalityId: Nullable(Type.String()),
      titulo: Type.String(),
      cuerpo: Type.String(),
      enlace: Type.String({ description: 'Ruta de la página del aviso' }),
      createdAt: DateTime,
      readAt: Nullable(DateTime),
    }),
  ),
  sinLeer: Type.Integer(),
});
export const MarkedRead = Type.Object({ marcados: Type.Integer() });

export const ActionOrigins = Type.Object({
  propuestas: Type.Array(Type.Object({ id: Id, titulo: Type.String(), estado: Type.String(), apoyos: Type.Integer() })),
  proyectos: Type.Array(
    Type.Object(
      { id: Id, titulo: Type.String(), processId: Id, proceso: Type.String(), votos: Type.Integer() },
      {
        description: 'Proyectos ganadores del presupuesto participativo',
      },
    ),
  ),
});
export const actionOriginsOut = (o: Row<typeof actionOrigins>): Static<typeof ActionOrigins> => ({
  propuestas: o.propuestas.map((p) => ({ id: p.id, titulo: p.titulo, estado: p.estado, apoyos: p.apoyos })),
  proyectos: o.proyectos.map((x) => ({ id: x.id, titulo: x.titulo, processId: x.process_id, proceso: x.proceso, votos: x.votos })),
});
