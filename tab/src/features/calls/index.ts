export { CallList, type CallFilter, type CallListProps, type CallsState } from './CallList';
export { CallItem, type CallItemHandlers, type CallItemProps, type CallNotice } from './CallItem';
export { useCalls } from './useCalls';
export { useCallActions } from './useCallActions';
export { useWaitingAlerts } from './useWaitingAlerts';
