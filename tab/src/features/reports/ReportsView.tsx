import {
  Button,
  Dropdown,
  Label,
  Option,
  Spinner,
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import {
  HeatMapChart,
  VerticalBarChart,
  VerticalStackedBarChart,
  type HeatMapChartData,
  type VerticalStackedChartProps,
} from '@fluentui/react-charts';
import { addDays, localTime, type Report } from '@shared';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useI18n, type Translate } from '../../app/i18n';
import { useServices } from '../../app/services';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { ReportParams } from '../../api';
import { ChartCard } from './ChartCard';
import { figureRows } from './report-figures';
import { useReportsViewStyles } from './ReportsView.styles';
import { useReport } from './useReport';

export type ReportsViewProps = {
  /** Set in a channel tab: the team's figures; else the agent's own. */
  readonly team: { readonly id: string; readonly name: string } | undefined;
  /** IANA zone for days and hours. @default the browser's */
  readonly timeZone: string | undefined;
};

const RANGES = [7, 30, 90, 365] as const;
type Range = (typeof RANGES)[number];

// Chart colours come from the theme's CSS variables (d3 needs real colour values, not var()).
const COLOR_VARS = {
  admitted: '--colorPaletteGreenBorderActive',
  declined: '--colorPaletteRedBorderActive',
  abandoned: '--colorPaletteMarigoldBorderActive',
  expired: '--colorNeutralForeground3',
  revoked: '--colorPaletteBerryBorderActive',
  arrivals: '--colorBrandForeground1',
  low: '--colorNeutralBackground3',
  high: '--colorBrandBackground',
} as const;
type Colors = Record<keyof typeof COLOR_VARS, string>;

function useThemeColors(ref: React.RefObject<HTMLElement | null>): Colors | undefined {
  const [colors, setColors] = useState<Colors>();
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const style = getComputedStyle(element);
    const read = (name: string, fallback: string) =>
      style.getPropertyValue(name).trim() || fallback;
    setColors({
      admitted: read(COLOR_VARS.admitted, '#107c10'),
      declined: read(COLOR_VARS.declined, '#c50f1f'),
      abandoned: read(COLOR_VARS.abandoned, '#c19c00'),
      expired: read(COLOR_VARS.expired, '#616161'),
      revoked: read(COLOR_VARS.revoked, '#c239b3'),
      arrivals: read(COLOR_VARS.arrivals, '#0f6cbd'),
      low: read(COLOR_VARS.low, '#f5f5f5'),
      high: read(COLOR_VARS.high, '#0f6cbd'),
    });
  }, [ref]);
  return colors;
}

const OUTCOMES = ['admitted', 'declined', 'abandoned', 'expired', 'revoked'] as const;
const OUTCOME_LABEL = {
  admitted: 'figAdmitted',
  declined: 'figDeclined',
  abandoned: 'figAbandoned',
  expired: 'figExpired',
  revoked: 'figRevoked',
} as const;

const shortDate = (date: string) => date.slice(5);

function bandLabel(t: Translate, band: Report['waitDistribution'][number]): string {
  return band.toSeconds === undefined
    ? t('bandOpen', { from: band.fromSeconds })
    : t('bandRange', { from: band.fromSeconds, to: band.toSeconds });
}

