import { Type } from 'typebox';
import type { getInstallation } from './service.ts';

/** The institution's identity as the API answers it. */
export const InstitutionOut = Type.Object({
  institutionName: Type.Union([Type.String(), Type.Null()]),
  cveEnt: Type.Union([Type.String(), Type.Null()]),
  stateName: Type.Union([Type.String(), Type.Null()]),
  primaryColor: Type.String(),
  accentColor: Type.String(),
  logoUrl: Type.Union([Type.String(), Type.Null()], { description: 'PNG del logotipo; cambia de dirección cuando cambia' }),
});

export const institutionOut = (i: Awaited<ReturnType<typeof getInstallation>>) => ({
  institutionName: i.institution_name,
  cveEnt: i.cve_ent,
  stateName: i.state_name,
  primaryColor: i.primary_color,
  accentColor: i.accent_color,
  logoUrl: i.has_logo ? `/api/v1/installation/logo.png?v=${i.logo_version}` : null,
});
