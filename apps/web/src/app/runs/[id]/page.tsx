import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RunView } from '../../../features/run/run-view.tsx';

export const metadata: Metadata = { title: 'Run' };

export default async function RunPage(props: PageProps<'/runs/[id]'>) {
  const { id } = await props.params;
  // RunView reads its view state from the query string (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense>
      <RunView id={id} />
    </Suspense>
  );
}
