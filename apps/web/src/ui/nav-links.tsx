'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Runs', active: (path: string) => path === '/' || /^\/runs\/(?!new$)/.test(path) },
  { href: '/sweeps', label: 'Sweeps', active: (path: string) => path.startsWith('/sweeps') },
  { href: '/compare', label: 'Compare', active: (path: string) => path === '/compare' },
  { href: '/runs/new', label: 'New run', active: (path: string) => path === '/runs/new' },
];

/** Top navigation; marks the current section with aria-current so it is announced and styled. */
export function NavLinks({ className }: { className?: string | undefined }) {
  const path = usePathname();
  return (
    <nav className={className} aria-label="Main">
      {LINKS.map((link) => (
        <Link key={link.href} href={link.href} aria-current={link.active(path) ? 'page' : undefined}>
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
