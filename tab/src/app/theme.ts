import {
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  type Theme,
} from '@fluentui/react-components';
import type { HostTheme } from '../teams';

export const THEMES: Readonly<Record<HostTheme, Theme>> = {
  default: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};

const OVERRIDES: Readonly<Record<string, HostTheme>> = {
  light: 'default',
  default: 'default',
  dark: 'dark',
  contrast: 'contrast',
  'high-contrast': 'contrast',
};

/** `?theme=light|dark|contrast` (for screenshots and support), else undefined. */
export function themeOverride(search: URLSearchParams): HostTheme | undefined {
  const asked = search.get('theme');
  return asked === null ? undefined : OVERRIDES[asked];
}
