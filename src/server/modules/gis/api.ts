/** What other modules use of the GIS module. */
export { basemapStale, basemapState, scheduleBasemap, type BasemapJob } from './basemap-jobs.ts';
export { basemapFile, basemapInfo } from './basemap.ts';
export { dropOrphanPartitions } from './partitions.ts';
