import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { get, post } from './api/client.ts';
import type { Me, Role } from './api/accounts/index.ts';
import type { PublicConfig } from './api/system/index.ts';

interface Session {
  me: Me | null;
  config: PublicConfig | null;
  ready: boolean;
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
  /** Same rule as the server's hasRole: state-wide grants count everywhere, admin counts as every role. */
  can: (roles: Role[], municipalityId: string | null) => boolean;
}

const Ctx = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [config, setConfig] = useState<PublicConfig | null>(null);
  const [ready, setReady] = useState(false);
  const refresh = useCallback(async () => {
    const [m, c] = await Promise.all([get<Me | null>('/api/v1/auth/me'), get<PublicConfig>('/api/v1/config')]);
    setMe(m);
    setConfig(c);
    setReady(true);
  }, []);
  useEffect(() => {
    refresh().catch(() => setReady(true));
  }, [refresh]);
  const logout = useCallback(async () => {
    await post('/api/v1/auth/logout');
    setMe(null);
  }, []);
  const can = useCallback(
    (roles: Role[], municipalityId: string | null) =>
      !!me?.grants.some(
        (g) => (g.municipalityId === null || g.municipalityId === municipalityId) && (g.role === 'admin' || roles.includes(g.role)),
      ),
    [me],
  );
  return <Ctx.Provider value={{ me, config, ready, refresh, logout, can }}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export const isAdminSomewhere = (me: Me | null) => !!me?.grants.some((g) => g.role === 'admin');
export const isStateAdmin = (me: Me | null) => !!me?.grants.some((g) => g.role === 'admin' && g.municipalityId === null);
