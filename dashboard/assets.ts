import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const PAGE = path.join(__dirname, 'page');

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/**
 * The page's files, built once at server start: the TypeScript of page/ and uPlot bundled by
 * esbuild into one script, uPlot's stylesheet and ours into one. Served from memory by exact
 * path, so no URL ever reaches the file system (nothing to traverse), and nothing is fetched
 * from the internet at run time.
 */
export async function buildAssets(): Promise<ReadonlyMap<string, Asset>> {
  const result = await build({
    entryPoints: { app: path.join(PAGE, 'main.ts'), style: path.join(PAGE, 'style.css') },
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'iife',
    target: 'es2020',
    minify: true,
    logLevel: 'silent',
  });
  const byExtension = (ext: string): Buffer => {
    const file = result.outputFiles.find((f) => f.path.endsWith(ext));
    if (file === undefined) throw new Error(`the page bundle has no ${ext} output`);
    return Buffer.from(file.contents);
  };
  return new Map<string, Asset>([
    ['/', { type: 'text/html; charset=utf-8', body: await readFile(path.join(PAGE, 'index.html')) }],
    ['/app.js', { type: 'text/javascript; charset=utf-8', body: byExtension('app.js') }],
    ['/app.css', { type: 'text/css; charset=utf-8', body: byExtension('style.css') }],
  ]);
}
