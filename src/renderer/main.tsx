import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from '../shared/client.js';
import type { TunebenchBridge } from '../shared/contract.js';
import { TOKEN_PARAM, WEB_SOCKET_PATH } from '../shared/wire-address.js';
import { App } from './app/App.js';
import { pageForRoute } from './app/pages.js';
import { parseHash } from './app/router.js';
import { ServicesProvider, type Services } from './app/services.js';
import { alwaysOpenConnection, type HostConnection } from './bridge/connection.js';
import { hostSocketUrl, takeSessionToken, WebSocketBridge } from './bridge/websocket-bridge.js';
import { LiveRunsStore } from './runs/live-runs.js';
import './styles.css';

/**
 * The only place that knows about hosts: Electron's preload provides
 * `window.tunebench`; otherwise the page came from the web host and talks to
 * it over its WebSocket.
 */
function connect(): { bridge: TunebenchBridge; connection: HostConnection } {
  const preloaded = (window as { tunebench?: TunebenchBridge }).tunebench;
  if (preloaded) return { bridge: preloaded, connection: alwaysOpenConnection };
  const token = takeSessionToken(window, TOKEN_PARAM);
  const socket = new WebSocketBridge({
    url: hostSocketUrl(window.location, WEB_SOCKET_PATH, TOKEN_PARAM, token),
    ...(token
      ? {}
      : { unexplainedCloseReason: 'this tab has no session token: open the address the Tunebench host printed, which carries it' }),
  });
  return { bridge: socket, connection: socket };
}

// The first page's code loads while the shell starts, not after it has rendered.
pageForRoute(parseHash(window.location.hash)).preload();

const { bridge, connection } = connect();
const client = createClient(bridge);
const services: Services = { client, liveRuns: new LiveRunsStore(client), connection };

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ServicesProvider services={services}>
      <App />
    </ServicesProvider>
  </StrictMode>,
);
