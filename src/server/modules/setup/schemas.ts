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

/** How far the first-run configuration has come. */
export const SetupProgress = Type.Object({
  institution: Type.Boolean(),
  municipalities: Type.Integer(),
  localities: Type.Integer(),
  active: Type.Integer(),
  departments: Type.Integer(),
  staff: Type.Integer(),
  pending: Type.Integer({ description: 'Personas invitadas que aún no aceptan' }),
  basemap: Type.Object(
    {
      listo: Type.Boolean({ description: 'Hay un mapa base propio servido por la instalación' }),
      estado: Type.Union([Type.Literal('construyendo'), Type.Literal('listo'), Type.Literal('error'), Type.Null()], {
        description: 'La reconstrucción en curso o la última de este proceso',
      }),
      zoom: Type.Union([Type.Integer(), Type.Null()]),
      teselas: Type.Integer(),
      error: Type.Union([Type.String(), Type.Null()]),
    },
    { description: 'Mapa base propio: se reconstruye solo al importar territorio o activar municipios' },
  ),
});
