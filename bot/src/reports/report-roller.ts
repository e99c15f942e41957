import type { Clock, ReportStore } from '@shared';
import { errorFields, type Logger } from '../logger';

/** Options of {@link ReportRoller}. */
export type ReportRollerOptions = {
  readonly reports: ReportStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Roll-ups older than this many days are deleted (`REPORT_RETENTION_DAYS`). @default 400 */
  readonly retentionDays: number;
  /** How often the roll-up follows the event log. @default 5000 */
  readonly intervalMs?: number | undefined;
  /**
   * Events younger than this are left for the next pass: a PostgreSQL transaction that drew an
   * earlier sequence number may still be committing. @default 5000
   */
  readonly settleMs?: number | undefined;
};

const BATCH = 5000;
const REMEMBERED_OPENINGS = 10_000;

/**
 * Keeps the reports' roll-ups current: follows the event log on a timer, notes first openings of
 * links (at most one write per call, and none for ids seen recently) and applies the retention.
 */
export class ReportRoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private lastPurge = 0;
  private readonly opened = new Set<string>();

  constructor(private readonly options: ReportRollerOptions) {}

  /** Follows the log until it is caught up. Resolves how many events were rolled up. */
  tick(): Promise<number> {
    this.running ??= this.follow().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async follow(): Promise<number> {
    const { reports, clock } = this.options;
    const now = clock.now().getTime();
    const settled = new Date(now - (this.options.settleMs ?? 5000)).toISOString();
    let total = 0;
    for (;;) {
      const { events } = await reports.rollUp(settled, BATCH);
      total += events;
      if (events < BATCH) break;
    }
    if (now - this.lastPurge > 3_600_000) {
      this.lastPurge = now;
      await reports.purge(new Date(now - this.options.retentionDays * 86_400_000).toISOString());
    }
    return total;
  }

  /** A landing page of a scheduled link was fetched. Never throws; never blocks the page. */
  noteOpened(callId: string): void {
    if (this.opened.has(callId)) return;
    if (this.opened.size >= REMEMBERED_OPENINGS) this.opened.clear();
    this.opened.add(callId);
    this.options.reports
      .markOpened(callId, this.options.clock.now().toISOString())
      .catch((error: unknown) =>
        this.options.logger.warn('could not note a link opening', errorFields(error)),
      );
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.tick().catch((error: unknown) =>
        this.options.logger.error('report roll-up failed', errorFields(error)),
      );
    }, this.options.intervalMs ?? 5000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
