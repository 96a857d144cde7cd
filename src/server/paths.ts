import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installation's root folder (where package.json, migrations/ and dist/ live), found by walking
 * up from this file, so paths hold whether the code runs from src/ (tsx) or from the bundle in dist/.
 */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'brujula') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('No se encontró la carpeta de instalación de Brújula (package.json)');
    dir = up;
  }
}

export const ROOT = findRoot();
export const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
export const WEB_DIST = path.join(ROOT, 'dist/web');
export const MIGRATIONS_DIR = path.join(ROOT, 'migrations');
