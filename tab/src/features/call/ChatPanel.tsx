import { Button, Field, Input, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useI18n } from '../../app/i18n';
import type { ChatLine } from './useCallSession';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  log: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    maxHeight: '240px',
    overflowY: 'auto',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  line: { overflowWrap: 'anywhere' },
  form: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end' },
  grow: { flexGrow: 1 },
});

export type ChatPanelProps = {
  readonly lines: readonly ChatLine[];
  readonly peerName: string;
  readonly onSend: (text: string) => boolean;
};

/** Short messages over the call's data channel; nothing is kept after the call. */
export function ChatPanel({ lines, peerName, onSend }: ChatPanelProps) {
  const { t } = useI18n();
  const styles = useStyles();
  const [text, setText] = useState('');
  const [failed, setFailed] = useState(false);
  return (
    <section className={styles.root} aria-labelledby="call-chat-heading">
      <Text as="h3" weight="semibold" id="call-chat-heading">
        {t('callChatHeading')}
      </Text>
      {lines.length === 0 && <Text size={200}>{t('callChatEmpty')}</Text>}
      <ul className={styles.log} aria-live="polite" data-testid="chat-log">
        {lines.map((line) => (
          <li key={line.id} className={styles.line}>
            <Text weight="semibold">{line.mine ? t('callYou') : peerName}: </Text>
            <Text>{line.text}</Text>
          </li>
        ))}
      </ul>
      <form
        className={styles.form}
        onSubmit={(event) => {
          event.preventDefault();
          const ok = onSend(text);
          setFailed(!ok && text.trim() !== '');
          if (ok) setText('');
        }}
      >
        <Field
          label={t('callChatLabel')}
          className={styles.grow}
          validationMessage={failed ? t('callChatNotSent') : undefined}
        >
          <Input value={text} maxLength={1000} onChange={(_, data) => setText(data.value)} />
        </Field>
        <Button type="submit">{t('callChatSend')}</Button>
      </form>
    </section>
  );
}
