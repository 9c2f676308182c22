import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { readApiUrl } from '../graphql/api-url.ts';
import { GraphQLProvider } from '../graphql/provider.tsx';
import { NavLinks } from '../ui/nav-links.tsx';
import './globals.css';
import styles from './layout.module.css';

export const metadata: Metadata = {
  title: { default: 'grokscope', template: '%s · grokscope' },
  description: 'Watch small networks learn modular addition, live.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Render per request so GROKSCOPE_API_URL is read when the server runs, not frozen at build time.
  await connection();
  const apiUrl = readApiUrl();
  return (
    <html lang="en">
      <body>
        <a className={`${styles.skip} button`} href="#main">
          Skip to content
        </a>
        <header className={styles.topbar}>
          <Link href="/" className={styles.brand}>
            <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
              <circle cx="9" cy="9" r="7.5" fill="none" stroke="var(--oi-sky)" strokeWidth="1.5" />
              <circle cx="9" cy="1.5" r="1.6" fill="var(--oi-orange)" />
              <circle cx="15.5" cy="12.7" r="1.6" fill="var(--oi-orange)" />
              <circle cx="2.5" cy="12.7" r="1.6" fill="var(--oi-orange)" />
            </svg>
            grokscope
          </Link>
          <NavLinks className={styles.nav} />
          <span className={styles.api} title="GraphQL endpoint (GROKSCOPE_API_URL)">
            {apiUrl}
          </span>
        </header>
        <GraphQLProvider apiUrl={apiUrl}>
          <main id="main" className={styles.main}>
            {children}
          </main>
        </GraphQLProvider>
      </body>
    </html>
  );
}
