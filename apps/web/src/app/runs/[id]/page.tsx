import type { Metadata } from 'next';
import { RunView } from '../../../features/run/run-view.tsx';

export const metadata: Metadata = { title: 'Run' };

export default async function RunPage(props: PageProps<'/runs/[id]'>) {
  const { id } = await props.params;
  return <RunView id={id} />;
}
