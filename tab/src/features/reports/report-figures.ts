import type { Report } from '@shared';
import type { MessageKey } from '../../app/i18n';

/** One line of the figures table: its label, its value as text and its definition. */
export type FigureRow = {
  readonly key: string;
  readonly label: MessageKey;
  readonly definition: MessageKey;
  readonly value: string;
};

const seconds = (n: number | undefined) => (n === undefined ? '–' : `${n} s`);
const share = (n: number | null | undefined) =>
  n === undefined || n === null ? '–' : `${Math.round(n * 100)} %`;

/** The figures of a report in reading order (the README's definition table follows the same). */
export function figureRows(report: Report): FigureRow[] {
  const t = report.totals;
  const rows: FigureRow[] = [
    { key: 'created', label: 'figCreated', definition: 'defCreated', value: String(t.created) },
    {
      key: 'openedNotClaimed',
      label: 'figOpenedNotClaimed',
      definition: 'defOpenedNotClaimed',
      value: String(t.openedNotClaimed),
    },
    { key: 'claimed', label: 'figClaimed', definition: 'defClaimed', value: String(t.claimed) },
    { key: 'admitted', label: 'figAdmitted', definition: 'defAdmitted', value: String(t.admitted) },
    { key: 'declined', label: 'figDeclined', definition: 'defDeclined', value: String(t.declined) },
    {
      key: 'abandoned',
      label: 'figAbandoned',
      definition: 'defAbandoned',
      value: String(t.abandoned),
    },
    { key: 'expired', label: 'figExpired', definition: 'defExpired', value: String(t.expired) },
    { key: 'revoked', label: 'figRevoked', definition: 'defRevoked', value: String(t.revoked) },
    {
      key: 'admitP50',
      label: 'figAdmitP50',
      definition: 'defAdmitPercentiles',
      value: seconds(report.timeToAdmit.p50),
    },
    {
      key: 'admitP90',
      label: 'figAdmitP90',
      definition: 'defAdmitPercentiles',
      value: seconds(report.timeToAdmit.p90),
    },
    {
      key: 'admitMax',
      label: 'figAdmitMax',
      definition: 'defAdmitPercentiles',
      value: seconds(report.timeToAdmit.max),
    },
    {
      key: 'withinTarget',
      label: 'figWithinTarget',
      definition: 'defWithinTarget',
      value: share(report.timeToAdmit.withinTarget),
    },
    {
      key: 'lengthP50',
      label: 'figLengthP50',
      definition: 'defLength',
      value: seconds(report.callLength.p50),
    },
    {
      key: 'lengthP90',
      label: 'figLengthP90',
      definition: 'defLength',
      value: seconds(report.callLength.p90),
    },
  ];
  if (report.scope.kind === 'team') {
    rows.push({
      key: 'escalation',
      label: 'figEscalation',
      definition: 'defEscalation',
      value: share(report.escalationShare),
    });
  }
  return rows;
}
