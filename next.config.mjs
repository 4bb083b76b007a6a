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
    serverActions: { bodySizeLimit: "50mb" },
  },
};

export default nextConfig;
