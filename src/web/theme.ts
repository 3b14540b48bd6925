import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/** Colours chosen for WCAG 2.1 AA contrast on white (primary shade 8 of Mantine's blue ≈ 6:1). */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  fontFamily: 'Helvetica, Arial, sans-serif',
  defaultRadius: 'sm',
  focusRing: 'always',
});

/** Mantine's "dimmed" grey is 3.3:1 on white; this one is 6.4:1 (AA needs 4.5:1 for text). */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#55595f',
    '--mantine-color-placeholder': '#6b6f76',
    // The "light" variant (alerts, badges) writes in shade 9 on a pale tint: for green (4.3:1) and
    // yellow/orange (under 3:1) that is below AA; these darker tones give 6.5:1 and more.
    '--mantine-color-green-light-color': '#1e6b2c',
    '--mantine-color-yellow-light-color': '#7a4700',
    '--mantine-color-orange-light-color': '#8a3b00',
    // Field errors: Mantine's red 6 is 3.3:1 on white; red 9 is 5.4:1.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
