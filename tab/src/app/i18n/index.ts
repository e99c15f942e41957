export {
  createI18n,
  I18nProvider,
  pickFormatLocale,
  pickLocale,
  useI18n,
  type I18n,
  type Translate,
} from './i18n';
export { EN, type MessageKey, type Messages } from './en';
export { DE } from './de';
