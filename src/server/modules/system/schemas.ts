import { Type } from 'typebox';
import { InstitutionOut } from '../setup/schemas.ts';

/** The public runtime configuration the web app reads at start. */
export const PublicConfig = Type.Object({
  version: Type.String(),
  demo: Type.Boolean(),
  basemapUrl: Type.String(),
  basemaps: Type.Array(
    Type.Object({
      url: Type.String(),
      tileType: Type.String(),
      minZoom: Type.Integer(),
      maxZoom: Type.Integer(),
      bounds: Type.Array(Type.Number()),
      vectorLayers: Type.Array(Type.String()),
      name: Type.String(),
      attribution: Type.String(),
    }),
    { description: 'Mapas base PMTiles servidos por la instalación (carpeta basemap de los datos)' },
  ),
  database: Type.String(),
  defaultMunicipalityId: Type.Union([Type.String(), Type.Null()]),
  institution: InstitutionOut,
  setupPending: Type.Boolean({ description: 'Aún no existe ninguna cuenta de administración estatal (instalación nueva)' }),
});
