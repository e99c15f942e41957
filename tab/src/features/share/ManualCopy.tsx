import { Field, Textarea } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { useI18n } from '../../app/i18n';

/** The last resort: the text, selected and focused, with a "press Ctrl+C" hint. */
export function ManualCopy({ text }: { text: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, [text]);
  return (
    <Field label={t('manualCopyLabel')}>
      <Textarea
        ref={ref}
        value={text}
        readOnly
        resize="vertical"
        rows={Math.min(8, text.split('\n').length + 1)}
      />
    </Field>
  );
}
