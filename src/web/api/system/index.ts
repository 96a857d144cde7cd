import type * as S from '../../../server/modules/system/schemas.ts';
import type { Out } from '../wire.ts';

/** The public configuration the app reads at start, from the server's schema. */
export type PublicConfig = Out<typeof S.PublicConfig>;
export type BasemapInfo = PublicConfig['basemaps'][number];
