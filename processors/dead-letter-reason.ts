/**
 * The reason text of a dead-letter header, made readable in Kafdrop. Kafdrop prints all headers
 * of a record on one line as `key: value, key: value`; a reason that itself holds ", " or ":"
 * cannot be told apart from the next header there. So clauses are joined with "; " and " - "
 * instead, and line breaks become spaces. The words are the error's own.
 */
export function readableReason(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/\s*:\s*/g, ' - ')
    .replace(/,\s+/g, '; ')
    .trim();
}
