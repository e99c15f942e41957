export {
  CallList,
  LIST_HEADING_SELECTOR,
  type CallFilter,
  type CallListProps,
  type CallsState,
} from './CallList';
export {
  CallItem,
  callHeadingSelector,
  type CallItemHandlers,
  type CallItemProps,
  type CallNotice,
} from './CallItem';
export { useCalls } from './useCalls';
export { useCallActions, type CallActionKind, type CallActionResult } from './useCallActions';
export { useWaitingAlerts } from './useWaitingAlerts';
