import { ArgumentError, parseArgs } from './args';

/** What a command takes: its synopsis, what it does, and each option with a line of help. */
export interface CommandSpec {
  readonly usage: string;
  readonly description: string;
  /** `metavar` names an option's value in the help (`--delay MS`). */
  readonly options: Readonly<Record<string, { readonly kind: 'value' | 'flag'; readonly help: string; readonly metavar?: string }>>;
  /** Printed after the options, e.g. the configuration keys. */
  readonly footer?: string;
}

/** `--help` or `-h` was given: runMain prints `text` to stdout and exits 0. */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
  constructor(readonly text: string) {
    super('help requested');
  }
}

/**
 * The command's arguments: `--help`/`-h` anywhere gives the help; an unknown option or a stray
 * argument is an ArgumentError naming it and the known options.
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): Map<string, string | true> {
  if (argv.some((a) => a === '--help' || a === '-h')) throw new HelpRequested(helpText(spec));
  const kinds = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, o.kind]));
  try {
    return parseArgs(argv, kinds);
  } catch (error) {
    if (error instanceof ArgumentError) throw new ArgumentError(`${error.message} (usage: ${spec.usage}; --help for more)`);
    throw error;
  }
}

export function helpText(spec: CommandSpec): string {
  const names = Object.entries(spec.options).map(([name, o]) => [o.kind === 'value' ? `--${name} ${o.metavar ?? 'VALUE'}` : `--${name}`, o.help] as const);
  const width = Math.max(...names.map(([n]) => n.length), '--help'.length);
  const lines = [...names, ['--help', 'show this help and exit'] as const].map(([n, help]) => `  ${n.padEnd(width)}  ${help}`);
  return [`usage: ${spec.usage}`, '', spec.description, '', 'options:', ...lines, ...(spec.footer ? ['', spec.footer] : []), ''].join('\n');
}

/** The --config option every command shares. */
export const CONFIG_OPTION = {
  kind: 'value',
  metavar: 'FILE',
  help: "config file: a bare name is the working directory's file, else config/NAME; a path with a slash from here (default: the defaults)",
} as const;
