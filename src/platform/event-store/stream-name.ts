import { InvalidStreamNameError } from './errors.js';

export const MAX_STREAM_NAME_LENGTH = 200;

const CATEGORY_PATTERN = /^[a-z][a-zA-Z0-9_]{0,49}$/;
// Printable ASCII without space; ids are UUIDs or slugs, never raw request text.
const ID_PATTERN = /^[\x21-\x7e]+$/;

/** A stream is `category-id`: the category has no dash, the id may (tenant and entity ids joined). */
export function streamName(category: string, ...idParts: string[]): string {
  if (!CATEGORY_PATTERN.test(category)) {
    throw new InvalidStreamNameError(
      `category "${category}" must start with a lower-case letter and hold only letters, digits and _`,
    );
  }
  if (idParts.length === 0) throw new InvalidStreamNameError('a stream needs an id after the category');
  const name = `${category}-${idParts.join('-')}`;
  assertValidStreamName(name);
  return name;
}

export function categoryOf(stream: string): string {
  const dash = stream.indexOf('-');
  return dash < 0 ? stream : stream.slice(0, dash);
}

/** Refuses names the typed helpers could not have made; the message says which rule failed. */
export function assertValidStreamName(stream: unknown): asserts stream is string {
  if (typeof stream !== 'string' || stream.length === 0) {
    throw new InvalidStreamNameError('a stream name must be a non-empty string');
  }
  if (stream.length > MAX_STREAM_NAME_LENGTH) {
    throw new InvalidStreamNameError(
      `a stream name is at most ${MAX_STREAM_NAME_LENGTH} characters, got ${stream.length}`,
    );
  }
  if (stream.startsWith('$')) {
    throw new InvalidStreamNameError('names starting with $ are reserved for the store');
  }
  const dash = stream.indexOf('-');
  if (dash <= 0) throw new InvalidStreamNameError(`"${printable(stream)}" has no category (category-id)`);
  const category = stream.slice(0, dash);
  if (!CATEGORY_PATTERN.test(category)) {
    throw new InvalidStreamNameError(`category "${printable(category)}" is not a valid category`);
  }
  const id = stream.slice(dash + 1);
  if (id.length === 0)
    throw new InvalidStreamNameError(`"${printable(stream)}" has no id after the category`);
  if (!ID_PATTERN.test(id)) {
    throw new InvalidStreamNameError('a stream id may hold only printable characters without spaces');
  }
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 60);
}
