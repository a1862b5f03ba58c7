import { useEffect, useState } from 'react';
import { useConnectionStatus } from './services.js';

export function ConnectionBanner() {
  const status = useConnectionStatus();
  const [now, setNow] = useState(Date.now());
  const disconnected = status.state === 'disconnected';

  // Ticks only while disconnected, to count down to the next attempt.
  useEffect(() => {
    if (!disconnected) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [disconnected]);

  if (!disconnected) return null;
  const seconds = status.retryAt ? Math.max(0, Math.ceil((status.retryAt - now) / 1000)) : 0;
  return (
    <div className="banner-disconnected" role="alert">
      <strong>Disconnected</strong> from the Tunebench host{status.reason ? ` (${status.reason})` : ''}.{' '}
      {seconds > 0 ? `Reconnecting in ${seconds} s…` : 'Reconnecting…'}
    </div>
  );
}
