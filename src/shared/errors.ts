/**
 * How the CLI exits on an error of this code: `input` (exit 2) when what was
 * given was wrong and running again unchanged cannot help, `failed` (exit 1)
 * when the request was fine but could not be carried out now (a conflict, a
 * failure, something missing on this machine).
 */
export type ErrorExitClass = 'input' | 'failed';

/** The HTTP status the web host answers with for an error of this code. */
export type ErrorHttpStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 500 | 502 | 503;

export interface ErrorCatalogueEntry {
  /** What happened and what to do; the documentation of the code. */
  doc: string;
  /** The message, `{name}` filled from the values the thrower gives. */
  template: string;
  exit: ErrorExitClass;
  http: ErrorHttpStatus;
}

/**
 * The error catalogue. Every error that can reach a user carries one of these
 * stable codes; the message template is the documented wording, `exit` the
 * CLI's exit class and `http` the web host's status (as fastify's errors carry
 * theirs). Errors cross every boundary (IPC, WebSocket, CLI output) as
 * `{ code, message }`.
 */
export const errorCatalogue = {
  TB_INVALID_PAYLOAD: {
    doc: 'A call or stream payload did not match the contract. The message names the field.',
    template: 'Invalid payload for "{call}": {detail}',
    exit: 'input',
    http: 400,
  },
  TB_UNKNOWN_CALL: {
    doc: 'The call name is not part of the contract.',
    template: 'Unknown call "{call}"',
    exit: 'input',
    http: 400,
  },
  TB_INVALID_SPEC: {
    doc: 'An experiment spec failed validation. The message names the field and the rule.',
    template: 'Invalid spec: {detail}',
    exit: 'input',
    http: 400,
  },
  TB_OPTION_OUT_OF_RANGE: {
    doc: 'An option is outside its type or range: a command-line option, a host setting (port, --node, the runs at once), or an option an engine class was constructed or called with. The message names the option, the rule and, where there was one, the value given.',
    template: '{option} must be {rule}',
    exit: 'input',
    http: 400,
  },
  TB_SCHEMA_INVALID: {
    doc: 'An options object or settings file (a leak rule, analysis or compare options, a connection profile, a service definition, the desktop settings.json) failed its schema. The message names it and each field with its rule.',
    template: '{what}: {problems}',
    exit: 'input',
    http: 400,
  },
  TB_UNEXPECTED_ARGUMENT: {
    doc: 'The command takes no argument here (or no more of them); see its usage with --help.',
    template: 'unexpected argument "{argument}"',
    exit: 'input',
    http: 400,
  },
  TB_ARGUMENT_COUNT: {
    doc: 'The command was given too few or too many arguments; the message says what it expects.',
    template: 'expected {expected}',
    exit: 'input',
    http: 400,
  },
  TB_OPTIONS_CONFLICT: {
    doc: 'Two options (or an option and an argument) that do not go together were given; the message says which and why.',
    template: 'give either {one} or {other}: {why}',
    exit: 'input',
    http: 400,
  },
  TB_NOTHING_GIVEN: {
    doc: 'The call or command needs an input it was not given (a results file, a report).',
    template: 'no {what} given',
    exit: 'input',
    http: 400,
  },
  TB_UNKNOWN_METRIC: {
    doc: 'A metric named to judge, analyse or gate on is not one the runs or sweep have; the message lists the metrics there are.',
    template: 'no metric {metric} {where}; metrics: {known}',
    exit: 'input',
    http: 400,
  },
  TB_NOT_ENOUGH_DATA: {
    doc: 'A statistic or comparison needs more than it was given (values, runs on a side, finished runs of a sweep point). Run more repeats, or choose runs that finished.',
    template: '{what} needs {needed}',
    exit: 'input',
    http: 400,
  },
  TB_RESIZE_DURING_RUN: {
    doc: 'A pool changes its thread count only between runs; jobs are still in flight. Wait for the run to end (or stop it) and resize then.',
    template: 'resize is only possible between runs; {inFlight} jobs are still in flight',
    exit: 'failed',
    http: 409,
  },
  TB_RUN_WRONG_KIND: {
    doc: 'The run is of another experiment kind than the call needs (e.g. a query plan of a pool run).',
    template: 'run {id} is a {kind} run, not a {expected} run',
    exit: 'input',
    http: 400,
  },
  TB_RUN_SPEC_UNREADABLE: {
    doc: 'The saved run\'s spec does not read as a spec of its kind any more (an edited file, or an older version\'s spec); what needs it cannot be done.',
    template: 'run {id} has no valid {kind} spec',
    exit: 'failed',
    http: 500,
  },
  TB_SWEEP_WRONG_KIND: {
    doc: 'The sweep is of another experiment kind than the call needs (external load results go only to a load sweep).',
    template: 'sweep "{id}" is a {kind} sweep; {why}',
    exit: 'input',
    http: 400,
  },
  TB_SWEEP_POINT_NOT_FOUND: {
    doc: 'The sweep has no point of this index; the message gives the range of its points.',
    template: 'sweep "{id}" has no point {point} (points 0 to {last})',
    exit: 'input',
    http: 404,
  },
  TB_STATEMENT_NOT_FOUND: {
    doc: 'The db run\'s query statistics have no statement with this hash.',
    template: 'run {id} has no statement {hash} in its query statistics',
    exit: 'input',
    http: 404,
  },
  TB_STATEMENT_NOT_PLANNABLE: {
    doc: 'The workload has no statement with this hash that PostgreSQL can plan (COPY and Tunebench\'s own statements have no plan), so there is no plan to explain.',
    template: 'the {workload} workload has no plannable statement {hash} (COPY and Tunebench\'s own statements have no plan)',
    exit: 'input',
    http: 400,
  },
  TB_DB_URL_INVALID: {
    doc: 'A PostgreSQL connection URL is not one Tunebench uses: not postgres://, without host, user or database, with a password in it (set PGPASSWORD or save a profile instead) or a parameter it does not read.',
    template: 'The connection URL {problem}',
    exit: 'input',
    http: 400,
  },
  TB_SERVICE_EXISTS: {
    doc: 'A service of this name is already saved; choose another name or edit the saved one.',
    template: 'A service named "{name}" is already saved',
    exit: 'input',
    http: 409,
  },
  TB_FILE_UNREADABLE: {
    doc: 'A file of the workbench\'s own (the desktop settings, the encrypted secrets) exists but cannot be read; the message has the reason and what to do.',
    template: '{file} cannot be read: {reason}',
    exit: 'failed',
    http: 500,
  },
  TB_FILE_NOT_JSON: {
    doc: 'A file of the workbench\'s own (the desktop settings, the saved connection profiles) is not valid JSON; fix or delete it.',
    template: '{file} is not valid JSON: {reason}',
    exit: 'failed',
    http: 500,
  },
  TB_UNKNOWN_KIND: {
    doc: 'The experiment kind is not registered.',
    template: 'Unknown experiment kind "{kind}"',
    exit: 'input',
    http: 400,
  },
  TB_UNKNOWN_TASK: {
    doc: 'The pool task name is not one of the known tasks.',
    template: 'Unknown task "{task}"; known tasks: {known}',
    exit: 'input',
    http: 400,
  },
  TB_INVALID_TASK_PARAMS: {
    doc: 'Task parameters failed validation before dispatch.',
    template: 'Invalid parameters for task "{task}": {detail}',
    exit: 'input',
    http: 400,
  },
  TB_QUEUE_FULL: {
    doc: 'The pool queue is at its maximum length; the job was rejected without running.',
    template: 'Task queue is full (max {maxQueue} queued jobs)',
    exit: 'failed',
    http: 503,
  },
  TB_POOL_CLOSED: {
    doc: 'A job was submitted to a pool that is closing or closed.',
    template: 'The pool is closed',
    exit: 'failed',
    http: 503,
  },
  TB_TASK_FAILED: {
    doc: 'The task threw inside its worker; the worker lives on.',
    template: 'Task "{task}" failed: {detail}',
    exit: 'failed',
    http: 500,
  },
  TB_WORKER_CRASHED: {
    doc: 'The worker running the job exited (crash, out of memory, terminate); the pool replaced it.',
    template: 'Worker crashed while running "{task}": {detail}',
    exit: 'failed',
    http: 500,
  },
  TB_JOB_ABORTED: {
    doc: 'The job was cancelled because its run was stopped.',
    template: 'Job aborted: the run was stopped',
    exit: 'failed',
    http: 409,
  },
  TB_RUN_NOT_FOUND: {
    doc: 'No saved or active run has this id.',
    template: 'Run "{id}" not found',
    exit: 'failed',
    http: 404,
  },
  TB_RUN_INTERRUPTED: {
    doc: 'The workbench stopped (killed, crashed, the machine went down) while the run was going; the record was rebuilt from the run\'s journal and holds what was measured until its last flush.',
    template: 'The workbench stopped during this run; the record holds what was measured until {at}',
    exit: 'failed',
    http: 500,
  },
  TB_RUN_UNSAVED: {
    doc: 'A finished run could not be written to the data directory (disk full, read-only, permissions). It is kept in memory: save it again once there is room, or download it.',
    template: 'Run "{id}" could not be saved ({detail}); it is kept in memory until the workbench quits: free space and save it again, or download it',
    exit: 'failed',
    http: 500,
  },
  TB_RUN_NOT_ACTIVE: {
    doc: 'Stop was asked for a run that is not running.',
    template: 'Run "{id}" is not running',
    exit: 'failed',
    http: 409,
  },
  TB_STORE_WRITE: {
    doc: 'A run record could not be written to the data directory.',
    template: 'Could not save run "{id}": {detail}',
    exit: 'failed',
    http: 500,
  },
  TB_SWEEP_NOT_FOUND: {
    doc: 'No saved or active sweep has this id.',
    template: 'Sweep "{id}" not found',
    exit: 'failed',
    http: 404,
  },
  TB_SWEEP_RUNNING: {
    doc: 'The sweep is running: it cannot be deleted or resumed until it ends or is stopped.',
    template: 'Sweep "{id}" is running; stop it first',
    exit: 'failed',
    http: 409,
  },
  TB_SWEEP_COMPLETE: {
    doc: 'Resume was asked for a sweep that has a completed run for every point and repeat.',
    template: 'Sweep "{id}" has a completed run for every point and repeat; nothing to resume',
    exit: 'failed',
    http: 409,
  },
  TB_SWEEP_NOT_ACTIVE: {
    doc: 'Stop was asked for a sweep that is not running.',
    template: 'Sweep "{id}" is not running',
    exit: 'failed',
    http: 409,
  },
  TB_COMPARE_KINDS: {
    doc: 'Compare was asked to put runs of different experiment kinds side by side (e.g. a pool run and a load run). Their metrics measure different things even where the names match (throughput in jobs/s versus requests/s), so nothing is compared. Compare runs of one kind.',
    template: 'Runs of different kinds cannot be compared: {detail}. Compare runs of one kind: their metrics measure different things even where the names match',
    exit: 'failed',
    http: 400,
  },
  TB_IMPORT_INVALID: {
    doc: 'An imported file is not a Tunebench run record or report.',
    template: 'Cannot import {file}: {detail}',
    exit: 'input',
    http: 400,
  },
  TB_EXPORT_REFUSED: {
    doc: 'A run or spec cannot be exported for another load tool as it is: the tool would read part of it differently (e.g. Artillery expands "{{" as a template). The message says what to change.',
    template: 'Cannot export to {tool}: {reason}',
    exit: 'input',
    http: 400,
  },
  TB_INVALID_ID: {
    doc: 'An id that would name a file in the data directory (run, sweep, artifact) is not a safe id, or the path built from it would leave its folder. Nothing was read, written or deleted.',
    template: 'Invalid {what} id "{id}": {detail}',
    exit: 'input',
    http: 400,
  },
  TB_ARTIFACT_NOT_FOUND: {
    doc: 'The run has no file of this name in its artifact list (or the file is gone from its folder).',
    template: 'Run "{runId}" has no file "{file}"',
    exit: 'failed',
    http: 404,
  },
  TB_ARTIFACT_TOO_LARGE: {
    doc: 'A run\'s file is larger than the app hands over in one piece; it stays in the run\'s folder of the data directory.',
    template: 'The file "{file}" is {mb} MB, more than the {limitMb} MB the app can hand over; open it from {path}',
    exit: 'failed',
    http: 413,
  },
  TB_TOO_MANY_RUNS: {
    doc: 'As many runs as the host allows at once are already running (a host setting: --max-runs for the CLI and web host). Stop one or wait for one to end.',
    template: 'Already running {running} of the {max} runs this workbench runs at once; stop one or wait for one to end',
    exit: 'failed',
    http: 409,
  },
  TB_UNAUTHORIZED: {
    doc: 'A web host request or socket did not carry the session token.',
    template: 'Missing or wrong session token',
    exit: 'failed',
    http: 401,
  },
  TB_FORBIDDEN_SENDER: {
    doc: 'An IPC message came from a frame that is not the workbench window.',
    template: 'IPC sender is not the Tunebench window',
    exit: 'failed',
    http: 403,
  },
  TB_FORBIDDEN_ORIGIN: {
    doc: 'A web host request named a Host or Origin other than this workbench on 127.0.0.1 (DNS rebinding or cross-site guard).',
    template: 'Request refused: {header} "{value}" is not this workbench',
    exit: 'failed',
    http: 403,
  },
  TB_DB_CONNECTION: {
    doc: 'Could not connect to PostgreSQL (unreachable host, wrong password, missing database, TLS, timeout). The message carries the server or network reason, never the password.',
    template: 'Could not connect to {target}: {detail}',
    exit: 'failed',
    http: 502,
  },
  TB_DB_LOST: {
    doc: 'The database went away during a run (server restart, network loss) and did not come back within 10 s, or was still away when the run ended; the run ends as failed with what it measured. A shorter outage is ridden out and recorded (db-lost and db-back events, the outages table).',
    template: 'The database connection was lost during the run: {detail}',
    exit: 'failed',
    http: 502,
  },
  TB_DB_QUERY: {
    doc: 'A query failed on the server (syntax, permission, read-only violation, timeout). The message has the SQLSTATE and the server text.',
    template: 'Query failed: {detail}',
    exit: 'failed',
    http: 502,
  },
  TB_DB_EMBEDDED: {
    doc: 'The embedded PostgreSQL server could not be initialised or started. The message has the reason from its log.',
    template: 'Embedded PostgreSQL failed: {detail}',
    exit: 'failed',
    http: 500,
  },
  TB_DB_PROFILE_NOT_FOUND: {
    doc: 'No saved connection profile has this id.',
    template: 'Connection profile "{id}" not found',
    exit: 'failed',
    http: 404,
  },
  TB_DB_PASSWORD_BOUND: {
    doc: 'A saved profile password is bound to the host, port, user, database and TLS mode it was entered for; the call (or an edited profiles file) would have sent it somewhere else. Nothing was sent; enter the password again for the new place.',
    template: 'The saved password of profile "{id}" is bound to {bound}; enter the password again to use it with {requested}',
    exit: 'failed',
    http: 403,
  },
  TB_DB_CLEARTEXT_PASSWORD: {
    doc: 'A password would have travelled unencrypted (sslmode=disable) to a host other than this machine; refused before connecting.',
    template: 'Refusing to send a password to {host} without TLS (sslmode=disable): use sslmode=require or verify-full, or a server on 127.0.0.1, ::1 or localhost',
    exit: 'failed',
    http: 403,
  },
  TB_DB_PRIVILEGED_ROLE: {
    doc: 'Your own SQL (the userQuery workload) would run on your server as a role that can read or write server files, run programs or end other sessions (superuser, or a member of pg_read_server_files, pg_write_server_files, pg_execute_server_program or pg_signal_backend). A READ ONLY transaction stops none of that. Connect as a less privileged role, or confirm with "allowPrivilegedRole": true.',
    template: 'Refusing to run your SQL on {target} as role "{role}", which {detail}; a READ ONLY transaction does not stop such a role from reading server files, running programs or ending other sessions. Connect as a role without these privileges, or confirm with "allowPrivilegedRole": true in the workload (the "Run my SQL as this privileged role" checkbox on the Database page)',
    exit: 'failed',
    http: 403,
  },
  TB_CHILD_FAILED: {
    doc: 'A child process the engine started (the cluster supervisor, a memory sandbox, the phase trace\'s sandbox, the embedded PostgreSQL\'s watchdog) could not start, never became ready or answered, or died.',
    template: '{name} failed: {detail}',
    exit: 'failed',
    http: 500,
  },
  TB_SERVICE_UNKNOWN: {
    doc: 'A spec, sweep or call names a service that no trusted definition has (saved in the app, a services file named with --services, a folder you trusted). Nothing was started. The message names the known services and where definitions come from.',
    template: 'No service "{name}" is defined; known services: {known}. {where}',
    exit: 'input',
    http: 404,
  },
  TB_KNOB_INVALID: {
    doc: 'A spec or sweep sets a knob the service does not declare, or a value outside the knob\'s type, range or list. Nothing was started. The message names the knob and the service\'s knobs or the allowed values.',
    template: 'Service "{service}" {detail}',
    exit: 'input',
    http: 400,
  },
  TB_SERVICE_FAILED: {
    doc: 'A service a run (or services.start / services check) started never became ready, exited during the run, or could not start (port already in use, missing directory or program). The message says which, with its last log lines; its whole process group is gone.',
    template: 'Service "{name}" {detail}',
    exit: 'failed',
    http: 502,
  },
  TB_SERVICES_FILE: {
    doc: 'A services file (tunebench.services.json) could not be read or is not valid; the message names the file and the field.',
    template: 'Cannot use services file {file}: {detail}',
    exit: 'input',
    http: 400,
  },
  TB_CLUSTER_NOT_RUNNING: {
    doc: 'The call needs the standing cluster (cluster.start, the Cluster page) and none is running, or it stopped meanwhile.',
    template: 'no cluster is running; start one first{alternative}',
    exit: 'failed',
    http: 409,
  },
  TB_CLUSTER_RUNNING: {
    doc: 'A cluster is already running (or starting or stopping); one at a time.',
    template: 'a cluster is already {state}; stop it first',
    exit: 'failed',
    http: 409,
  },
  TB_CLUSTER_NO_SUCH_SLOT: {
    doc: 'The cluster has no worker slot of this index; the message gives the range.',
    template: 'slot {slot} does not exist (slots 0..{last})',
    exit: 'input',
    http: 400,
  },
  TB_CLUSTER_SLOT_EMPTY: {
    doc: 'The worker slot has no live worker (or test server) right now: it is starting, restarting, backing off or gave up after a crash loop.',
    template: 'slot {slot} has no running {what}',
    exit: 'failed',
    http: 409,
  },
  TB_CLUSTER_WORKER_EXITED: {
    doc: 'A cluster worker (re)started by the supervisor exited before it listened, e.g. during a rolling restart.',
    template: 'worker {slot} exited before listening',
    exit: 'failed',
    http: 500,
  },
  TB_CONFIRM_REQUIRED: {
    doc: 'The action is costly (e.g. snapshotting a very large heap pauses the process and needs about twice its memory); repeat it with confirmation.',
    template: 'The heap of {subject} is {mb} MB: a snapshot pauses it and needs about twice that in free memory ({freeMb} MB free). Confirm to take it anyway.',
    exit: 'failed',
    http: 409,
  },
  TB_ATTACH_GONE: {
    doc: 'The process to attach to, or the attached one, has ended (or its pid now names another process). List the processes again.',
    template: 'Process {pid} is not running any more{detail}',
    exit: 'failed',
    http: 404,
  },
  TB_ATTACH_NOT_NODE: {
    doc: 'Attaching works only for Node.js processes (its executable is node or nodejs); nothing was sent to this one.',
    template: 'Process {pid} ({command}) is not a Node.js process; Tunebench attaches only to Node.js processes',
    exit: 'failed',
    http: 400,
  },
  TB_ATTACH_FORBIDDEN: {
    doc: 'The process belongs to another user. Tunebench attaches only to processes of the user it runs as, root included (root attaches to root\'s own processes only): opening an inspector in another user\'s process would hand that process to anyone on this machine. Nothing was sent to it.',
    template: 'Process {pid} belongs to user {owner}, and Tunebench runs as {self}: it attaches only to processes of its own user{detail}',
    exit: 'failed',
    http: 403,
  },
  TB_ATTACH_INSPECTOR_DISABLED: {
    doc: 'SIGUSR1 was sent but no inspector port appeared within 3 s: the process was started with --disable-sigusr1, handles SIGUSR1 itself, or runs under the permission model. It was left as it was; restart it with --inspect to inspect it.',
    template: 'Process {pid} opened no inspector within {seconds} s of SIGUSR1: its inspector is disabled (started with --disable-sigusr1, a SIGUSR1 handler of its own, or the permission model); start it with --inspect=127.0.0.1:0 to inspect it',
    exit: 'failed',
    http: 409,
  },
  TB_ATTACH_NOT_LOOPBACK: {
    doc: 'The process\'s inspector is set to listen (or listens) on an address other than 127.0.0.1 or ::1, where other machines could reach it; Tunebench does not open or use such an inspector, and closes one it opened.',
    template: 'The inspector of process {pid} {where}, not on a loopback address; Tunebench attaches only through 127.0.0.1 or ::1{detail}',
    exit: 'failed',
    http: 403,
  },
  TB_ATTACH_NOT_LISTED: {
    doc: 'Attaching goes only to a process of the last list of Node.js processes (so the pid is the process the user saw); list them again.',
    template: 'Process {pid} was not in the list of Node.js processes; list them again and attach to one of those',
    exit: 'failed',
    http: 409,
  },
  TB_ATTACH_SELF: {
    doc: 'The pid is the workbench\'s own process; it is inspectable as "Tunebench engine" without attaching.',
    template: 'Process {pid} is the workbench itself: look inside it as "Tunebench engine" among the inspectable processes',
    exit: 'failed',
    http: 400,
  },
  TB_ATTACH_BUSY: {
    doc: 'An attach to this process is already under way, or another workbench engine in this process holds it.',
    template: 'Process {pid} is already {how}',
    exit: 'failed',
    http: 409,
  },
  TB_ATTACH_PORT_TAKEN: {
    doc: 'The port where the process would open its inspector (Node opens it there or not at all) is taken by another process; nothing was sent to it.',
    template: 'Port {port}, where process {pid} would open its inspector, is taken by another process (another process attached, or a server); Node opens it there or not at all. Detach the other process or free the port; nothing was sent to process {pid}',
    exit: 'failed',
    http: 409,
  },
  TB_NOT_ATTACHED: {
    doc: 'Detach was asked for a process that is not attached.',
    template: 'Process {pid} is not attached',
    exit: 'failed',
    http: 404,
  },
  TB_ATTACH_INSPECTOR_REFUSED: {
    doc: 'The process\'s inspector did not accept Tunebench\'s connection; the message has its reason.',
    template: 'The inspector of process {pid} on {address} did not let Tunebench in: {reason}',
    exit: 'failed',
    http: 502,
  },
  TB_INSPECTOR_LEFT_OPEN: {
    doc: 'Tunebench detached, but the inspector it had opened in the process stayed open; only restarting the process closes it.',
    template: 'Detached from process {pid}, but its inspector is still open on port {port}; restart the process to close it',
    exit: 'failed',
    http: 500,
  },
  TB_INSPECTION_FAILED: {
    doc: 'An inspection (CPU profile, heap snapshot, allocation profile) of an attached process failed inside it; the message has its reason.',
    template: '{command} of process {pid} failed: {reason}',
    exit: 'failed',
    http: 502,
  },
  TB_NOT_ON_THIS_PLATFORM: {
    doc: 'The capability needs something this operating system does not have (attaching to running processes needs Linux and its /proc).',
    template: '{what} needs {needs}, which this machine does not have',
    exit: 'failed',
    http: 503,
  },
  TB_NOT_BUILT: {
    doc: 'A built file the engine runs (a worker, the cluster supervisor, the memory sandbox, the service preload) is missing: the workbench was not built, or not completely.',
    template: '{file} is missing: build the workers first (npm run build)',
    exit: 'failed',
    http: 503,
  },
  TB_SHUTTING_DOWN: {
    doc: 'The engine (or the host) is shutting down; the call was not run.',
    template: 'The {what} is shutting down',
    exit: 'failed',
    http: 503,
  },
  TB_PORT_IN_USE: {
    doc: 'The port chosen for the web host (--port) is taken by another process; choose another or 0 for a free one.',
    template: 'Port {port} on {host} is already in use',
    exit: 'failed',
    http: 409,
  },
  TB_SUBJECT_NOT_FOUND: {
    doc: 'No inspectable process has this id (it ended, or never was one); the message lists the known ones.',
    template: 'No process "{id}" to inspect (known: {known})',
    exit: 'failed',
    http: 404,
  },
  TB_PROCESS_ENDED: {
    doc: 'The inspected process ended before the inspection could be sent or answered.',
    template: 'The process ended {when}',
    exit: 'failed',
    http: 404,
  },
  TB_PROBE_TIMEOUT: {
    doc: 'The inspected process did not answer an inspection in time (busy event loop, or it hung).',
    template: '{command} got no answer within {ms} ms',
    exit: 'failed',
    http: 503,
  },
  TB_PROBE_FAILED: {
    doc: 'An inspection (heap snapshot, CPU or allocation profile) failed inside the inspected process; the message has its reason.',
    template: '{command} failed inside the process: {reason}',
    exit: 'failed',
    http: 502,
  },
  TB_SANDBOX_EXITED: {
    doc: 'The memory sandbox process exited while it ran the scenario (crash, out of memory, killed); the run ends as failed with what it measured.',
    template: 'The memory sandbox exited during the scenario: {reason}',
    exit: 'failed',
    http: 500,
  },
  TB_HOST_DISCONNECTED: {
    doc: 'The page is not connected to the Tunebench host (it is reconnecting, or the connection was closed); the call was not sent.',
    template: 'Not connected to the Tunebench host ({state}); "{call}" was not sent',
    exit: 'failed',
    http: 503,
  },
  TB_CONNECTION_LOST: {
    doc: 'The connection to the Tunebench host closed while a call was waiting for its answer; the call may or may not have run.',
    template: '"{call}" failed: {reason}',
    exit: 'failed',
    http: 503,
  },
  TB_NOT_FOUND: {
    doc: 'The web host has nothing at this path: no file of the app, and no WebSocket endpoint (the only one is /ws).',
    template: 'Nothing to serve at {path}',
    exit: 'input',
    http: 404,
  },
  TB_METHOD_NOT_ALLOWED: {
    doc: 'The web host serves its files to GET and HEAD only; everything else goes over the WebSocket.',
    template: 'Method {method} is not allowed here; use {allowed}',
    exit: 'input',
    http: 405,
  },
  TB_BAD_REQUEST: {
    doc: 'The web host could not read the request\'s URL.',
    template: 'The request URL cannot be read',
    exit: 'input',
    http: 400,
  },
  TB_INTERNAL: {
    doc: 'An unexpected failure inside the engine; the engine keeps running.',
    template: 'Internal error: {detail}',
    exit: 'failed',
    http: 500,
  },
  TB_NODE_NOT_FOUND: {
    doc: 'Subject processes (cluster, memory sandbox, phase trace) run on the user\'s Node.js, chosen in the host (CLI and web host --node, the desktop app\'s settings.json) or found on PATH; there was none. The message names the setting.',
    template: 'Node.js was not found on PATH; subject processes run on your own Node.js (20 or later): install it or choose one with {setting}',
    exit: 'failed',
    http: 503,
  },
} as const satisfies Record<string, ErrorCatalogueEntry>;

