/** How numbers read on the page. */
export const percent = (value: number | null | undefined): string => (typeof value === 'number' ? `${(value * 100).toFixed(2)}%` : '–');
export const fixed = (value: number | null | undefined, digits: number): string => (typeof value === 'number' ? value.toFixed(digits) : '–');
export const count = (value: number | null | undefined): string => (typeof value === 'number' ? value.toLocaleString('en') : '–');

export function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

/** Rebuilds a table body from rows of cell texts. */
export function fillTable(id: string, rows: readonly (readonly string[])[], empty: string): void {
  const body = element<HTMLTableElement>(id).tBodies[0];
  if (body === undefined) return;
  body.replaceChildren(
    ...(rows.length === 0 ? [[empty]] : rows).map((cells) => {
      const tr = document.createElement('tr');
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        if (rows.length === 0) td.colSpan = 5;
        tr.append(td);
      }
      return tr;
    }),
  );
}
