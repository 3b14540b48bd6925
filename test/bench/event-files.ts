/**
 * The key store beside a bench event file (projection-data.ts writes the events' text encrypted
 * under its keys): a rebuild opens the text with it, as the CLI does. Its own module, so that the
 * rebuilding process loads nothing of the data builder.
 */
export function keyFileOf(eventFile: string): string {
  return `${eventFile}.keys.sqlite`;
}
