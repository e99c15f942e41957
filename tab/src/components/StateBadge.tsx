import { Badge, type BadgeProps } from '@fluentui/react-components';
import { callPhase, type CallState } from '@shared';

const COLOR = {
  scheduled: 'informative',
  waiting: 'warning',
  admitted: 'success',
  in_call: 'success',
  ended: 'subtle',
  declined: 'subtle',
  revoked: 'subtle',
  expired: 'subtle',
  abandoned: 'subtle',
  timed_out: 'warning',
} as const satisfies Record<CallState, BadgeProps['color']>;

export type StateBadgeProps = {
  readonly state: CallState;
  /** The localized label, e.g. "Waiting". */
  readonly label: string;
};

/** A call's state as a coloured badge with a text label (colour is never the only cue). */
export function StateBadge({ state, label }: StateBadgeProps) {
  return (
    <Badge
      appearance={callPhase(state) === 'lobby' ? 'filled' : 'tint'}
      color={COLOR[state]}
      shape="rounded"
    >
      {label}
    </Badge>
  );
}
