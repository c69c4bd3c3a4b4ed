/** The parts of a knex connection config a pool name is made of; credentials are never read. */
interface ConnectionSettings {
  host?: unknown;
  server?: unknown;
  port?: unknown;
  database?: unknown;
  connectionString?: unknown;
}

/**
 * The contract's derived name of a knex pool, `host:port/database`, from knex's connection
 * settings (an object, or one holding a `connectionString` URL); `:port` or `/database` left
 * out when the config has none. Undefined without a host (a SQLite file, a config function
 * knex resolves later). The user and password are never read, not even from a URL.
 */
export function knexPoolName(settings: unknown): string | undefined {
  if (typeof settings !== 'object' || settings === null) return undefined;
  const connection = settings as ConnectionSettings;
  const fromUrl = typeof connection.connectionString === 'string' ? fromConnectionString(connection.connectionString) : undefined;
  const host = text(connection.host) ?? text(connection.server) ?? fromUrl?.host;
  if (host === undefined) return undefined;
  const port = text(connection.port) ?? fromUrl?.port;
  const database = text(connection.database) ?? fromUrl?.database;
  return `${hostPart(host)}${port === undefined ? '' : `:${port}`}${database === undefined ? '' : `/${database}`}`;
}

function fromConnectionString(value: string): { host?: string; port?: string; database?: string } | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const database = safeDecode(url.pathname.replace(/^\//, ''));
  return { host: text(url.hostname), port: text(url.port), database: text(database) };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// A host written with credentials (`user:secret@db`) keeps only what follows the last `@`;
// a bare IPv6 address is bracketed, so that its port stays readable.
function hostPart(host: string): string {
  const bare = host.slice(host.lastIndexOf('@') + 1);
  return bare.includes(':') && !bare.startsWith('[') ? `[${bare}]` : bare;
}
