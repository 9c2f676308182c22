/**
 * Installed in the page before any app script runs: records every change of the loss chart's `data-points`
 * together with the run's status at that moment, so the test can prove the chart grew while the run was RUNNING
 * even if the run is fast. Read back with `readChartLog`.
 */
export const CHART_RECORDER_SCRIPT = `
  window.__chartLog = [];
  new MutationObserver(() => {
    const chart = document.querySelector('[data-testid="loss-chart"]');
    const view = document.querySelector('[data-testid="run-view"]');
    if (!chart || !view) return;
    const points = Number(chart.getAttribute('data-points'));
    const status = view.getAttribute('data-status');
    const last = window.__chartLog[window.__chartLog.length - 1];
    if (!last || last.points !== points || last.status !== status) window.__chartLog.push({ points, status, t: Date.now() });
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-points', 'data-status'] });
`;

export interface ChartLogEntry {
  points: number;
  status: string;
  t: number;
}