export type ErrorCode = keyof typeof errorCatalogue;

/** Whether a string is a code of the catalogue (own keys only). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorCatalogue, code);
}

/** The catalogue entry of a code. */
export function errorEntry(code: ErrorCode): ErrorCatalogueEntry {
  return errorCatalogue[code];
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

export class TunebenchError extends Error {
  readonly code: ErrorCode;

  /**
   * `options.cause` is the lower error this one wraps (ES2022 Error cause), for
   * logs and debugging; it never crosses a boundary (`toPayload` is
   * `{code, message}` only).
   */
  constructor(code: ErrorCode, values: Record<string, string | number> = {}, options?: { cause?: unknown }) {
    super(fill(errorCatalogue[code].template, values), options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = 'TunebenchError';
  }

  /** Rebuilds an error received as `{code, message}` without re-templating. */
  static fromPayload(payload: ErrorPayload): TunebenchError {
    const error = new TunebenchError(isErrorCode(payload.code) ? payload.code : 'TB_INTERNAL');
    error.message = payload.message;
    return error;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message };
  }
}

/** Any thrown value as the payload that crosses a boundary. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof TunebenchError) return error.toPayload();
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const { code, message } = error as { code: unknown; message: unknown };
    if (isErrorCode(code) && typeof message === 'string') {
      return { code, message };
    }
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new TunebenchError('TB_INTERNAL', { detail }).toPayload();
}
