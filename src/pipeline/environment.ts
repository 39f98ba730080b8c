/**
 * What a build takes from its environment into the config, read in one
 * place when a command starts: SOURCE_DATE_EPOCH, the "now" of a
 * reproducible build (reproducible-builds.org), in whole seconds.
 */
import type {ConfigOverrides} from '../source/config.js'

/** SOURCE_DATE_EPOCH when it is whole seconds, else `undefined` (the clock). */
export function sourceDateEpoch(): number | undefined {
  const value = process.env['SOURCE_DATE_EPOCH']?.trim()
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined
}

/** `overrides` with what the environment adds (an explicit `sourceDateEpoch` wins). */
export function withEnvironment<T extends ConfigOverrides>(overrides: T): T {
  return {...overrides, sourceDateEpoch: overrides.sourceDateEpoch ?? sourceDateEpoch()}
}
