import { Subtitle2, Switch } from '@fluentui/react-components';
import { useId, useState, type ReactNode } from 'react';
import { useI18n } from '../../app/i18n';
import { useReportsViewStyles } from './ReportsView.styles';

export type ChartCardProps = {
  readonly title: string;
  /** The chart. */
  readonly chart: ReactNode;
  /** The same data as a table (for screen readers, keyboard users and copying). */
  readonly table: ReactNode;
};

/** A chart with a switch to its table view. */
export function ChartCard({ title, chart, table }: ChartCardProps) {
  const { t } = useI18n();
  const styles = useReportsViewStyles();
  const [asTable, setAsTable] = useState(false);
  const headingId = useId();
  return (
    <section className={styles.card} aria-labelledby={headingId}>
      <div className={styles.cardHeader}>
        <Subtitle2 as="h3" id={headingId}>
          {title}
        </Subtitle2>
        <Switch
          checked={asTable}
          label={t('showTable')}
          onChange={(_, data) => setAsTable(data.checked)}
        />
      </div>
      {asTable ? (
        <div className={styles.tableScroll} tabIndex={0} role="group" aria-label={title}>
          {table}
        </div>
      ) : (
        <div className={styles.chart}>{chart}</div>
      )}
    </section>
  );
}
