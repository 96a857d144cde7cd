// Shapes of the API responses the web app reads (see /api/v1/openapi.json).
export type Role = 'admin' | 'planner' | 'enlace' | 'council' | 'citizen';

export interface Grant {
  id: number;
  municipalityId: string | null;
  municipalityName: string | null;
  role: Role;
  departmentId: number | null;
  departmentName: string | null;
}

export interface Me {
  id: number;
  email: string;
  name: string;
  homeMunicipalityId: string | null;
  grants: Grant[];
}

export interface BasemapInfo {
  url: string;
  tileType: string;
  minZoom: number;
  maxZoom: number;
  bounds: number[];
  vectorLayers: string[];
  name: string;
  attribution: string;
}

export interface PublicConfig {
  version: string;
  demo: boolean;
  basemapUrl: string;
  basemaps: BasemapInfo[];
  database: string;
  defaultMunicipalityId: string | null;
  institution: Institution;
  /** No installation-wide admin exists yet (a new installation). */
  setupPending: boolean;
}

export interface Institution {
  institutionName: string | null;
  cveEnt: string | null;
  stateName: string | null;
  primaryColor: string;
  accentColor: string;
  logoUrl: string | null;
}

export interface Municipality {
  id: string;
  cveEnt: string;
  name: string;
  active: boolean;
  isDemo: boolean;
  population: number | null;
  /** Geodesic area (on the ellipsoid). */
  areaKm2: number | null;
  /** Planar area in EPSG:6372, as INEGI's tables give it. */
  areaKm2Planar: number | null;
}

export interface MunicipalityDetail extends Municipality {
  unitId: number | null;
  bbox: [number, number, number, number] | null;
  levels: Record<string, number>;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export interface AdminUser {
  id: number;
  email: string;
  name: string;
  status: 'active' | 'blocked';
  emailVerifiedAt: string | null;
  homeMunicipalityId: string | null;
  createdAt: string;
  lastLoginAt: string | null;
  isDemo: boolean;
  grants: Grant[];
}

export interface AuditEntry {
  id: number;
  municipalityId: string | null;
  at: string;
  actorId: number | null;
  actorName: string | null;
  via: string | null;
  action: 'insert' | 'update' | 'delete' | 'event';
  entity: string;
  entityId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface Department {
  id: number;
  municipalityId: string;
  name: string;
  acronym: string | null;
}
