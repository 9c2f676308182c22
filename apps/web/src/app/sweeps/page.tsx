import type { Metadata } from 'next';
import { SweepsList } from '../../features/sweep/sweeps-list.tsx';

export const metadata: Metadata = { title: 'Sweeps' };

export default function SweepsPage() {
  return <SweepsList />;
}
