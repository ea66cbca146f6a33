/**
 * @module The one resolver for files shipped beside the code (views/, static/), so `deno compile --include views
 * --include static` and a bundle in dist/ find them the same way as a source checkout.
 */

function isDir(url: URL): boolean {
  try {
    return Deno.statSync(url).isDirectory;
  } catch {
    return false;
  }
}

/** Absolute path of an asset folder (`views`, `static`): beside the project root, or beside a bundle. */
export function assetDir(name: "views" | "static"): string {
  const candidates = [new URL(`../${name}/`, import.meta.url), new URL(`./${name}/`, import.meta.url)];
  const found = candidates.find(isDir) ?? candidates[0];
  return decodeURIComponent(found.pathname).replace(/\/$/, "");
}
