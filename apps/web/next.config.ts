import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The dashboard reads its API URL at request time; nothing here is environment-specific.
  poweredByHeader: false,
};

export default nextConfig;
