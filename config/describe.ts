/** Renders the key reference of the schema as Markdown, for the README and `--help`. */
import { show } from './problems';
import { settings } from './schema';

export function describeConfig(): string {
  const rows = settings().map((info) =>
    [
      `\`${info.key}\``,
      info.doc,
      info.expects,
      `\`${show(info.default)}\``,
      info.env === undefined ? '' : `\`${info.env}\``,
    ]
      .map(cell)
      .join(' | '),
  );
  return [
    'Set keys in a JSON file passed as `--config FILE` (a bare name such as `prod.json` is the working',
    "directory's file when there is one, else the project's `config/prod.json`). Precedence, lowest",
    'first: defaults, the file, environment variables, overrides given in code. Unknown keys are errors.',
    '',
    '| Key | Meaning | Format | Default | Env |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
    '',
  ].join('\n');
}

// A '|' inside a cell would end it early.
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The keys as plain text for a terminal (`--help`): key, format and default, then the meaning. */
export function describeConfigKeys(): string {
  return settings()
    .map((info) => {
      const env = info.env === undefined ? '' : `; env ${info.env}`;
      return `  ${info.key}: ${info.expects}; default ${show(info.default)}${env}\n      ${info.doc}`;
    })
    .join('\n');
}
