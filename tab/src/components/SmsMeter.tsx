import { MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import type { SmsMeasure } from '@shared';
import { useI18n } from '../app/i18n';

export type SmsMeterProps = {
  readonly measure: SmsMeasure;
  /** Id of the counter text, so the SMS field can point at it with aria-describedby. */
  readonly id: string;
};

/** Length, encoding and SMS count of a text, with a warning past one SMS. */
export function SmsMeter({ measure, id }: SmsMeterProps) {
  const { t } = useI18n();
  const encoding = t(measure.encoding === 'gsm7' ? 'encoding_gsm7' : 'encoding_ucs2');
  return (
    <div>
      <Text id={id} size={200}>
        {t('smsMeasure', {
          characters: measure.characters,
          units: measure.units,
          limit: measure.units + measure.remaining,
          encoding,
          segments: measure.segments,
        })}
      </Text>
      {measure.segments > 1 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            {t('smsWarning', { segments: measure.segments })}
            {measure.encoding === 'ucs2' ? ` ${t('smsUcs2Hint')}` : ''}
          </MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
