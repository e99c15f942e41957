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
  DEFAULT_TEMPLATES,
  DURATION_MAX,
  DURATION_MIN,
  LOCALES,
  TITLE_MAX,
  humanText,
  type CreateCallRequest,
  type Locale,
  type TeamRef,
} from '@shared';
import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../app/i18n';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useCreateCallFormStyles } from './CreateCallForm.styles';

/** The form's request state. */
export type CreateState =
  | { readonly status: 'idle' }
  | { readonly status: 'creating' }
  | { readonly status: 'failed'; readonly code: string };

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
  // Until the agent types a title, it follows the customer's language.
  const shownTitle = title ?? DEFAULT_TEMPLATES[locale].defaultTitle;
  const creating = state.status === 'creating';

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
    <form className={styles.root} onSubmit={submit} aria-labelledby={headingId} noValidate>
      <Title3 as="h2" id={headingId}>
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
          validationMessage={errors.duration}
          validationState={errors.duration ? 'error' : 'none'}
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
        validationMessage={errors.title}
        validationState={errors.title ? 'error' : 'none'}
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
          validationMessage={errors.start}
          validationState={errors.start ? 'error' : 'none'}
        >
          <Input
            type="datetime-local"
            value={startAt}
            onChange={(_, data) => setStartAt(data.value)}
          />
        </Field>
      )}
      {state.status === 'failed' && <ErrorNotice title={t('createFailed')} code={state.code} />}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={creating}>
          {t('createButton')}
        </Button>
        {creating && <Spinner size="tiny" label={t('creating')} />}
      </div>
    </form>
  );
}
