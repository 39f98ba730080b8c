/**
 * The variants of a local raster image (PNG, JPEG, WebP): which widths and
 * formats the build makes of it, and their URLs. A pure function of the
 * image's URL and pixel size, so a render (web or email) names the files
 * without waiting for them, and the pipeline makes exactly those.
 *
 * - Web: WebP at each of `webWidths` narrower than the original, and at the
 *   original's width; the `<img>` keeps the original as its fallback.
 *   AVIF is not made: measured on the sample site's 1200 x 630 PNGs at
 *   480, 800 and 1200 px, sharp took 8.8 to 10.2 s for AVIF (quality 50,
 *   effort 4) against 0.4 to 0.6 s for WebP (quality 80), for files about
 *   half the size: twenty times the work of a cold build, for little.
 * - Email: one image per use, twice the email column wide (never wider than
 *   the original), PNG when the image has transparency, JPEG otherwise
 *   (mail clients show no WebP). An original already fitting is used as is.
 *
 * - Covers: a card for `og:image`, 1200 pixels wide at most, JPEG or PNG
 *   like email's.
 *
 * GIFs (they may move) and SVGs (they scale) are never changed.
 * Variant names carry the original's extension (`figure.png` gives
 * `figure-png-800.webp`), so `figure.png` and `figure.jpg` side by side
 * never share one.
 */
/** Pixel size of an image file. */
export interface ImageSize {
  width: number
  height: number
  /** The image has transparency (a PNG or WebP with an alpha channel); only ever `true`. */
  alpha?: true
}

/** The widths the web variants are made in, besides the original's own. */
export const webWidths: readonly number[] = [480, 800, 1200, 1600]

/** The width of the theme's text column, in CSS pixels: what an image is shown at, at most. */
export const contentWidth = 744

/** The width of the email column (the email theme's, in CSS pixels). */
export const emailColumnWidth = 552

/** The width of the variant social cards (`og:image`) use. */
export const cardWidth = 1200

/** The formats an image variant is written in. */
export type VariantFormat = 'webp' | 'png' | 'jpeg'

/** A raster format letterpress makes variants of. */
export type RasterFormat = 'png' | 'jpeg' | 'webp'

/** One file made from an original. */
export interface ImageVariant {
  /** Its URL: the original's folder, a name from the original's and the width. */
  url: string
  width: number
  height: number
  format: VariantFormat
  /** The variant is the original itself (already the right format, not too wide). */
  original: boolean
}

/** The raster format of a site path or a path by its extension, or `undefined` (GIF, SVG, remote, unknown). */
export function rasterFormatOf(url: string): RasterFormat | undefined {
  if (/^[a-z][a-z\d+.-]*:/i.test(url) || url.startsWith('//')) return undefined
  const match = /\.(png|jpe?g|webp)$/i.exec(url.split(/[?#]/)[0] ?? '')
  if (!match) return undefined
  const extension = match[1]!.toLowerCase()
  return extension === 'jpg' || extension === 'jpeg' ? 'jpeg' : (extension as RasterFormat)
}

/** The file name suffix of a format. */
function extensionOf(format: VariantFormat): string {
  return format === 'jpeg' ? 'jpg' : format
}

/** The URL of the variant of `url` at `width` in `format`. */
export function variantUrl(url: string, width: number, format: VariantFormat): string {
  const match = /^(.*)\.([A-Za-z0-9]+)$/.exec(url)
  if (!match) return `${url}-${width}.${extensionOf(format)}`
  return `${match[1]}-${match[2]!.toLowerCase()}-${width}.${extensionOf(format)}`
}

function scaled(size: ImageSize, width: number): number {
  return Math.max(1, Math.round((size.height * width) / size.width))
}

/** The widths of the web variants of an image `size.width` wide: never wider than it, its own always included. */
export function webVariantWidths(originalWidth: number): number[] {
  return [...webWidths.filter((width) => width < originalWidth), originalWidth]
}

/** The web variants of the image at `url` (WebP, narrowest first); none for a GIF, SVG or remote image. */
export function webVariants(url: string, size: ImageSize): ImageVariant[] {
  const format = rasterFormatOf(url)
  if (format === undefined) return []
  return webVariantWidths(size.width).map((width) => {
    const original = format === 'webp' && width === size.width
    return {url: original ? url : variantUrl(url, width, 'webp'), width, height: scaled(size, width), format: 'webp', original}
  })
}

/**
 * The social card (`og:image`) of a cover at `url`: `cardWidth` wide at
 * most, in JPEG or PNG like email's (not every site that shows cards reads
 * WebP). `undefined` for a GIF, SVG or remote image.
 */
export function cardVariant(url: string, size: ImageSize): ImageVariant | undefined {
  return flatVariant(url, size, cardWidth)
}

/** A JPEG (PNG with transparency) of the image at `url`, `maxWidth` wide at most; the original when it already is one. */
function flatVariant(url: string, size: ImageSize, maxWidth: number): ImageVariant | undefined {
  const source = rasterFormatOf(url)
  if (source === undefined) return undefined
  const format: VariantFormat = size.alpha ? 'png' : 'jpeg'
  const width = Math.min(size.width, maxWidth)
  const original = source === format && width === size.width
  return {url: original ? url : variantUrl(url, width, format), width, height: scaled(size, width), format, original}
}

/**
 * The image email shows for the image at `url`: twice the email column
 * wide at most, PNG with transparency, JPEG otherwise. `undefined` for a
 * GIF, SVG or remote image (email shows it as it is).
 */
export function emailVariant(url: string, size: ImageSize): ImageVariant | undefined {
  return flatVariant(url, size, 2 * emailColumnWidth)
}

/**
 * The URL email uses for the image at `url` (a site path, as the tree
 * holds it) whose pixel size is `size`: its email variant's, or `url` when
 * it has none. Resolve it against the site's `baseUrl` for an absolute URL.
 */
export function emailImageUrl(url: string, size: ImageSize | undefined): string {
  return (size && emailVariant(url, size)?.url) ?? url
}

/** Every variant file of the image at `url`: the web variants, the email one, a cover's card (originals left out, each once). */
export function allVariants(url: string, size: ImageSize, cover = false): ImageVariant[] {
  const variants = [...webVariants(url, size), emailVariant(url, size), ...(cover ? [cardVariant(url, size)] : [])]
  const unique = new Map<string, ImageVariant>()
  for (const variant of variants) if (variant && !variant.original) unique.set(variant.url, variant)
  return [...unique.values()]
}

/** A `srcset` value of `variants`. */
export function srcsetOf(variants: readonly ImageVariant[]): string {
  return variants.map((variant) => `${variant.url} ${variant.width}w`).join(', ')
}

/**
 * The `sizes` value of an image shown `shown` CSS pixels wide at most:
 * the viewport less the theme's gutters on a narrow screen, else `shown`.
 */
export function sizesOf(shown: number): string {
  const width = Math.min(shown, contentWidth)
  // The gutters are 1 rem (16 px) each side up to 400 px wide, and never wider than 2 rem.
  return `(max-width: ${width + 64}px) calc(100vw - 2rem), ${width}px`
}
