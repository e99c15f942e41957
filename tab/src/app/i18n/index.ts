export {
  createI18n,
  I18nProvider,
  pickFormatLocale,
  pickLocale,
  useI18n,
  type I18n,
  type MessageKey,
  type Messages,
  type Translate,
} from './i18n';
