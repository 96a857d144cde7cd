// What other modules may use of the installation: the institution's name and logo for documents.
export { institutionBrand } from './service.ts';
