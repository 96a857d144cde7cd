import type { Paged } from '../../../server/schemas.ts';
import type * as S from '../../../server/modules/accounts/schemas.ts';
import type * as I from '../../../server/modules/setup/schemas.ts';
import type { Out } from '../wire.ts';

/** What the accounts and setup operations answer, from the server's schemas. */
export type Role = Out<typeof S.RoleSchema>;
export type Grant = Out<typeof S.GrantOut>;
export type Me = NonNullable<Out<typeof S.Me>>;
export type AdminUser = Out<typeof S.UserOut>;
export type AdminUserPage = Out<ReturnType<typeof Paged<typeof S.UserOut>>>;
export type Department = Out<typeof S.Department>;
export type DepartmentsResult = Out<typeof S.DepartmentsResult>;
export type OutboxPage = Out<ReturnType<typeof Paged<typeof S.OutboxMail>>>;
export type Institution = Out<typeof I.InstitutionOut>;
export type SetupProgress = Out<typeof I.SetupProgress>;
export type Invitation = Out<typeof S.Invitation>;
export type Invited = Out<typeof S.Invited>;
