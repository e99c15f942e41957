export {
  CALL_PAGE_MESSAGES,
  CARD_MESSAGES,
  COMMON_MESSAGES,
  PAGE_MESSAGES,
  TAB_MESSAGES,
  TEMPLATE_MESSAGES,
  translator,
  type CallKey,
  type CallPageKey,
  type CardKey,
  type CommonKey,
  type PageKey,
  type TabKey,
  type TemplateKey,
  type Translator,
} from './catalogue';
export type { Catalogue } from './catalogue-types';
export {
  MessageSyntaxError,
  formatMessage,
  messageArguments,
  parseMessage,
  type ArgumentKind,
  type MessageArgs,
} from './message-format';
