import { lazy } from 'react';

// Fluent's charts (d3) are large: the Reports view is its own chunk, loaded on first use, so the
// tab's initial script stays within its budget.
export const LazyReportsView = lazy(() => import('./ReportsView'));
export type { ReportsViewProps } from './ReportsView';