/** The Reports view: figures, charts with table views, and the CSV export. Loaded lazily. */
export default function ReportsView({ team, timeZone }: ReportsViewProps) {
  const { t } = useI18n();
  const styles = useReportsViewStyles();
  const { api } = useServices();
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [range, setRange] = useState<Range>(30);
  const [downloadFailed, setDownloadFailed] = useState(false);
  const [openedAt] = useState(() => Date.now());
  const to = localTime(openedAt, zone).date;
  const from = addDays(to, -(range - 1));
  const params: ReportParams = useMemo(
    () => ({
      scope: team ? 'team' : 'me',
      teamId: team?.id,
      from,
      to,
      timeZone: zone,
    }),
    [team, from, to, zone],
  );
  const { state, reload } = useReport(api, params);
  const root = useRef<HTMLDivElement>(null);
  const colors = useThemeColors(root);

  const download = async () => {
    setDownloadFailed(false);
    try {
      const blob = await api.reportCsv(params);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `calls-${from}-${to}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setDownloadFailed(true);
    }
  };

  return (
    <div className={styles.root} ref={root}>
      <Subtitle1 as="h2">
        {team ? t('reportsHeadingTeam', { team: team.name }) : t('reportsHeadingMine')}
      </Subtitle1>
      <div className={styles.toolbar}>
        <div className={styles.field}>
          <Label id="report-range-label">{t('reportsRange')}</Label>
          <Dropdown
            aria-labelledby="report-range-label"
            value={t(`range${range}`)}
            selectedOptions={[String(range)]}
            onOptionSelect={(_, data) => setRange(Number(data.optionValue) as Range)}
          >
            {RANGES.map((r) => (
              <Option key={r} value={String(r)}>
                {t(`range${r}`)}
              </Option>
            ))}
          </Dropdown>
        </div>
        <Button onClick={() => void download()}>{t('downloadCsv')}</Button>
      </div>
      <Text size={200}>{t('reportsZone', { zone, from, to })}</Text>
      {downloadFailed && <ErrorNotice title={t('downloadFailed')} code="network" />}
      {state.status === 'loading' && <Spinner label={t('reportsLoading')} />}
      {state.status === 'failed' && (
        <ErrorNotice title={t('reportsFailed')} code={state.code} onRetry={reload} />
      )}
      {state.status === 'ready' && colors && <ReportBody report={state.report} colors={colors} />}
    </div>
  );
}

function ReportBody({ report, colors }: { report: Report; colors: Colors }) {
  const { t } = useI18n();
  const styles = useReportsViewStyles();
  const rows = figureRows(report);

  const stacked: VerticalStackedChartProps[] = report.days.map((day) => ({
    xAxisPoint: shortDate(day.date),
    chartData: OUTCOMES.map((key) => ({
      legend: t(OUTCOME_LABEL[key]),
      data: day.counts[key],
      color: colors[key],
    })),
    lineData: [{ y: day.counts.claimed, legend: t('figClaimed'), color: colors.arrivals }],
  }));
  const waits = report.waitDistribution.map((band) => ({
    x: bandLabel(t, band),
    y: band.count,
    color: colors.arrivals,
  }));
  const maxArrivals = Math.max(1, ...report.heatMap.flat());
  const heat: HeatMapChartData[] = [
    {
      legend: t('figClaimed'),
      value: report.heatMap.flat().reduce((a, b) => a + b, 0),
      data: report.heatMap.flatMap((hours, day) =>
        hours.map((value, hour) => ({
          x: hour,
          y: t(`weekday${day}` as 'weekday0'),
          value,
          rectText: value > 0 ? value : '',
        })),
      ),
    },
  ];

  return (
    <>
      <section className={styles.card} aria-labelledby="figures-heading">
        <Subtitle1 as="h3" id="figures-heading">
          {t('figuresHeading')}
        </Subtitle1>
        <div>
          <Table size="small" aria-labelledby="figures-heading">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('colFigure')}</TableHeaderCell>
                <TableHeaderCell>{t('colValue')}</TableHeaderCell>
                <TableHeaderCell>{t('colDefinition')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.key}>
                  <TableCell>{t(row.label, { target: report.targetSeconds })}</TableCell>
                  <TableCell className={styles.number}>{row.value}</TableCell>
                  <TableCell className={styles.definition}>{t(row.definition)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </section>
      <div className={styles.grid}>
        <ChartCard
          title={t('chartArrivalsOutcomes')}
          chart={
            <VerticalStackedBarChart
              data={stacked}
              height={280}
              chartTitle={t('chartArrivalsOutcomes')}
              yAxisTitle={t('colCount')}
            />
          }
          table={
            <Table size="small" aria-label={t('chartArrivalsOutcomes')}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t('colDate')}</TableHeaderCell>
                  <TableHeaderCell>{t('figClaimed')}</TableHeaderCell>
                  {OUTCOMES.map((key) => (
                    <TableHeaderCell key={key}>{t(OUTCOME_LABEL[key])}</TableHeaderCell>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {report.days.map((day) => (
                  <TableRow key={day.date}>
                    <TableCell>{day.date}</TableCell>
                    <TableCell className={styles.number}>{day.counts.claimed}</TableCell>
                    {OUTCOMES.map((key) => (
                      <TableCell key={key} className={styles.number}>
                        {day.counts[key]}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          }
        />
        <ChartCard
          title={t('chartWaits')}
          chart={
            <VerticalBarChart
              data={waits}
              height={280}
              chartTitle={t('chartWaits')}
              yAxisTitle={t('colCount')}
              hideLegend
            />
          }
          table={
            <Table size="small" aria-label={t('chartWaits')}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t('colBand')}</TableHeaderCell>
                  <TableHeaderCell>{t('colCount')}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {report.waitDistribution.map((band) => (
                  <TableRow key={band.fromSeconds}>
                    <TableCell>{bandLabel(t, band)}</TableCell>
                    <TableCell className={styles.number}>{band.count}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          }
        />
        <ChartCard
          title={t('chartHeatMap')}
          chart={
            <HeatMapChart
              data={heat}
              height={300}
              chartTitle={t('chartHeatMap')}
              domainValuesForColorScale={[0, maxArrivals]}
              rangeValuesForColorScale={[colors.low, colors.high]}
              hideLegend
            />
          }
          table={
            <Table size="small" aria-label={t('chartHeatMap')}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t('colWeekday')}</TableHeaderCell>
                  {Array.from({ length: 24 }, (_, hour) => (
                    <TableHeaderCell key={hour}>{String(hour).padStart(2, '0')}</TableHeaderCell>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {report.heatMap.map((hours, day) => (
                  <TableRow key={day}>
                    <TableCell>{t(`weekday${day}` as 'weekday0')}</TableCell>
                    {hours.map((value, hour) => (
                      <TableCell key={hour} className={styles.number}>
                        {value}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          }
        />
      </div>
    </>
  );
}
