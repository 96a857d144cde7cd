import { Type } from 'typebox';
import { MunicipalityId } from '../../schemas.ts';

export const RoleSchema = Type.Union(
  [Type.Literal('admin'), Type.Literal('planner'), Type.Literal('enlace'), Type.Literal('council'), Type.Literal('citizen')],
  { description: 'admin, planner (IMPLAN), enlace (dependencia), council (Consejo Ciudadano), citizen' },
);

export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Password = Type.String({ minLength: 1, maxLength: 200 });

export const GrantOut = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.Union([Type.String(), Type.Null()]),
  municipalityName: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  departmentName: Type.Union([Type.String(), Type.Null()]),
});

export const Me = Type.Union([
  Type.Object({
    id: Type.Integer(),
    email: Type.String(),
    name: Type.String(),
    homeMunicipalityId: Type.Union([Type.String(), Type.Null()]),
    grants: Type.Array(GrantOut),
  }),
  Type.Null(),
]);

export const RegisterBody = Type.Object({
  email: Email,
  name: Type.String({ minLength: 2, maxLength: 200 }),
  password: Password,
  municipalityId: MunicipalityId,
});

export const UserOut = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('blocked')]),
  emailVerifiedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  homeMunicipalityId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  isDemo: Type.Boolean(),
  grants: Type.Array(GrantOut),
});

export const GrantBody = Type.Object({
  // Null first: with type coercion on, ajv would otherwise turn null into 0 or "".
  municipalityId: Type.Union([Type.Null(), MunicipalityId], { description: 'null = en todo el estado' }),
  role: RoleSchema,
  departmentId: Type.Optional(Type.Union([Type.Null(), Type.Integer()])),
});

export const Department = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.String(),
  name: Type.String(),
  acronym: Type.Union([Type.String(), Type.Null()]),
});

export const InvitationBody = Type.Object({
  email: Email,
  name: Type.Optional(Type.String({ maxLength: 200 })),
  ...GrantBody.properties,
});

export const DepartmentsResult = Type.Object({
  created: Type.Array(Department),
  existing: Type.Array(Type.String(), { description: 'Nombres que ya existían; se dejaron como estaban' }),
});

export const OutboxMail = Type.Object({
  id: Type.Integer(),
  to: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const Invitation = Type.Object({ email: Type.String(), name: Type.String(), grants: Type.Array(GrantOut) });
export const Invited = Type.Object({ userId: Type.Integer(), created: Type.Boolean(), message: Type.String() });
