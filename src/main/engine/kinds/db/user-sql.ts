import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { TunebenchError } from '../../../../shared/errors.js';
import { connectClient, quoteIdent, ResolvedTarget, TUNEBENCH_SCHEMA } from '../../postgres/connection.js';
import { QUERY_ROLE } from '../../postgres/embedded-server.js';
import { ensureSchema } from './workloads.js';

/**
 * Where user SQL (the userQuery workload) may run, and as whom.
 *
 * A READ ONLY transaction is not a security boundary: it does not stop
 * COPY ... TO PROGRAM, pg_read_file, pg_terminate_backend or session advisory
 * locks, and the statement itself can try SET TRANSACTION READ WRITE. So:
 * - on the embedded server user SQL runs as QUERY_ROLE (no superuser, member of
 *   no role, SELECT on the tunebench schema only), never as the superuser;
 * - on a user's server it runs as the profile's role, refused when that role is a
 *   superuser or a member of one of DANGEROUS_ROLES unless the spec confirms;
 * - it runs on connections of its own that are closed when the run ends, and any
 *   that outlived the pool are ended (session locks and settings go with them).
 */
export const DANGEROUS_ROLES = [
  'pg_execute_server_program',
  'pg_read_server_files',
  'pg_signal_backend',
  'pg_write_server_files',
] as const;

export interface RoleCheck {
  role: string;
  superuser: boolean;
  /** DANGEROUS_ROLES the role is a member of (directly or not). */
  memberships: string[];
}

/** What the connected role may do beyond reading, as the session sees it. */
export async function checkRole(client: pg.Client): Promise<RoleCheck> {
  const { rows } = await client.query<{ role: string; superuser: boolean; memberships: string[] }>(
    `SELECT current_user AS role,
            r.rolsuper AS superuser,
            ARRAY(SELECT g.rolname::text FROM pg_roles g
                  WHERE g.rolname = ANY ($1::text[]) AND pg_has_role(current_user, g.oid, 'MEMBER')
                  ORDER BY g.rolname) AS memberships
     FROM pg_roles r WHERE r.rolname = current_user`,
    [DANGEROUS_ROLES],
  );
  const row = rows[0];
  if (!row) throw new TunebenchError('TB_DB_QUERY', { detail: 'could not read the connected role from pg_roles' });
  return { role: row.role, superuser: row.superuser, memberships: row.memberships };
}

/** "is a superuser" / "is a member of pg_read_server_files and pg_signal_backend"; undefined for a harmless role. */
export function describeDanger(check: RoleCheck): string | undefined {
  if (check.superuser) return 'is a superuser';
  if (!check.memberships.length) return undefined;
  const names = check.memberships;
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `is a member of ${list}`;
}

/** Makes sure the query role can read Tunebench's tables and nothing else of them (idempotent, safe to race). */
async function grantTunebenchSchema(admin: pg.Client): Promise<void> {
  const schema = quoteIdent(TUNEBENCH_SCHEMA);
  await admin.query('BEGIN');
  try {
    // Two runs starting at once must not update the same catalog rows concurrently.
    await admin.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['tunebench.query-role-grants']);
    await ensureSchema(admin);
    await admin.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${QUERY_ROLE}`);
    await admin.query(`GRANT USAGE ON SCHEMA ${schema} TO ${QUERY_ROLE}`);
    await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${QUERY_ROLE}`);
    await admin.query('COMMIT');
  } catch (error) {
    await admin.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

export interface UserSqlTarget {
  target: ResolvedTarget;
  /** What the record's environment says about the role (e.g. "tunebench_query (restricted)"). */
  roleNote: string;
  /** Set when the user confirmed running as a privileged role: the event to record. */
  confirmedDanger?: string;
}

/**
 * Decides where user SQL runs. Embedded: the restricted query role, checked
 * once more on a connection of its own. A user's server: the profile's role,
 * refused with TB_DB_PRIVILEGED_ROLE if it is privileged and the spec did not confirm.
 */
export async function userSqlTarget(options: {
  target: ResolvedTarget;
  admin: pg.Client;
  embeddedQueryTarget: () => Promise<ResolvedTarget>;
  allowPrivilegedRole: boolean;
  connectionTimeoutMillis: number;
}): Promise<UserSqlTarget> {
  const { target, admin } = options;
  const runName = `tunebench-sql-${randomBytes(4).toString('hex')}`;
  if (target.embedded) {
    await grantTunebenchSchema(admin);
    const restricted = await options.embeddedQueryTarget();
    const probe = await connectClient(restricted, options.connectionTimeoutMillis);
    try {
      const danger = describeDanger(await checkRole(probe));
      if (danger) throw new TunebenchError('TB_INTERNAL', { detail: `the embedded query role ${QUERY_ROLE} ${danger}` });
    } finally {
      await probe.end().catch(() => {});
    }
    return { target: withApplicationName(restricted, runName), roleNote: `${QUERY_ROLE} (restricted)` };
  }
  const check = await checkRole(admin);
  const danger = describeDanger(check);
  if (danger && !options.allowPrivilegedRole) {
    throw new TunebenchError('TB_DB_PRIVILEGED_ROLE', { target: target.label, role: check.role, detail: danger });
  }
  return {
    target: withApplicationName(target, runName),
    roleNote: danger ? `${check.role} (${danger}; confirmed)` : check.role,
    ...(danger ? { confirmedDanger: `your SQL runs as "${check.role}", which ${danger} (confirmed with allowPrivilegedRole)` } : {}),
  };
}

/** Marks a run's user-SQL connections so that only they are ever ended (a pid alone may be reused). */
function withApplicationName(target: ResolvedTarget, name: string): ResolvedTarget {
  return { ...target, config: { ...target.config, application_name: name } };
}

const LEFTOVER_WAIT_MS = 5_000;

/**
 * Ends any connection of this run's user-SQL pool still open after the pool
 * closed (a client stuck past the pool's end timeout), and waits until they are
 * gone: a session advisory lock or setting never outlives the run.
 */
export async function endLeftoverSessions(admin: pg.Client, target: ResolvedTarget, pids: number[]): Promise<void> {
  if (!pids.length) return;
  const applicationName = String(target.config.application_name ?? '');
  const leftover = async () =>
    (
      await admin.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE pid = ANY ($1::int[]) AND application_name = $2',
        [pids, applicationName],
      )
    ).rows.map((row) => row.pid);
  const deadline = performance.now() + LEFTOVER_WAIT_MS;
  let remaining = await leftover();
  if (!remaining.length) return;
  await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [remaining]);
  while (remaining.length && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    remaining = await leftover();
  }
}
