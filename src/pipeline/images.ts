/**
 * The image variants of a build (see render/images.ts for which): found
 * from the local raster images the published posts show and their covers,
 * made with sharp once per source file and kept in a content-addressed
 * cache, ROOT/.cache/letterpress/images/<key>.<ext>, the key naming the
 * source's bytes, the variant's width and format, the encoder settings and
 * sharp's version. A later build copies them from there into OUT, next to
 * the original (`assets/figure-png-800.webp`), and makes nothing again.
 *
 * `planImages` finds them; `makeImages` encodes what the cache lacks, a few
 * sources at a time (sharp has its own thread pool). Both `check` and
 * `build` run them, so they report the same broken images.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import {emailLogo} from '../email/compose.js'
import {allVariants, cardVariant, rasterFormatOf, type ImageVariant} from '../render/images.js'
import {readImageSize, type ImageSize} from '../render/media.js'
import type {ResolvedConfig} from '../source/config.js'
import type {Site} from '../source/site.js'
import type {VFile} from 'vfile'

/** The rule id of a local image that cannot be read. */
export const imageUnreadableRule = 'image-unreadable'

/** The rule id of a build that cannot make smaller copies at all: sharp does not load on this machine. */
export const imageLibraryMissingRule = 'image-library-missing'

/** Encoder settings: part of every cache key. */
const encoder = {webp: {quality: 80, effort: 4}, jpeg: {quality: 82, mozjpeg: true}, png: {compressionLevel: 9}} as const

/** One source image and the variant files it needs. */
export interface ImageSource {
  /** Path relative to the content folder (`assets/figure.png`). */
  relative: string
  /** Absolute path of the file. */
  file: string
  size: ImageSize
  /** Variants by path relative to the content folder (and so to OUT/site). */
  variants: Array<{relative: string; variant: ImageVariant}>
  /** Where the posts show it, for warnings. */
  places: ImagePlace[]
}

/** A post's file and the line and column of an image in it (or of its `cover:`). */
export interface ImagePlace {
  file: VFile
  line?: number | undefined
  column?: number | undefined
}

/** Warn at every place `source` is shown. */
export function warnAtPlaces(places: readonly ImagePlace[], reason: string, ruleId = imageUnreadableRule): void {
  for (const {file, line, column} of places) {
    file.message(reason, {
      ...(line !== undefined ? {place: {line, column: column ?? 1}} : {}),
      ruleId,
      source: 'letterpress'
    })
  }
}

/** What `makeImages` did: the files it made (for tests and timings). */
export interface ImageWork {
  encoded: number
}

let encodedTotal = 0

/** How many variants this process has encoded so far (a test sees that a warm build makes none). */
export function encodedImages(): number {
  return encodedTotal
}

/**
 * The local raster images `site` publishes (in its published posts' bodies
 * and covers), each once, with its size and variants. An image whose size
 * cannot be read is a warning at each place it is shown, and keeps its
 * original only.
 */
export async function planImages(site: Site): Promise<ImageSource[]> {
  const {config} = site
  const places = new Map<string, ImagePlace[]>()
  const covers = new Set<string>()
  for (const post of site.published) {
    const add = (relative: string, line?: number, column?: number) => {
      if (rasterFormatOf(relative) === undefined) return
      const list = places.get(relative)
      if (list) list.push({file: post.file, line, column})
      else places.set(relative, [{file: post.file, line, column}])
    }
    for (const reference of site.references.get(post.sourcePath) ?? []) {
      if (reference.target === 'asset' && reference.resolved) add(reference.resolved, reference.line, reference.column)
    }
    if (post.cover) covers.add(post.cover.resolved)
    if (post.cover) add(post.cover.resolved, post.frontmatter.positions?.cover?.start.line, post.frontmatter.positions?.cover?.start.column)
  }
  const sources: ImageSource[] = []
  for (const [relative, list] of [...places].sort(([a], [b]) => a.localeCompare(b))) {
    const file = path.join(config.postsDir, ...relative.split('/'))
    const size = await readImageSize(file)
    if (!size) {
      warnAtPlaces(list, `Image \`${relative}\` cannot be read as ${rasterFormatOf(relative)!.toUpperCase()}: it is published as it is, without smaller copies`)
      continue
    }
    const variants = allVariants(relative, size, covers.has(relative)).map((variant) => ({relative: variant.url, variant}))
    sources.push({relative, file, size, variants, places: list})
  }
  const card = await siteCard(config, sources)
  if (card) sources.push(card)
  const logo = await emailLogoSource(config)
  if (logo) sources.push(logo)
  return sources
}

