// What a caller who is not signed in may request (proxy.ts): the sign-in and setup pages, better-auth's own routes
// (the OpenID Connect callback), the health check, reviewer links (they check their own signed token), the local
// command line's routes (/api/admin/: each redeems the one-time token written into LINEAGE_HOME, lib/db/backup.ts)
// and the build's static files. Pure.
const PUBLIC_PREFIXES = ["/_next/", "/api/auth/", "/share/", "/api/share/", "/api/admin/"];
const PUBLIC_PATHS = new Set(["/sign-in", "/setup", "/api/health", "/icon.svg", "/favicon.ico", "/robots.txt"]);

export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.has(path) || PUBLIC_PREFIXES.some((p) => path.startsWith(p));
}
