// Errors of the model folder. Each names what failed and ends with the remedy, so a log line
// alone tells an operator what to do.

/** A requested TensorFlow.js backend cannot be used in this process. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';

  constructor(
    readonly backend: string,
    readonly reason: string,
    readonly remedy: string,
  ) {
    super(`backend '${backend}' is unavailable: ${reason}; ${remedy}`);
  }
}

/** The bytes given to restore() are not a complete, intact checkpoint. */
export class CheckpointFormatError extends Error {
  override readonly name = 'CheckpointFormatError';

  constructor(readonly reason: string) {
    super(
      `invalid checkpoint: ${reason}; the bytes are truncated or corrupt, ` +
        'restore from an intact copy or start from a fresh model',
    );
  }
}

/** An intact checkpoint that was written by a differently configured model. */
export class CheckpointMismatchError extends Error {
  override readonly name = 'CheckpointMismatchError';

  constructor(readonly reason: string) {
    super(
      `checkpoint does not fit this model: ${reason}; restore it into a classifier created ` +
        'with the same options (architecture, image size, classes, optimizer, replay and drift settings) it was written with',
    );
  }
}

/** A batch whose buffers do not match its declared record count or the model's shape. */
export class InvalidBatchError extends Error {
  override readonly name = 'InvalidBatchError';

  constructor(readonly reason: string) {
    super(`invalid batch: ${reason}; pass count*imageSize*imageSize image bytes and count labels`);
  }
}