/**
 * The site's logo as the email's header shows it, when it is an SVG: a PNG
 * made from it (see `emailLogo`). Made whether or not the site sends
 * issues: it is one small file, and `issue` may run without a build.
 */
async function emailLogoSource(config: ResolvedConfig): Promise<ImageSource | undefined> {
  const logo = config.theme.logo
  if (!logo?.source || !logo.url) return undefined
  const size = await readImageSize(logo.source)
  const variant = emailLogo(logo.url, size).variant
  if (!size || !variant) return undefined
  const relative = variant.url.slice(1)
  return {relative: logo.url.slice(1), file: logo.source, size, variants: [{relative, variant: {...variant, url: relative}}], places: []}
}

/**
 * The site's card image (`theme.image`, shown when a page without a cover
 * is shared) as a source of one variant, its card (see `cardVariant`), when
 * it needs one and no post's image brings it along already. `config-file-
 * missing` has said so of a file that is not there; one that cannot be read
 * is published as it is.
 */
async function siteCard(config: ResolvedConfig, sources: ImageSource[]): Promise<ImageSource | undefined> {
  const image = config.theme.image
  if (!image?.source || !image.url || rasterFormatOf(image.url) === undefined) return undefined
  const relative = image.url.slice(1)
  const size = await readImageSize(image.source)
  const variant = size && cardVariant(relative, size)
  if (!size || !variant || variant.original) return undefined
  const shown = sources.find((source) => source.relative === relative)
  if (shown) {
    if (!shown.variants.some((each) => each.relative === variant.url)) shown.variants.push({relative: variant.url, variant})
    return undefined
  }
  return {relative, file: image.source, size, variants: [{relative: variant.url, variant}], places: []}
}

/** The image cache of `config`. */
export function imageCacheDir(config: ResolvedConfig): string {
  return path.join(config.cacheDir, 'letterpress', 'images')
}

/** sharp failed to load: its platform part is missing or does not fit this machine. */
class SharpMissing extends Error {}

/** The sharp module, loaded only when an image is to be made (a build finding all in the cache never loads it). */
let sharpModule: Promise<typeof import('sharp').default> | undefined
function loadSharp() {
  sharpModule ??= (async () => {
    let sharp: typeof import('sharp').default
    try {
      sharp = (await import('sharp')).default
    } catch (error) {
      // sharp's own text is a paragraph of advice: its first line says what failed.
      throw new SharpMissing((error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/[\s:]+$/, ''))
    }
    // Few threads each: several sources are encoded at once, and the build shares the machine.
    sharp.concurrency(Math.max(1, Math.min(2, os.availableParallelism())))
    sharp.cache(false)
    return sharp
  })()
  return sharpModule
}

/** Numbers the temporary files of this process, so no two writes share one. */
let temporaries = 0

