import {
  Button,
  Field,
  Input,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Text,
  Title3,
} from '@fluentui/react-components';
import {
  DEFAULT_DURATION_MINUTES,
  COMMON_MESSAGES,
  DURATION_MAX,
  DURATION_MIN,
  LOCALES,
  TITLE_MAX,
  formatMessage,
  humanText,
  type CreateCallRequest,
  type FieldIssue,
  type Locale,
  type TeamRef,
} from '@shared';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useI18n, type MessageKey, type Translate } from '../../app/i18n';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useCreateCallFormStyles } from './CreateCallForm.styles';

/** The form's request state. */
export type CreateState =
  | { readonly status: 'idle' }
  | { readonly status: 'creating' }
  | {
      readonly status: 'failed';
      readonly code: string;
      /** The fields the server refused (`invalid-input`), shown at those fields. */
      readonly fields?: readonly FieldIssue[] | undefined;
    };

export type CreateCallFormProps = {
  readonly state: CreateState;
  readonly onSubmit: (request: CreateCallRequest) => void;
  /** The customer language preselected (the agent's own). */
  readonly defaultLocale: Locale;
  /** The browser's IANA zone, sent so the invitation shows the agent's times. */
  readonly timeZone: string | undefined;
  /** Set in a channel tab: the link belongs to the team. */
  readonly team?: TeamRef | undefined;
  /** "Now", for the default of the "at a set time" field. */
  readonly now?: (() => Date) | undefined;
};

const TitleSchema = humanText(TITLE_MAX);

/** `YYYY-MM-DDTHH:mm` in local time, the value format of `<input type="datetime-local">`. */
function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

type Errors = { title?: string; duration?: string; start?: string };

/** The server's refusal of a request field, as the text under the form field it concerns. */
function serverErrors(fields: readonly FieldIssue[], t: Translate): Errors {
  const errors: Errors = {};
  for (const { field, reason } of fields) {
    const specific = `fieldReason_${reason}` as MessageKey;
    const own = t(specific) === specific ? undefined : t(specific);
    if (field === 'title') errors.title ??= own ?? t('titleInvalid', { max: TITLE_MAX });
    if (field === 'durationMinutes') {
      errors.duration ??= own ?? t('durationInvalid', { min: DURATION_MIN, max: DURATION_MAX });
    }
    if (field === 'startsAt') errors.start ??= own ?? t('startInvalid');
  }
  return errors;
}
/** "New call link": title, start, duration, customer language. */
export function CreateCallForm({
  state,
  onSubmit,
  defaultLocale,
  timeZone,
  team,
  now = () => new Date(),
}: CreateCallFormProps) {
  const { t } = useI18n();
  const styles = useCreateCallFormStyles();
  const headingId = useId();
  const [locale, setLocale] = useState<Locale>(defaultLocale);
  const [title, setTitle] = useState<string | undefined>(undefined);
  const [startMode, setStartMode] = useState<'now' | 'later'>('now');
  const [startAt, setStartAt] = useState('');
  const [duration, setDuration] = useState(String(DEFAULT_DURATION_MINUTES));
  const [errors, setErrors] = useState<Errors>({});
  const formRef = useRef<HTMLFormElement>(null);
  const failedFields = state.status === 'failed' ? state.fields : undefined;
  // Until the agent types a title, it follows the customer's language.
  const shownTitle = title ?? formatMessage(locale, COMMON_MESSAGES[locale].defaultTitle);
  const creating = state.status === 'creating';

  // A refusal from the server lands at its field, like the form's own checks.
  const refused = useMemo(() => serverErrors(failedFields ?? [], t), [failedFields, t]);
  const refusedAtField = Object.keys(refused).length > 0;
  const fieldErrors: Errors = { ...errors, ...refused };

  // Keyboard and screen-reader users land on the first field that needs fixing.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors, refused]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: Errors = {};
    const parsedTitle = TitleSchema.safeParse(shownTitle);
    if (!parsedTitle.success) next.title = t('titleInvalid', { max: TITLE_MAX });
    const minutes = Number(duration);
    if (!/^\d+$/.test(duration.trim()) || minutes < DURATION_MIN || minutes > DURATION_MAX) {
      next.duration = t('durationInvalid', { min: DURATION_MIN, max: DURATION_MAX });
    }
    const start = startMode === 'later' ? new Date(startAt) : undefined;
    if (start && Number.isNaN(start.getTime())) next.start = t('startInvalid');
    // The minute the agent picked may just have begun: only a start before it is "past".
    else if (start && start.getTime() < now().getTime() - 60_000) next.start = t('startPast');
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsedTitle.success) return;
    onSubmit({
      title: parsedTitle.data,
      durationMinutes: minutes,
      customerLocale: locale,
      ...(start ? { startsAt: start.toISOString() } : {}),
      ...(timeZone ? { timeZone } : {}),
      ...(team ? { team } : {}),
    });
  };

  return (
    <form
      ref={formRef}
      className={styles.root}
      onSubmit={submit}
      aria-labelledby={headingId}
      noValidate
    >
      <Title3 as="h2" id={headingId} tabIndex={-1}>
        {t('newCallHeading')}
      </Title3>
      <Text>{t('newCallIntro')}</Text>
      <div className={styles.grid}>
        <Field label={t('languageLabel')}>
          <Select value={locale} onChange={(_, data) => setLocale(data.value as Locale)}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(l === 'en' ? 'language_en' : 'language_de')}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label={t('durationLabel')}
          validationMessage={fieldErrors.duration}
          validationState={fieldErrors.duration ? 'error' : 'none'}
        >
          <Input
            type="number"
            inputMode="numeric"
            min={DURATION_MIN}
            max={DURATION_MAX}
            step={5}
            value={duration}
            onChange={(_, data) => setDuration(data.value)}
          />
        </Field>
      </div>
      <Field
        label={t('titleLabel')}
        hint={t('titleHint')}
        validationMessage={fieldErrors.title}
        validationState={fieldErrors.title ? 'error' : 'none'}
      >
        <Input
          value={shownTitle}
          maxLength={TITLE_MAX}
          onChange={(_, data) => setTitle(data.value)}
        />
      </Field>
      <Field label={t('startLabel')}>
        <RadioGroup
          layout="horizontal"
          value={startMode}
          onChange={(_, data) => {
            const mode = data.value === 'later' ? 'later' : 'now';
            setStartMode(mode);
            if (mode === 'later' && !startAt) {
              const soon = now();
              soon.setMinutes(soon.getMinutes() + 15, 0, 0);
              setStartAt(toLocalInput(soon));
            }
          }}
        >
          <Radio value="now" label={t('startNow')} />
          <Radio value="later" label={t('startLater')} />
        </RadioGroup>
      </Field>
      {startMode === 'later' && (
        <Field
          label={t('startAtLabel')}
          validationMessage={fieldErrors.start}
          validationState={fieldErrors.start ? 'error' : 'none'}
        >
          <Input
            type="datetime-local"
            min={toLocalInput(now())}
            value={startAt}
            onChange={(_, data) => setStartAt(data.value)}
          />
        </Field>
      )}
      {state.status === 'failed' &&
        (refusedAtField ? (
          <Text>{t('createFailedField')}</Text>
        ) : (
          <ErrorNotice title={t('createFailed')} code={state.code} />
        ))}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={creating}>
          {t('createButton')}
        </Button>
        {creating && <Spinner size="tiny" label={t('creating')} />}
      </div>
    </form>
  );
}
