/**
 * Alert titles in the text colour: Mantine's light alerts colour the title with shade 6 of the
 * alert colour, below 4.5:1 on the tinted background (axe: color-contrast). The colour of the
 * alert (and its icon-free border) still sets it apart, and its words say what it is.
 */
export const READABLE_ALERT = { title: { color: 'var(--mantine-color-text)' } } as const;
