import { hostname, networkInterfaces } from 'node:os';
/** The one place that reads process.env. Every setting has a default a new user can live with. */
export interface Config {
  port: number;
  host: string;
  amqpUrl: string;
  /** amqpUrl without its password, for logs and health replies. */
  amqpUrlSafe: string;
  amqpHost: string;
  amqpPort: number;
  managementUrl: string;
  managementUser: string;
  managementPassword: string;
  /** Host name outside clients should use to reach the broker. */
  publicAmqpHost: string;
  /** The management API as outside clients reach it (in exported scripts). */
  publicManagementUrl: string;
  vhostPrefix: string;
  sessionIdleMs: number;
  webDist: string;
  logLevel: string;
  /** How often queue depths are read while someone watches a session. */
  statsIntervalMs: number;
  /** Largest message payload accepted by the publish API, in bytes. */
  maxPayloadBytes: number;
  /** Where the SQLite store lives (WARREN_DATA_DIR, default ./data). */
  dataDir: string;
  /** PostgreSQL instead of SQLite, for several servers sharing one store (DATABASE_URL). */
  databaseUrl: string | undefined;
  /** Largest saved diagram document, in bytes (MAX_DOCUMENT_BYTES). */
  maxDocumentBytes: number;
  /** Sessions one client (IP address) may create per minute; 0: no limit (SESSION_CREATES_PER_MINUTE). */
  sessionCreatesPerMinute: number;
  /** Requests one client may make per minute to the API; 0: no limit (REQUESTS_PER_MINUTE). */
  requestsPerMinute: number;
  /** Producers one session's diagram may hold (MAX_PRODUCERS_PER_SESSION). */
  maxProducersPerSession: number;
  /** Messages per second all of a session's producers together may aim for (MAX_SESSION_PUBLISH_RATE). */
  maxSessionPublishRate: number;
  /**
   * Host names the server answers to (Host header) and takes state-changing requests and
   * websockets from (Origin header); '*' for any (ALLOWED_HOSTS, comma-separated).
   */
  allowedHosts: string[] | '*';
  /** Bytes all of a session's queues may hold together, enforced by an operator policy (MAX_SESSION_QUEUED_BYTES). */
  maxSessionQueuedBytes: number;
  /**
   * The shell command that stops and starts the broker, for lessons that show a real restart
   * (WARREN_BROKER_RESTART); undefined when the operator does not allow it.
   */
  brokerRestartCommand: string | undefined;
  /**
   * Sessions outlive a restart of the server: kept in the store, left on the broker at shutdown
   * and rebuilt at start (WARREN_KEEP_SESSIONS, default true; false ends them with the server).
   */
  keepSessions: boolean;
  /**
   * This server's name in session leases (WARREN_SERVER_NAME, default host name and port): the
   * same across restarts, so a restarted server takes its sessions back at once.
   */
  serverName: string;
  /** Kept sessions rebuilt at once at start (SESSION_RESTORE_CONCURRENCY). */
  sessionRestoreConcurrency: number;
  /**
   * Where the other Warren servers reach this one (INTERNAL_URL, default http://HOST:PORT, with
   * the host name when HOST is every interface); undefined: found out once listening (PORT=0).
   */
  internalUrl: string | undefined;
}

export class ConfigError extends Error {
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}=${JSON.stringify(value)} is not valid: expected ${expected}.`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, raw, `a whole number from ${min} to ${max}`);
  }
  return value;
}

function url(env: Env, name: string, fallback: string, protocols: string[]): URL {
  const raw = env[name] ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, raw, `a URL such as ${fallback}`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, raw, `a URL starting with ${protocols.join(' or ')}//`);
  }
  return parsed;
}

function databaseUrl(env: Env): string | undefined {
  if (env.DATABASE_URL === undefined || env.DATABASE_URL === '') return undefined;
  return url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/warren', [
    'postgres:',
    'postgresql:',
  ]).href;
}

/**
 * ALLOWED_HOSTS, or by default: this machine by name (localhost) and address, the host the
 * server listens on, and the public host names it is reached by (PUBLIC_ORIGIN,
 * PUBLIC_AMQP_HOST). A server listening on every interface answers on each of its addresses.
 */
function allowedHosts(env: Env): string[] | '*' {
  const raw = env.ALLOWED_HOSTS;
  if (raw === '*') return '*';
  const hosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
  if (raw !== undefined && raw !== '') {
    for (const host of raw.split(',').map((h) => h.trim().toLowerCase())) {
      if (!/^[a-z0-9.:[\]-]+$/.test(host))
        throw new ConfigError('ALLOWED_HOSTS', raw, "host names separated by commas, or '*'");
      hosts.add(host);
    }
  }
  const listen = env.HOST ?? '127.0.0.1';
  if (listen === '0.0.0.0' || listen === '::') {
    for (const addresses of Object.values(networkInterfaces()))
      for (const a of addresses ?? [])
        hosts.add(a.family === 'IPv6' ? `[${a.address.toLowerCase()}]` : a.address);
  } else hosts.add(listen.toLowerCase());
  if (env.PUBLIC_ORIGIN)
    hosts.add(
      url(env, 'PUBLIC_ORIGIN', 'https://warren.example', [
        'http:',
        'https:',
      ]).hostname.toLowerCase(),
    );
  if (env.PUBLIC_AMQP_HOST) hosts.add(env.PUBLIC_AMQP_HOST.toLowerCase());
  // The other Warren servers reach this one by its internal URL.
  if (env.INTERNAL_URL)
    hosts.add(
      url(env, 'INTERNAL_URL', 'http://warren-1:8080', ['http:', 'https:']).hostname.toLowerCase(),
    );
  if (listen === '0.0.0.0' || listen === '::') hosts.add(hostname().toLowerCase());
  return [...hosts];
}

