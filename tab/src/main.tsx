import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient, followCallStream } from './api';
import { App } from './app/App';
import { playBeep } from './app/beep';
import type { AppServices } from './app/services';
import { readConfig } from './config';
import { browserCopyDeps, createLinkStore } from './features/share';
import { connectTeamsHost } from './teams';

function safeStorage(kind: 'localStorage' | 'sessionStorage'): Storage | undefined {
  try {
    return window[kind];
  } catch {
    return undefined;
  }
}

async function start(): Promise<void> {
  const config = readConfig();
  const host = await connectTeamsHost({ timeoutMs: config.teamsInitTimeoutMs });
  const context = await host.getContext();
  const api = createApiClient({ baseUrl: config.apiBaseUrl, getToken: () => host.getAuthToken() });
  const storage = safeStorage('localStorage');
  const services: AppServices = {
    api,
    host,
    links: createLinkStore(storage),
    copy: browserCopyDeps((text) => host.copy(text)),
    followCalls: (handlers) =>
      followCallStream(
        { url: `${config.apiBaseUrl}/api/events`, headers: () => api.headers() },
        handlers,
      ),
    preferences: storage,
    session: safeStorage('sessionStorage'),
    beep: playBeep,
    apiBaseUrl: config.apiBaseUrl,
  };
  const root = document.getElementById('root');
  if (!root) throw new Error('#root is missing from index.html');
  createRoot(root).render(
    <StrictMode>
      <App
        services={services}
        context={context}
        env={{
          pathname: window.location.pathname,
          search: window.location.search,
          origin: window.location.origin,
          language: navigator.language,
          timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          matchMedia:
            typeof window.matchMedia === 'function' ? (q) => window.matchMedia(q) : undefined,
        }}
      />
    </StrictMode>,
  );
}

start().catch((error: unknown) => {
  console.error('One-Time Call tab failed to start', error);
  const root = document.getElementById('root');
  if (root) {
    root.setAttribute('role', 'alert');
    root.textContent = 'One-Time Call could not start. Reload the page to try again.';
  }
});
