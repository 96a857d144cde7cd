// What other modules may use of the programs module: a POA action made from another module's record,
// and the published photos of works (for report PDFs).
export { createAction, latestPhotos, publishedEvidence } from './service.ts';
