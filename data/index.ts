// The data folder's public surface: the IDX reader and the MNIST sets built on it.
export { readIdx, parseIdx, transposeImages } from './idx';
export type { IdxFile, IdxImages, IdxLabels, IdxOptions } from './idx';
export { loadMnist, clearMnistCache, examples, image, DEFAULT_MNIST_DIR } from './mnist';
export type { MnistSet, MnistSplit, MnistExample, LoadMnistOptions, ExamplesOptions } from './mnist';
export { IdxFormatError, MnistDataError } from './errors';
export type { IdxErrorReason, MnistDataErrorReason } from './errors';
