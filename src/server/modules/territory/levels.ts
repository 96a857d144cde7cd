import type { TerritorialLevel } from '../../db/types.ts';

/** Territorial levels, coarse to fine, then the installation's own units. */
export const LEVELS: TerritorialLevel[] = ['estado', 'municipio', 'localidad', 'ageb', 'manzana', 'colonia', 'poligono'];

/** Levels a territory file can be imported at. */
export const IMPORT_LEVELS: TerritorialLevel[] = LEVELS.filter((l) => l !== 'estado');
