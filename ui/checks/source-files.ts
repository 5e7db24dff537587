// The files under a folder that a check of the source reads.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * Every file under `root` whose path (relative to `root`, with `/`) `keep` accepts, in folders
 * `enter` accepts; full paths.
 */
export function sourceFiles(root: string, keep: (path: string) => boolean, enter: (folder: string) => boolean = () => true): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      const inRoot = relative(root, path).split("\\").join("/");
      if (entry.isDirectory()) return enter(inRoot) ? walk(path) : [];
      return keep(inRoot) ? [path] : [];
    });
  return walk(root);
}
