import type { Metadata } from 'next';
import Link from 'next/link';
import { NewRunForm } from '../../../features/new-run/new-run-form.tsx';
import styles from './page.module.css';

export const metadata: Metadata = { title: 'New run' };

export default async function NewRunPage(props: PageProps<'/runs/new'>) {
  // `?mode=sweep` (the sweeps list's "New sweep") opens the form in sweep mode.
  const { mode } = await props.searchParams;
  return (
    <section aria-labelledby="new-run-title">
      <nav className={styles.crumbs} aria-label="Breadcrumb">
        <Link href="/">Runs</Link> / <span>New</span>
      </nav>
      <h1 id="new-run-title" className={styles.title}>
        New run
      </h1>
      <p className={styles.sub}>
        Train an MLP or a transformer (full batch), or solve an RFM, on (a op b) mod p; or sweep it: the same
        fields are the base config, and each axis varies one of them. Fields are checked by the server as you
        type.
      </p>
      <NewRunForm initialMode={mode === 'sweep' ? 'sweep' : 'run'} />
    </section>
  );
}
