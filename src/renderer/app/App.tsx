import { Suspense, useEffect, type MouseEvent } from 'react';
import { ErrorNote } from '../components/ErrorNote.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { pageForRoute, pages } from './pages.js';
import { href, useRoute } from './router.js';
import { useConnectionEpoch, useServices } from './services.js';
import { useCall } from './use-call.js';

/** The hash is the router's: the skip link moves focus to the page instead of navigating. */
function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById('main-content')?.focus();
}

export function App() {
  const { liveRuns } = useServices();
  const route = useRoute();
  const epoch = useConnectionEpoch();
  const { data: info, error: infoError } = useCall('app.info', {});

  useEffect(() => {
    // Runs may have started or ended while the connection was down.
    liveRuns.resync().catch(() => {});
  }, [liveRuns, epoch]);

  const page = pageForRoute(route);
  const Page = page.component;

  return (
    <div className="shell">
      <a className="skip-link" href="#main-content" onClick={skipToMain}>
        Skip to main content
      </a>
      <header className="app-header">
        <span className="brand">Tunebench</span>
        {info && (
          <dl className="app-facts" aria-label="Application">
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Host</dt>
            <dd>{info.host}</dd>
            <dt>Data</dt>
            <dd className="path" title={info.dataDir}>
              {info.dataDir}
            </dd>
          </dl>
        )}
      </header>
      <ConnectionBanner />
      {infoError && <ErrorNote error={infoError} title="Could not reach the engine" />}
      {info?.warnings.map((warning) => (
        <div key={warning} className="warning app-warning" role="status">
          {warning}
        </div>
      ))}
      <div className="body">
        <nav className="side-nav" aria-label="Pages">
          <ul>
            {pages.map((entry) => (
              <li key={entry.id}>
                <a href={href(`/${entry.id}`)} aria-current={entry === page ? 'page' : undefined}>
                  {entry.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main className="content" id="main-content" tabIndex={-1}>
          <Suspense fallback={<p className="muted">Loading…</p>}>
            <Page route={route} />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
