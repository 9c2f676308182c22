import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SweepView } from '../../../features/sweep/sweep-view.tsx';

export const metadata: Metadata = { title: 'Sweep' };

export default async function SweepPage(props: PageProps<'/sweeps/[id]'>) {
  const { id } = await props.params;
  // The diagram's choices live in the query string (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense>
      <SweepView id={id} />
    </Suspense>
  );
}
