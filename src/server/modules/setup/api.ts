// What other modules may use of the installation: its identity for documents and the public config.
export { InstitutionOut, institutionOut } from './schemas.ts';
export { getInstallation, institutionBrand } from './service.ts';
