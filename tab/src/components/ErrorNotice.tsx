import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import type { MessageKey } from '../app/i18n';
import { useI18n } from '../app/i18n';

export type ErrorNoticeProps = {
  /** What failed, e.g. "The calls could not be loaded." */
  readonly title: string;
  /** The error code; its localized text is shown, never the server's message. */
  readonly code: string;
  readonly onRetry?: (() => void) | undefined;
  readonly onDismiss?: (() => void) | undefined;
};

/** A failed request, as a MessageBar with localized text per error code. */
export function ErrorNotice({ title, code, onRetry, onDismiss }: ErrorNoticeProps) {
  const { t } = useI18n();
  const key = `error_${code}` as MessageKey;
  const text = t(key) === key ? t('error_internal') : t(key);
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle> {text}
      </MessageBarBody>
      {(onRetry ?? onDismiss) && (
        <MessageBarActions>
          {onRetry && <Button onClick={onRetry}>{t('retry')}</Button>}
          {onDismiss && <Button onClick={onDismiss}>{t('dismiss')}</Button>}
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
