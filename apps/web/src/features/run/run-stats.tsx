import { formatNumber, formatPercent } from '../../ui/format.ts';
import type { GrokMark } from './grokking.ts';
import styles from './run-view.module.css';
import { latestValue, type ScalarTable } from './scalar-table.ts';

/** Headline numbers: the latest loss and accuracy on both splits, and when the run grokked. */
export function RunStats({ table, grok }: { table: ScalarTable; grok: GrokMark | null }) {
  const stats = [
    { label: 'train loss', value: formatNumber(latestValue(table, 'train_loss')) },
    { label: 'test loss', value: formatNumber(latestValue(table, 'test_loss')) },
    { label: 'train acc', value: formatPercent(latestValue(table, 'train_acc')) },
    { label: 'test acc', value: formatPercent(latestValue(table, 'test_acc')) },
    {
      label: 'grokked at',
      value: grok ? `${grok.approximate ? '≈ ' : ''}step ${grok.step}` : 'not yet',
      highlight: grok !== null,
    },
  ];
  return (
    <dl className={styles.stats}>
      {stats.map((s) => (
        <div key={s.label} className={styles.stat} data-highlight={s.highlight === true}>
          <dt>{s.label}</dt>
          <dd className="num" data-testid={`stat-${s.label.replace(/\s+/g, '-')}`}>
            {s.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
