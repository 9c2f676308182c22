import { formatNumber, formatPercent } from '../../ui/format.ts';
import { forecastText } from './grok-forecast.ts';
import type { GrokForecast } from './queries.ts';
import styles from './run-view.module.css';
import { latestValue, type ScalarTable } from './scalar-table.ts';

/**
 * Headline numbers: the latest loss and accuracy on both splits, when the run grokked (the server's step: test
 * accuracy ≥ 99% from there on; "not yet" while it is not) or the forecast of when it will, and the latest gradient
 * symmetry with its sampling error (networks).
 */
export function RunStats({
  table,
  grokStep,
  forecast,
  reportsSymmetry,
}: {
  table: ScalarTable;
  grokStep: number | null;
  forecast: GrokForecast | null;
  /** The run's kind reports gradient symmetry (the catalogue says which kinds do): networks, not the RFM. */
  reportsSymmetry: boolean;
}) {
  const symmetry = latestValue(table, 'gradient_symmetry');
  const symmetryError = latestValue(table, 'gradient_symmetry_se');
  const predicted = forecastText(forecast, grokStep !== null);
  const stats: { label: string; value: string; highlight?: boolean; title?: string }[] = [
    { label: 'train loss', value: formatNumber(latestValue(table, 'train_loss')) },
    { label: 'test loss', value: formatNumber(latestValue(table, 'test_loss')) },
    { label: 'train acc', value: formatPercent(latestValue(table, 'train_acc')) },
    { label: 'test acc', value: formatPercent(latestValue(table, 'test_acc')) },
    {
      label: 'grokked at',
      value: grokStep === null ? 'not yet' : `step ${grokStep}`,
      highlight: grokStep !== null,
    },
    ...(grokStep === null && reportsSymmetry
      ? [{ label: 'grok forecast', value: predicted.value, title: predicted.title }]
      : []),
    ...(reportsSymmetry
      ? [
          {
            label: 'gradient symmetry',
            value:
              symmetry === null
                ? '—'
                : `${formatNumber(symmetry)}${symmetryError === null ? '' : ` ± ${formatNumber(symmetryError, 2)}`}`,
            title:
              'Latest gradient symmetry s_g ± its standard error from the sampled triples (the final report samples more; the verdict reads it).',
          },
        ]
      : []),
  ];
  return (
    <dl className={styles.stats}>
      {stats.map((s) => (
        <div key={s.label} className={styles.stat} data-highlight={s.highlight === true} title={s.title}>
          <dt>{s.label}</dt>
          <dd className="num" data-testid={`stat-${s.label.replace(/\s+/g, '-')}`}>
            {s.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
