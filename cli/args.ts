/** A command-line argument that is missing a value or not of the expected form. */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
}

/** `--name value` and `--name=value` pairs and bare `--flag`s; `--config` is left to loadConfig. */
export function parseArgs(argv: readonly string[], known: Readonly<Record<string, 'value' | 'flag'>>): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new ArgumentError(`unexpected argument '${arg}'; options start with --`);
    const [name = '', inline] = arg.slice(2).split('=', 2);
    const kind = known[name];
    if (!kind) throw new ArgumentError(`unknown option --${name}; known: ${Object.keys(known).map((k) => `--${k}`).join(', ')}`);
    if (kind === 'flag') {
      out.set(name, true);
      continue;
    }
    const value = inline ?? argv[(i += 1)];
    if (value === undefined || value.startsWith('--')) throw new ArgumentError(`--${name} needs a value`);
    out.set(name, value);
  }
  return out;
}

export function intArg(args: Map<string, string | true>, name: string, fallback: number, min = 0): number {
  const raw = args.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw === true || !Number.isInteger(n) || n < min) throw new ArgumentError(`--${name} must be a whole number >= ${min}, got '${String(raw)}'`);
  return n;
}
