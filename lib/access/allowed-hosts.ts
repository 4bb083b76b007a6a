// Which requests the dashboard answers at all (run by proxy.ts on every request: pages, routes, server actions,
// static files). DNS rebinding makes a browser send a page's requests to 127.0.0.1 under the attacker's host
// name, with matching Host and Origin, which Next's own server-action check accepts; so the Host must be one of
// ours: the configured origin (LINEAGE_URL) or a loopback name on the served port. State-changing requests must
// also come from one of those origins (or carry no Origin, as scripts do), which refuses cross-site form posts
// with a quiet 403 instead of the 500 and error log of Next's check.
// Pure (no Node API): the proxy bundle imports it.

export interface AccessConfig {
  /** The port the dashboard is served on (Host headers of loopback names must carry it). */
  port: string;
  /** LINEAGE_URL, parsed; null when unset or not an http(s) URL (scripts/start.mjs refuses to start then). */
  site: URL | null;
  /** Origins (scheme://host[:port]) that may send state-changing requests. */
  origins: Set<string>;
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

let cached: { key: string; config: AccessConfig } | null = null;

/** The configuration of this process (PORT as Next's server sets it, LINEAGE_URL), computed once per value. */
export function accessConfig(env: Record<string, string | undefined> = process.env): AccessConfig {
  const port = env.PORT?.trim() || "3000";
  const url = env.LINEAGE_URL?.trim() ?? "";
  const key = `${port}\u0000${url}`;
  if (cached?.key === key) return cached.config;
  let site: URL | null = null;
  try {
    const u = new URL(url);
    if ((u.protocol === "http:" || u.protocol === "https:") && u.hostname) site = u;
  } catch {
    /* unset or invalid */
  }
  const origins = new Set(LOOPBACK_NAMES.map((h) => new URL(`http://${h}:${port}`).origin));
  if (site) origins.add(site.origin);
  const config = { port, site, origins };
  cached = { key, config };
  return config;
}

/** A Host header split into a lower-case name and its port ("" when absent); null when it is not a plain host[:port]. */
export function parseHost(value: string): { name: string; port: string } | null {
  // No user info, path or spaces: a URL parser would read "evil@localhost:3000" as localhost.
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  return m ? { name: m[1].toLowerCase(), port: m[2] ?? "" } : null;
}

function defaultPort(protocol: string): string {
  return protocol === "https:" ? "443" : "80";
}

/** Whether a Host (or X-Forwarded-Host) value names this dashboard. */
export function isAllowedHost(value: string, config: AccessConfig): boolean {
  const h = parseHost(value);
  if (!h) return false;
  if (LOOPBACK_NAMES.includes(h.name) && (h.port || "80") === config.port) return true;
  const site = config.site;
  if (site && h.name === site.hostname.toLowerCase()) {
    // No port in the Host means the scheme's default, as for the URL.
    return (h.port || defaultPort(site.protocol)) === (site.port || defaultPort(site.protocol));
  }
  return false;
}

/** Whether an Origin header is one of ours ("null" and anything unparseable are not). */
export function isAllowedOrigin(value: string, config: AccessConfig): boolean {
  try {
    return config.origins.has(new URL(value).origin);
  } catch {
    return false;
  }
}

export interface RequestFacts {
  method: string;
  host: string | null;
  forwardedHost: string | null;
  origin: string | null;
}

/** Why the request is refused (a short plain sentence for the 403 body), or null to let it through. */
export function refusalOf(req: RequestFacts, config: AccessConfig = accessConfig()): string | null {
  // Next's server-action check trusts X-Forwarded-Host over Host, and a rebinding page can set it: both must be ours.
  const forwarded = req.forwardedHost ? req.forwardedHost.split(",") : [];
  if (!req.host || !isAllowedHost(req.host, config) || forwarded.some((v) => !isAllowedHost(v, config))) {
    return "Forbidden: this dashboard answers only requests addressed to its own address (LINEAGE_URL) or to localhost on its port.\n";
  }
  if (!SAFE_METHODS.has(req.method.toUpperCase()) && req.origin !== null && !isAllowedOrigin(req.origin, config)) {
    return "Forbidden: cross-site request refused.\n";
  }
  return null;
}
