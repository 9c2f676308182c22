import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RunsView } from '../features/runs/runs-view.tsx';

export const metadata: Metadata = { title: 'Runs' };

// The view reads its filters from the URL (useSearchParams), which needs a Suspense boundary in the app router.
export default function HomePage() {
  return (
    <Suspense>
      <RunsView />
    </Suspense>
  );
}
