// Where `npm start` listens: loopback unless HOST says otherwise. On loopback without accounts the dashboard is
// open to its one user (no sign-in). On any other address everyone must sign in (lib/access/roles.ts), so a
// non-loopback HOST needs LINEAGE_URL, the address people open (the dashboard answers only requests addressed to it,
// and the setup link and the single sign-on callback are built on it); or the operator explicitly accepts an open
// dashboard on the network (LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK=1). Plain JavaScript: scripts/start.mjs runs it
// before anything is built.
import net from "node:net";

export const DEFAULT_HOST = "127.0.0.1";
export const OPT_IN_VARIABLE = "LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK";

/** Whether a listen address only accepts connections from this machine. */
export function isLoopbackHost(host) {
  const h = String(host)
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const kind = net.isIP(h);
  if (kind === 4) return h.startsWith("127.");
  if (kind === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    if (mapped) return mapped[1].startsWith("127.");
    return h === "::1" || /^(0{1,4}:){7}0{0,3}1$/.test(h);
  }
  return false;
}

/** `http://host:port` with IPv6 addresses in brackets. */
export function urlOf(host, port) {
  const h = String(host).replace(/^\[(.*)\]$/, "$1");
  return `http://${net.isIP(h) === 6 ? `[${h}]` : h}:${port}`;
}

/**
 * The address to listen on, or why not to start: `{ ok: true, host, loopback, open }` or `{ ok: false, message }`;
 * `open`: on the network without sign-in (the explicit opt-in).
 * LINEAGE_URL, when set, must be an http(s) URL: the dashboard answers only requests addressed to it (or to
 * localhost), so a typo there would refuse every request.
 */
export function resolveListenHost(env = process.env) {
  const port = env.PORT || "3000";
  const url = env.LINEAGE_URL?.trim();
  if (url) {
    let u = null;
    try {
      u = new URL(url);
    } catch {
      /* reported below */
    }
    if (!u || (u.protocol !== "http:" && u.protocol !== "https:") || !u.hostname || u.username || u.password) {
      return {
        ok: false,
        message: `LINEAGE_URL must be the address the dashboard is opened at, such as https://lineage.example.org (got ${JSON.stringify(url)}).`,
      };
    }
  }
  const host = env.HOST?.trim() || DEFAULT_HOST;
  if (isLoopbackHost(host)) return { ok: true, host, loopback: true, open: false };
  const optIn = env[OPT_IN_VARIABLE]?.trim();
  if (optIn === "1" || optIn === "true") return { ok: true, host, loopback: false, open: true };
  if (url) return { ok: true, host, loopback: false, open: false };
  return {
    ok: false,
    message: [
      `refusing to listen on HOST=${host}: authentication is not configured. On a network address everyone must sign in,`,
      `and sign-in needs LINEAGE_URL, the address people open the dashboard at (without sign-in anyone who can reach`,
      `${host} port ${port} would get full control: read every result, delete models, start runs that spend stored keys).`,
      `  - For a team: set LINEAGE_URL (e.g. LINEAGE_URL=http://lineage.example.org:${port}); create the first admin with`,
      `    \`lineage users add --admin --email you@example.org\`, or open the one-time setup link printed at start.`,
      `  - On this machine only: unset HOST (the dashboard listens on ${DEFAULT_HOST}, no sign-in while no account exists).`,
      `  - From another machine without accounts: keep it on ${DEFAULT_HOST} and use an SSH tunnel (ssh -L ${port}:127.0.0.1:${port} this-host).`,
      `  - To listen on ${host} without sign-in anyway, on a network where everyone who can reach it may control the`,
      `    dashboard: set ${OPT_IN_VARIABLE}=1.`,
    ].join("\n"),
  };
}
