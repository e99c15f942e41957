import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient, CallStreamHandlers } from '../api';
import type { CopyDeps } from '../features/share/copy';
import type { LinkStore } from '../features/share/link-store';
import type { TeamsHost } from '../teams';

/** Everything features talk to, injected once so tests can pass fakes. */
export type AppServices = {
  readonly api: ApiClient;
  readonly host: TeamsHost;
  readonly links: LinkStore;
  readonly copy: CopyDeps;
  /** Follows the call event stream; returns the function that stops it. */
  readonly followCalls: (handlers: CallStreamHandlers) => () => void;
  /** Persisted agent preferences. */
  readonly preferences: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  /** Remembered until the browser tab closes (`sessionStorage`): notices the agent dismissed. */
  readonly session: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  /** The API's origin prefix for the call's signalling (`''`: the tab's own origin). */
  readonly apiBaseUrl?: string | undefined;
  /** Plays the short "customer waiting" sound. */
  readonly beep: () => void;
};

const ServicesContext = createContext<AppServices | undefined>(undefined);

export function ServicesProvider({
  services,
  children,
}: {
  services: AppServices;
  children: ReactNode;
}) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesProvider');
  return services;
}
