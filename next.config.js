// @ts-check
/** @type {import("next").NextConfig} */
const nextConfig = {
  // PGlite loads its WASM and data files from its own package directory at run time: bundling it
  // (or the adapter that imports it) loses them after `next build`.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
