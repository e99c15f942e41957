export { QUEUE_ADMIT_SELECTOR, QueueBar, type QueueBarProps } from './QueueBar';
