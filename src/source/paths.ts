/**
 * Where a file-system path sits relative to a folder.
 */
import path from 'node:path'

/**
 * Whether `target` is `folder` itself or anything below it. Both are
 * resolved against the working directory first, and compared as written:
 * no symbolic link is followed, so pass real paths (`realpath`) when links
 * matter. A name that only begins with two dots (`..notes`) is below the
 * folder, not above it; a path on another drive (Windows) is outside.
 * A caller for which the folder itself does not count adds
 * `path.resolve(target) !== path.resolve(folder)`.
 */
export function isWithin(folder: string, target: string): boolean {
  const relative = path.relative(folder, target)
  return relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative)
}
