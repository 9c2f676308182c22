import type { Metadata } from 'next';
import { RunsView } from '../features/runs/runs-view.tsx';

export const metadata: Metadata = { title: 'Runs' };

export default function HomePage() {
  return <RunsView />;
}