let installedVersion: string | undefined
/** The installed sharp's version, read from its package.json (loading sharp itself takes a while). */
function sharpVersion(): string {
  if (installedVersion === undefined) {
    try {
      // sharp's entry is a file in a folder of the package (dist/index.cjs): its package.json is one folder up.
      const entry = createRequire(import.meta.url).resolve('sharp')
      installedVersion = String((JSON.parse(fs.readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as {version?: unknown}).version ?? '')
    } catch {
      installedVersion = ''
    }
  }
  return installedVersion
}

/** The cache file of `variant` of a source whose bytes hash to `sourceHash`. */
function cacheFile(folder: string, sourceHash: string, variant: ImageVariant, sharpVersion: string): string {
  const key = createHash('sha256')
    .update(JSON.stringify([sourceHash, variant.width, variant.format, encoder[variant.format], sharpVersion]))
    .digest('hex')
    .slice(0, 32)
  return path.join(folder, `${key}.${variant.format === 'jpeg' ? 'jpg' : variant.format}`)
}

/**
 * Make the variants of `sources` the cache lacks and give every variant's
 * output (path relative to OUT/site, copied from the cache). A source sharp
 * cannot decode is a warning where it is shown and gets no variants.
 */
export async function makeImages(config: ResolvedConfig, sources: readonly ImageSource[]): Promise<Map<string, {copyFrom: string}>> {
  const outputs = new Map<string, {copyFrom: string}>()
  if (sources.length === 0) return outputs
  const version = sharpVersion()
  const folder = imageCacheDir(config)
  fs.mkdirSync(folder, {recursive: true})
  let next = 0
  /** The first source (in order) that needed sharp when it would not load: the one place that says so. */
  let libraryMissing: {index: number; reason: string} | undefined
  const making = new Map<string, Promise<void>>()
  const worker = async () => {
    while (next < sources.length) {
      const index = next++
      const source = sources[index]!
      try {
        const bytes = await fs.promises.readFile(source.file)
        const sourceHash = createHash('sha256').update(bytes).digest('hex')
        const files = source.variants.map(({relative, variant}) => ({relative, variant, file: cacheFile(folder, sourceHash, variant, version)}))
        const missing = files.filter(({file}) => !fs.existsSync(file))
        if (missing.length > 0) {
          // Lenient like a browser: a truncated file shows what it has. Turned by its EXIF orientation, as browsers show it.
          const sharp = await loadSharp()
          // An SVG is drawn at the density that makes it as wide as its widest variant (72 dpi draws it at its own size).
          const widest = Math.max(...source.variants.map(({variant}) => variant.width))
          const vector = /\.svg$/i.test(source.file) ? {density: Math.min(2400, Math.max(72, Math.ceil((72 * widest) / source.size.width)))} : {}
          const image = sharp(bytes, {failOn: 'none', ...vector}).rotate()
          for (const {variant, file} of missing) {
            // The same bytes published at two paths share their cache files: the second waits for the first's.
            let job = making.get(file)
            if (!job) {
              job = (async () => {
                const resized = image.clone().resize({width: variant.width, withoutEnlargement: true})
                const encoded = variant.format === 'webp' ? resized.webp(encoder.webp) : variant.format === 'png' ? resized.png(encoder.png) : resized.flatten({background: '#ffffff'}).jpeg(encoder.jpeg)
                const buffer = await encoded.toBuffer()
                const temporary = `${file}.${process.pid}.${++temporaries}.tmp`
                await fs.promises.writeFile(temporary, buffer)
                await fs.promises.rename(temporary, file)
                encodedTotal++
              })()
              making.set(file, job)
            }
            await job
          }
        }
        for (const {relative, file} of files) outputs.set(relative, {copyFrom: file})
      } catch (error) {
        if (error instanceof SharpMissing) {
          if (!libraryMissing || index < libraryMissing.index) libraryMissing = {index, reason: error.message}
          for (const {relative} of source.variants) outputs.set(relative, {copyFrom: source.file})
          continue
        }
        const reason = (error instanceof Error ? error.message : String(error)).replace(/[\s:]+$/, '')
        warnAtPlaces(source.places, `Image \`${source.relative}\` cannot be decoded (${reason}): it is published as it is, its smaller copies are the original file`)
        // The pages name the variants already: they get the original's bytes, which browsers and mail clients read by content.
        for (const {relative} of source.variants) outputs.set(relative, {copyFrom: source.file})
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(2, sources.length)}, worker))
  if (libraryMissing) {
    // Said once, where the first image is shown: every image is in the same case, and the cause is the install.
    warnAtPlaces(
      sources[libraryMissing.index]!.places.slice(0, 1),
      `No smaller copies of images are made: the image library sharp does not load on this machine (${libraryMissing.reason}). Images are published as they are; \`npm install --include=optional sharp\` installs its part for this platform`,
      imageLibraryMissingRule
    )
  }
  return outputs
}
