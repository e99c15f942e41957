import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, type Theme } from '@fluentui/react-components';
import type { HostTheme } from '../teams';

export const THEMES: Readonly<Record<HostTheme, Theme>> = {
  default: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};

/** `?theme=light|dark|contrast` (for screenshots and support), else undefined. */
export function themeOverride(search: URLSearchParams): HostTheme | undefined {
  switch (search.get('theme')) {
    case 'light':
    case 'default':
      return 'default';
    case 'dark':
      return 'dark';
    case 'contrast':
    case 'high-contrast':
      return 'contrast';
    default:
      return undefined;
  }
}
