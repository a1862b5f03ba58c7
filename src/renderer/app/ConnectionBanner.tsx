import { useEffect, useState } from 'react';
import { useConnectionStatus } from './services.js';

export function ConnectionBanner() {
  const status = useConnectionStatus();
  if (status.state !== 'disconnected') return null;
  return (
    <div className="banner-disconnected" role="alert">
      <strong>Disconnected</strong> from the Tunebench host{status.reason ? ` (${status.reason})` : ''}.{' '}
      {/* Keyed by the attempt, so each countdown starts from the moment it was scheduled. */}
      <RetryCountdown key={status.retryAt ?? 0} retryAt={status.retryAt} />
    </div>
  );
}

/** Counts down to the next attempt, ticking only while shown. */
function RetryCountdown({ retryAt }: { retryAt: number | undefined }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  const seconds = retryAt ? Math.max(0, Math.ceil((retryAt - now) / 1000)) : 0;
  return <>{seconds > 0 ? `Reconnecting in ${seconds} s…` : 'Reconnecting…'}</>;
}
