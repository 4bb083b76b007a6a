/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native-ish and WASM database drivers must be loaded by Node at run time, not bundled; so must pdfkit and fontkit
  // (pdfkit reads its own data files next to its code).
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg", "@prisma/client", "openai", "pdfkit", "fontkit"],
  poweredByHeader: false,
  // Types are checked once for the whole project (tests, scripts and app) by `npm test` (tsc --noEmit), so that
  // a type error in a test never blocks starting the dashboard.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  experimental: {
    // Above the forms' own limits (50 MB a file, 200 MB for a toolkit folder: lib/forms.ts), so that a file over them
    // reaches the action and is refused next to its field; bigger bodies get proxy.ts's 413 page.
    serverActions: { bodySizeLimit: "220mb" },
    // proxy.ts makes Next buffer every request body, 10 MB by default: a bigger upload arrived cut ("Unexpected end
    // of form"). The same ceiling as the actions'.
    proxyClientMaxBodySize: "220mb",
  },
};

export default nextConfig;
