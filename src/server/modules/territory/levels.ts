import type { TerritorialLevel } from '../../db/types.ts';

/** Territorial levels, coarse to fine, then the installation's own units. */
export const LEVELS: TerritorialLevel[] = ['municipio', 'localidad', 'ageb', 'manzana', 'colonia', 'poligono'];
