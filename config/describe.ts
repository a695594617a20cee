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
    'Set keys in a JSON file passed as `--config FILE` (a bare name such as `prod.json` is read from',
    '`config/`). Precedence, lowest first: defaults, the file, environment variables, overrides given',
    'in code. Unknown keys are errors.',
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
