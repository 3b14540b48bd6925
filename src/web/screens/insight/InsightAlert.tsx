import { Alert, type AlertProps } from '@mantine/core';

/**
 * Mantine's light alert writes its title in shade 6 of its colour (green 6 on its pale background
 * is 2:1); these shades keep the title at ≥ 4.5:1 (WCAG 2.1 AA).
 */
const TITLE_COLORS: Record<string, string> = {
  green: '#1e6b2e',
  red: '#a61e1e',
  yellow: '#7a4a00',
  gray: '#495057',
};

export function InsightAlert({
  color = 'gray',
  ...props
}: AlertProps & { color: keyof typeof TITLE_COLORS }) {
  return <Alert color={color} styles={{ title: { color: TITLE_COLORS[color] } }} {...props} />;
}
