export { CallPane, type CallPaneProps } from './CallPane';
