/** What a bench run's JSON says of a through-the-broker run and of the model-only runs. */
interface BrokerRun {
  readonly backend?: string;
  readonly training?: 'plain' | 'default';
  readonly optimizer?: string;
}
interface ModelOnly {
  readonly backend: string;
  readonly window: number;
  readonly imagesPerSecond: number;
}

/**
 * A through-the-broker run's records/s as a percentage of model-only speed (same backend, windows
 * of 500, same bench run), for plain Adam runs only: one step a window with Adam is what "model
 * only" trains. null for the other runs.
 */
export function shareOfModelOnly(run: BrokerRun, recordsPerSecond: number, modelOnly: readonly ModelOnly[]): number | null {
  if (run.training !== 'plain' || run.optimizer !== 'adam') return null;
  const alone = modelOnly.find((t) => t.backend === run.backend && t.window === 500)?.imagesPerSecond;
  return alone ? (100 * recordsPerSecond) / alone : null;
}
