/**
 * Checks on text people type (titles, descriptions, reasons, notes) beyond its length: text that
 * no reader can see or that a terminal or a PDF would act on is refused, not stored.
 */

/** C0 and C1 control characters other than tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** What a reader does not see: white space and format characters (zero-width spaces, joiners, marks). */
const INVISIBLE = /[\s\p{Cf}]/gu;

/** Whether the text holds a control character (NUL, BEL, ESC, …) that has no place in typed text. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/** Whether nothing of the text is visible: only white space and invisible format characters. */
export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, '').length === 0;
}

/** The Dutch fault of a text field with a control character, for `Het veld '…' …` messages. */
export const CONTROL_CHARACTER_FAULT =
  'bevat een onzichtbaar stuurteken (zoals NUL, BEL of ESC): laat het weg';
