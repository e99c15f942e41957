import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { Translate } from './i18n';

type Props = {
  readonly t: Translate;
  readonly children: ReactNode;
  readonly onReload?: () => void;
};
type State = { readonly failed: boolean };

/** Catches bugs in rendering and shows a way out instead of a blank tab. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('One-Time Call tab crashed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    const { t, onReload = () => window.location.reload() } = this.props;
    return (
      <MessageBar intent="error" layout="multiline" role="alert">
        <MessageBarBody>
          <MessageBarTitle>{t('crashTitle')}</MessageBarTitle> {t('crashBody')}
        </MessageBarBody>
        <MessageBarActions>
          <Button onClick={onReload}>{t('reload')}</Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
}
