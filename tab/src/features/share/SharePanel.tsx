import { Button, Field, Text, Textarea, Title3 } from '@fluentui/react-components';
import { measureSms, type ShareTexts } from '@shared';
import { useId, useMemo, useState } from 'react';
import { useI18n } from '../../app/i18n';
import { QrCode } from '../../components/QrCode';
import { SmsMeter } from '../../components/SmsMeter';
import type { CopyDeps } from './copy';
import { ManualCopy } from './ManualCopy';
import { useSharePanelStyles } from './SharePanel.styles';
import { useCopy } from './useCopy';

type Target = 'message' | 'sms' | 'link';

export type SharePanelProps = {
  readonly title: string;
  readonly texts: ShareTexts;
  readonly copy: CopyDeps;
  readonly onClose?: (() => void) | undefined;
};

/** The made link: email and SMS texts to edit and copy, a QR code and the SMS length. */
export function SharePanel({ title, texts, copy: copyDeps, onClose }: SharePanelProps) {
  const { t } = useI18n();
  const styles = useSharePanelStyles();
  const [message, setMessage] = useState(texts.message.text);
  const [sms, setSms] = useState(texts.sms.text);
  const measure = useMemo(() => measureSms(sms), [sms]);
  const { feedback, copy } = useCopy<Target>(copyDeps);
  const meterId = useId();
  const headingId = useId();

  const confirmation = (target: Target) => {
    const mine = feedback.status !== 'idle' && feedback.target === target ? feedback : undefined;
    const key =
      target === 'message' ? 'copiedMessage' : target === 'sms' ? 'copiedSms' : 'copiedLink';
    return (
      <>
        <div role="status" aria-live="polite">
          {mine?.status === 'copied' && (
            <Text className={styles.confirm} weight="semibold">
              ✓ {t(key)}
            </Text>
          )}
          {mine?.status === 'manual' && <Text weight="semibold">{t('copyManual')}</Text>}
        </div>
        {mine?.status === 'manual' && <ManualCopy text={mine.text} />}
      </>
    );
  };

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <div className={styles.header}>
        <Title3 as="h2" id={headingId} tabIndex={-1}>
          {t('shareHeading', { title })}
        </Title3>
        {onClose && <Button onClick={onClose}>{t('closeShare')}</Button>}
      </div>
      <div className={styles.columns}>
        <div className={styles.texts}>
          <Field label={t('linkLabel')}>
            <div className={styles.row}>
              <Text className={styles.link} data-testid="join-link">
                {texts.link}
              </Text>
              <Button onClick={() => void copy('link', texts.link)}>{t('copyJoinLink')}</Button>
            </div>
          </Field>
          {confirmation('link')}

          <Field label={t('messageLabel')} hint={t('messageHint')}>
            <Textarea
              value={message}
              onChange={(_, data) => setMessage(data.value)}
              rows={10}
              resize="vertical"
            />
          </Field>
          <div className={styles.row}>
            <Button appearance="primary" onClick={() => void copy('message', message)}>
              {t('copyMessage')}
            </Button>
          </div>
          {confirmation('message')}

          <Field label={t('smsLabel')}>
            <Textarea
              value={sms}
              onChange={(_, data) => setSms(data.value)}
              rows={4}
              resize="vertical"
              aria-describedby={meterId}
            />
          </Field>
          <SmsMeter measure={measure} id={meterId} />
          <div className={styles.row}>
            <Button appearance="primary" onClick={() => void copy('sms', sms)}>
              {t('copySms')}
            </Button>
          </div>
          {confirmation('sms')}
        </div>
        <div className={styles.qr}>
          <Text weight="semibold">{t('qrHeading')}</Text>
          <QrCode
            className={styles.qrImage}
            value={texts.link}
            label={t('qrLabel', { link: texts.link })}
            size={184}
          />
          <Text size={200}>{t('qrHint')}</Text>
        </div>
      </div>
    </section>
  );
}
