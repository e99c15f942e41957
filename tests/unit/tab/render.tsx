import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { Locale } from '@shared';
import { I18nProvider } from '../../../tab/src/app/i18n';
import { ServicesProvider, type AppServices } from '../../../tab/src/app/services';

/** Renders inside the tab's providers (Fluent theme, language, and optionally services). */
export function renderInTab(
  ui: ReactElement,
  options: { readonly locale?: Locale; readonly services?: AppServices } = {},
): RenderResult {
  const inner = options.services ? (
    <ServicesProvider services={options.services}>{ui}</ServicesProvider>
  ) : (
    ui
  );
  return render(
    <FluentProvider theme={teamsLightTheme}>
      <I18nProvider locale={options.locale ?? 'en'}>{inner}</I18nProvider>
    </FluentProvider>,
  );
}
