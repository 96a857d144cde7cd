import TinySDF from '@mapbox/tiny-sdf';
import { PbfWriter } from 'pbf';
import * as maplibregl from 'maplibre-gl';

/**
 * Map labels without font files or a glyph server: MapLibre asks for glyph ranges in its PBF format
 * (256 characters each) and this protocol draws them from the browser's own sans-serif font as
 * signed distance fields with tiny-sdf — what MapLibre itself does for CJK characters. A Spanish
 * label only needs the first range (Latin-1: á, é, ñ, ü…), drawn once per page (~50 ms).
 */
export const GLYPHS_URL = 'brujula-glyphs://{fontstack}/{range}';
export const LABEL_FONT = ['Sans Regular'];
export const LABEL_FONT_BOLD = ['Sans Bold'];

const FAMILY = 'system-ui, "Noto Sans", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif';
// MapLibre's glyph metrics: 24 px, a 3 px border around each bitmap, the baseline 27 px below the top.
const SIZE = 24;
const BORDER = 3;

const drawers = new Map<string, TinySDF>();

function range(fontstack: string, start: number): ArrayBuffer {
  const bold = /bold/i.test(fontstack);
  let sdf = drawers.get(String(bold));
  if (!sdf) {
    sdf = new TinySDF({ fontSize: SIZE, buffer: BORDER, radius: 8, cutoff: 0.25, fontFamily: FAMILY, fontWeight: bold ? '700' : '400' });
    drawers.set(String(bold), sdf);
  }
  const draw = sdf;
  const pbf = new PbfWriter();
  pbf.writeMessage(
    1,
    () => {
      pbf.writeStringField(1, fontstack);
      pbf.writeStringField(2, `${start}-${start + 255}`);
      for (let id = start; id < start + 256; id++) {
        // Control characters have nothing to draw.
        if (id < 32 || (id >= 127 && id < 160)) continue;
        const g = draw.draw(String.fromCodePoint(id));
        pbf.writeMessage(
          3,
          () => {
            pbf.writeVarintField(1, id);
            if (g.glyphWidth > 0 && g.glyphHeight > 0) pbf.writeBytesField(2, g.data as unknown as Uint8Array);
            pbf.writeVarintField(3, Math.max(g.glyphWidth, 0));
            pbf.writeVarintField(4, Math.max(g.glyphHeight, 0));
            pbf.writeSVarintField(5, Math.round(g.glyphLeft));
            pbf.writeSVarintField(6, Math.round(g.glyphTop - 27));
            pbf.writeVarintField(7, Math.round(g.glyphAdvance));
          },
          undefined,
        );
      }
    },
    undefined,
  );
  const bytes = pbf.finish();
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

let registered = false;
export function registerGlyphs() {
  if (registered) return;
  registered = true;
  maplibregl.addProtocol('brujula-glyphs', async (params) => {
    const m = /^brujula-glyphs:\/\/([^/]+)\/(\d+)-\d+/.exec(params.url);
    if (!m) throw new Error(`Glifos: dirección no válida ${params.url}`);
    return { data: range(decodeURIComponent(m[1]), Number(m[2])) };
  });
}
