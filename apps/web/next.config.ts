import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The dashboard reads its API URL at request time; nothing here is environment-specific.
  poweredByHeader: false,
  // A separate build folder lets two browser suites (or a suite and `next dev`) build and serve side by side.
  ...(process.env.NEXT_DIST_DIR && { distDir: process.env.NEXT_DIST_DIR }),
};

export default nextConfig;