/** What `WARREN_BROKER_RESTART=rabbitmqctl` (or `true`) runs: the broker application only. */
export const RABBITMQCTL_RESTART = 'rabbitmqctl stop_app && rabbitmqctl start_app';

/**
 * WARREN_BROKER_RESTART: unset, empty, `false`, `0`, `no` or `off` (the default) does not allow
 * restarts; `rabbitmqctl`, `true`, `1`, `yes` or `on` runs RABBITMQCTL_RESTART; anything else
 * is the shell command itself, run on the host of this server.
 */
export function brokerRestartCommand(env: Env): string | undefined {
  const raw = (env.WARREN_BROKER_RESTART ?? '').trim();
  const word = raw.toLowerCase();
  if (['', 'false', '0', 'no', 'off'].includes(word)) return undefined;
  if (['rabbitmqctl', 'true', '1', 'yes', 'on'].includes(word)) return RABBITMQCTL_RESTART;
  if (raw.length > 2000) {
    throw new ConfigError(
      'WARREN_BROKER_RESTART',
      raw,
      'a shell command of at most 2000 characters',
    );
  }
  return raw;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, raw, 'true or false');
}

function serverName(env: Env): string {
  const raw = env.WARREN_SERVER_NAME;
  if (raw === undefined || raw === '') return `${hostname()}:${env.PORT || '8080'}`.slice(0, 255);
  if (raw.length > 255) throw new ConfigError('WARREN_SERVER_NAME', raw, 'at most 255 characters');
  return raw;
}

function internalUrl(env: Env, port: number): string | undefined {
  if (env.INTERNAL_URL !== undefined && env.INTERNAL_URL !== '')
    return url(env, 'INTERNAL_URL', 'http://warren-1:8080', ['http:', 'https:']).origin;
  if (port === 0) return undefined;
  const listen = env.HOST ?? '127.0.0.1';
  const host = listen === '0.0.0.0' || listen === '::' ? hostname() : listen;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

export function loadConfig(env: Env = process.env): Config {
  const amqp = url(env, 'AMQP_URL', 'amqp://guest:guest@127.0.0.1:5672', ['amqp:', 'amqps:']);
  const amqpPort =
    amqp.port === '' ? (amqp.protocol === 'amqps:' ? 5671 : 5672) : Number(amqp.port);
  const management = url(env, 'MANAGEMENT_URL', `http://${amqp.hostname}:15672`, [
    'http:',
    'https:',
  ]);
  const safe = new URL(amqp.href);
  if (safe.password !== '') safe.password = '***';
  const publicAmqpHost = env.PUBLIC_AMQP_HOST ?? amqp.hostname;
  const publicManagement = new URL(management.origin);
  publicManagement.hostname = publicAmqpHost;
  const publicManagementUrl = url(env, 'PUBLIC_MANAGEMENT_URL', publicManagement.origin, [
    'http:',
    'https:',
  ]).origin;
  const prefix = env.WARREN_VHOST_PREFIX ?? 'warren-';
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(prefix)) {
    throw new ConfigError(
      'WARREN_VHOST_PREFIX',
      prefix,
      'letters, digits, dot, dash or underscore (at most 40)',
    );
  }
  const port = integer(env, 'PORT', 8080, 0, 65535);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    amqpUrl: amqp.href,
    amqpUrlSafe: safe.href,
    amqpHost: amqp.hostname,
    amqpPort,
    managementUrl: management.origin,
    managementUser: env.MANAGEMENT_USER ?? (decodeURIComponent(amqp.username) || 'guest'),
    managementPassword: env.MANAGEMENT_PASSWORD ?? (decodeURIComponent(amqp.password) || 'guest'),
    publicAmqpHost,
    publicManagementUrl,
    vhostPrefix: prefix,
    sessionIdleMs: integer(env, 'SESSION_IDLE_MINUTES', 60, 1, 60 * 24 * 30) * 60_000,
    webDist: env.WEB_DIST ?? new URL('../../web/dist', import.meta.url).pathname,
    logLevel: env.LOG_LEVEL ?? 'info',
    statsIntervalMs: integer(env, 'STATS_INTERVAL_MS', 500, 100, 60_000),
    maxPayloadBytes: integer(env, 'MAX_PAYLOAD_BYTES', 1024 * 1024, 1, 64 * 1024 * 1024),
    dataDir: env.WARREN_DATA_DIR || './data',
    databaseUrl: databaseUrl(env),
    maxDocumentBytes: integer(env, 'MAX_DOCUMENT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    allowedHosts: allowedHosts(env),
    sessionCreatesPerMinute: integer(env, 'SESSION_CREATES_PER_MINUTE', 60, 0, 1_000_000),
    requestsPerMinute: integer(env, 'REQUESTS_PER_MINUTE', 10_000, 0, 100_000_000),
    maxProducersPerSession: integer(env, 'MAX_PRODUCERS_PER_SESSION', 20, 1, 200),
    maxSessionPublishRate: integer(env, 'MAX_SESSION_PUBLISH_RATE', 5000, 1, 10_000_000),
    maxSessionQueuedBytes: integer(
      env,
      'MAX_SESSION_QUEUED_BYTES',
      1024 * 1024 * 1024,
      1024 * 1024,
      Number.MAX_SAFE_INTEGER,
    ),
    brokerRestartCommand: brokerRestartCommand(env),
    keepSessions: flag(env, 'WARREN_KEEP_SESSIONS', true),
    serverName: serverName(env),
    sessionRestoreConcurrency: integer(env, 'SESSION_RESTORE_CONCURRENCY', 4, 1, 256),
    internalUrl: internalUrl(env, port),
  };
}
