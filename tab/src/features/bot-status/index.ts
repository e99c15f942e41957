export { BotStatusNotice, type BotStatusNoticeProps } from './BotStatusNotice';
export {
  useBotStatus,
  type BotNotices,
  type DeliveryFailure,
  type UseBotStatusOptions,
} from './useBotStatus';
