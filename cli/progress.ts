/** A one-line progress bar on a terminal; a line every 10% elsewhere (logs, CI). */
export function progressBar(out: NodeJS.WriteStream): (done: number, total: number) => void {
  let lastDecile = -1;
  return (done, total) => {
    const fraction = total > 0 ? done / total : 1;
    if (out.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      out.write(`${done}/${total} records\n`);
    }
  };
}
