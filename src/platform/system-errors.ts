/**
 * Whether a thrown value carries a Node system error code (`ENOENT`, `EEXIST`, …). Not by
 * `instanceof Error`: an error made in another realm (a VM context such as Jest's, which is where
 * `fs` errors come from under the tests) is not an `Error` of this one, and a missing brief file
 * then answered 500 instead of 410 there.
 */
export function hasErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
