/** Types of startup.js, for the tests. */
export function bundlePath(root: string): string
export function bundleIsCurrent(root: string): boolean
export function makeBundle(root: string, target?: string): Promise<boolean>
export function loadBundle(
  file: string,
  kind?: string
): {cli: {main(argv: string[]): Promise<number>}; cached: boolean}
