/** What other modules use of the GIS module. */
export { basemapJob, basemapStale, scheduleBasemap, type BasemapJob } from './basemap-jobs.ts';
