/** The topology graph is not valid: names the phase and the node, and says how to fix it. */
export class TopologyError extends Error {
  override readonly name = 'TopologyError';
  constructor(
    readonly node: string,
    detail: string,
  ) {
    super(`Invalid topology: ${detail}`);
  }
}

/** A processor or punctuator threw: the task stops, naming the node and the record. */
export class ProcessingError extends Error {
  override readonly name = 'ProcessingError';
  constructor(
    readonly node: string,
    readonly where: string,
    override readonly cause: unknown,
  ) {
    super(
      `Processor '${node}' failed ${where}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'Fix the processor, or route bad input to a dead-letter sink instead of throwing.',
    );
  }
}
