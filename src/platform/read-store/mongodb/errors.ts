/** A collection declaration the store cannot map safely to a collection name or index paths. */
export class InvalidCollectionSpecError extends Error {
  readonly code = 'INVALID_COLLECTION_SPEC';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidCollectionSpecError';
  }
}

/** A position that is not a bigint in the range the store can encode losslessly. */
export class InvalidPositionError extends Error {
  readonly code = 'INVALID_POSITION';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidPositionError';
  }
}

/** A document or parked event in a commit that is not what the port promises (a JSON object, strings). */
export class InvalidDocumentError extends Error {
  readonly code = 'INVALID_DOCUMENT';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidDocumentError';
  }
}
