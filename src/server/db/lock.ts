import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite is one process's database: a second process opening the same folder corrupts it. The
 * server and every CLI command that opens the embedded database hold `<data>/brujula.lock`
 * (created exclusively, holding the owner's pid); a lock whose process is gone is taken over.
 */
export interface LockOwner {
  pid: number;
  role: 'server' | 'cli';
  command: string;
  url?: string;
  since: string;
}

export class DataDirLockedError extends Error {
  constructor(readonly owner: LockOwner) {
    super(
      owner.role === 'server'
        ? `Brújula está en marcha con esta carpeta de datos (proceso ${owner.pid}${owner.url ? `, ${owner.url}` : ''}); detenga el servidor o use la API.`
        : `Otro comando de Brújula («${owner.command}», proceso ${owner.pid}) está usando esta carpeta de datos; espere a que termine.`,
    );
  }
}

const LOCK_FILE = 'brujula.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
    return Number.isInteger(o.pid) ? o : null;
  } catch {
    return null;
  }
}

/** The live owner of a data folder's lock, if any. */
export function lockOwner(dataDir: string): LockOwner | null {
  const owner = readOwner(path.join(dataDir, LOCK_FILE));
  return owner && owner.pid !== process.pid && alive(owner.pid) ? owner : null;
}

export interface DataDirLock {
  /** Records where the server listens, so a refused command can say it. */
  update(fields: Partial<Pick<LockOwner, 'url'>>): void;
  release(): void;
}

/** Takes the folder's lock or throws DataDirLockedError naming who holds it. */
export function lockDataDir(dataDir: string, role: LockOwner['role'], command: string): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  let owner: LockOwner = { pid: process.pid, role, command, since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(owner), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw e;
      const held = readOwner(file);
      if (held && held.pid !== process.pid && alive(held.pid)) throw new DataDirLockedError(held);
      // A crashed owner's lock (or an unreadable one): remove it and try again.
      fs.rmSync(file, { force: true });
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (readOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
  process.once('exit', release);
  return {
    update(fields) {
      owner = { ...owner, ...fields };
      fs.writeFileSync(file, JSON.stringify(owner));
    },
    release() {
      process.removeListener('exit', release);
      release();
    },
  };
}
