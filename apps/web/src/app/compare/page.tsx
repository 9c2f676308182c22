import type { Metadata } from 'next';
import { Suspense } from 'react';
import { CompareView } from '../../features/compare/compare-view.tsx';

export const metadata: Metadata = { title: 'Compare' };

/** `/compare?runs=a,b&measures=…`: the view lives in the query string (see compare-state.ts). */
export default function ComparePage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <CompareView />
    </Suspense>
  );
}
