import { createContext } from 'react';

/**
 * The step the run page's scrubber points at, drawn as a vertical marker on every chart; null draws none. A context
 * rather than a prop: the memoised charts stay untouched while the scrubber moves, and only the small marker
 * components that read it re-render (a replay moves it 30 times a second).
 */
export const MarkerStepContext = createContext<number | null>(null);

/** The marker's look, shared by the recharts charts and the canvas heatmap. */
export const MARKER_STYLE = { color: '#e5e9ef', opacity: 0.75 } as const;
