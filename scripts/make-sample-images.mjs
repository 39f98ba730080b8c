#!/usr/bin/env node
// Writes the images the sample posts under posts/ refer to: 1200x630 covers
// and 800x450 figures as PNG, plus one small SVG. Only node:zlib is used, so
// the script runs on a fresh clone with no install. Output is deterministic
// (same bytes every run), which keeps git diffs empty when nothing changed.
//
//   node scripts/make-sample-images.mjs
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import zlib from 'node:zlib'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const posts = path.join(root, 'posts')

// A palette shared by every image, so the blog looks like one publication.
const ink = [24, 32, 48]
const paper = [247, 244, 236]
const teal = [22, 128, 120]
const amber = [232, 160, 48]
const coral = [222, 92, 76]
const slate = [96, 112, 136]
const mist = [206, 216, 224]

// ---------------------------------------------------------------- canvas --

/** An RGB canvas with the few drawing operations the charts need. */
function createCanvas(width, height, background = paper) {
  const data = Buffer.alloc(width * height * 3)
  const canvas = {width, height, data}
  fillRect(canvas, 0, 0, width, height, background)
  return canvas
}

function setPixel(c, x, y, color) {
  if (x < 0 || y < 0 || x >= c.width || y >= c.height) return
  const i = (y * c.width + x) * 3
  c.data[i] = color[0]
  c.data[i + 1] = color[1]
  c.data[i + 2] = color[2]
}

function fillRect(c, x, y, w, h, color) {
  const x0 = Math.max(0, Math.round(x))
  const y0 = Math.max(0, Math.round(y))
  const x1 = Math.min(c.width, Math.round(x + w))
  const y1 = Math.min(c.height, Math.round(y + h))
  for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) setPixel(c, xx, yy, color)
}

function strokeRect(c, x, y, w, h, color, t = 2) {
  fillRect(c, x, y, w, t, color)
  fillRect(c, x, y + h - t, w, t, color)
  fillRect(c, x, y, t, h, color)
  fillRect(c, x + w - t, y, t, h, color)
}

function fillCircle(c, cx, cy, r, color) {
  for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
    for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) setPixel(c, x, y, color)
    }
  }
}

// A thick line is a row of discs: crude, but it has round joins for free.
function line(c, x0, y0, x1, y1, color, t = 3) {
  const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)))
  for (let i = 0; i <= steps; i++) {
    fillCircle(c, x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps, t / 2, color)
  }
}

function polyline(c, points, color, t = 3) {
  for (let i = 1; i < points.length; i++) {
    line(c, points[i - 1][0], points[i - 1][1], points[i][0], points[i][1], color, t)
  }
}

function arrow(c, x0, y0, x1, y1, color) {
  line(c, x0, y0, x1, y1, color, 4)
  const a = Math.atan2(y1 - y0, x1 - x0)
  for (const side of [-1, 1]) {
    const b = a + Math.PI - side * 0.5
    line(c, x1, y1, x1 + 16 * Math.cos(b), y1 + 16 * Math.sin(b), color, 4)
  }
}

function mix(a, b, t) {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t))
}

// Horizontal gradient: every row is the same, so PNG's Up filter makes all
// rows but the first nearly free and covers stay small.
function gradient(c, from, to) {
  for (let x = 0; x < c.width; x++) {
    const color = mix(from, to, x / (c.width - 1))
    for (let y = 0; y < c.height; y++) setPixel(c, x, y, color)
  }
}

// ------------------------------------------------------------------- png --

const crcTable = new Int32Array(256).map((_, n) => {
  let k = n
  for (let i = 0; i < 8; i++) k = k & 1 ? 0xedb88320 ^ (k >>> 1) : k >>> 1
  return k
})

function crc32(buffer) {
  let crc = -1
  for (const byte of buffer) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ -1) >>> 0
}

function chunk(type, body) {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length, 0)
  head.write(type, 4, 'ascii')
  const tail = Buffer.alloc(4)
  tail.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0)
  return Buffer.concat([head, body, tail])
}

function paeth(a, b, c) {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

// Per row, pick the filter with the smallest sum of absolute values (the
// heuristic libpng uses); it is what keeps charts and gradients tiny.
function filterRows(c) {
  const stride = c.width * 3
  const out = Buffer.alloc((stride + 1) * c.height)
  const candidate = Buffer.alloc(stride)
  for (let y = 0; y < c.height; y++) {
    const row = c.data.subarray(y * stride, (y + 1) * stride)
    const prev = y > 0 ? c.data.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride)
    let best = -1
    let bestScore = Infinity
    let bestRow = Buffer.alloc(stride)
    for (let type = 0; type < 5; type++) {
      for (let i = 0; i < stride; i++) {
        const left = i >= 3 ? row[i - 3] : 0
        const up = prev[i]
        const upLeft = i >= 3 ? prev[i - 3] : 0
        const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][type]
        candidate[i] = (row[i] - predictor) & 0xff
      }
      let score = 0
      for (const v of candidate) score += v < 128 ? v : 256 - v
      if (score < bestScore) {
        bestScore = score
        best = type
        bestRow = Buffer.from(candidate)
      }
    }
    out[y * (stride + 1)] = best
    bestRow.copy(out, y * (stride + 1) + 1)
  }
  return out
}

function encodePng(c) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(c.width, 0)
  ihdr.writeUInt32BE(c.height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(filterRows(c), {level: 9})),
    chunk('IEND', Buffer.alloc(0))
  ])
}

// ---------------------------------------------------------------- images --

// Deterministic pseudo-random numbers (mulberry32), so charts look organic
// yet the bytes never change between runs.
function random(seed) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A cover: gradient, a band of "paper" and a motif that hints at the topic. */
function cover(from, to, motif) {
  const c = createCanvas(1200, 630)
  gradient(c, from, to)
  fillRect(c, 0, 560, 1200, 70, ink)
  fillRect(c, 60, 585, 220, 20, paper)
  motif(c)
  return c
}

const covers = {
  'welcome.png': cover(teal, ink, (c) => {
    // Three issues stacked like envelopes.
    for (let i = 0; i < 3; i++) {
      const x = 380 + i * 60
      const y = 140 + i * 50
      fillRect(c, x, y, 380, 240, paper)
      strokeRect(c, x, y, 380, 240, ink, 4)
      line(c, x, y, x + 190, y + 130, ink, 4)
      line(c, x + 380, y, x + 190, y + 130, ink, 4)
    }
  }),
  'feature-stores.png': cover(amber, coral, (c) => {
    // Offline store (wide) feeding an online store (narrow).
    fillRect(c, 120, 160, 420, 300, paper)
    strokeRect(c, 120, 160, 420, 300, ink, 6)
    for (let i = 0; i < 6; i++) fillRect(c, 150, 190 + i * 42, 360, 22, mist)
    arrow(c, 560, 310, 700, 310, ink)
    fillRect(c, 730, 230, 300, 160, paper)
    strokeRect(c, 730, 230, 300, 160, ink, 6)
    for (let i = 0; i < 3; i++) fillCircle(c, 800 + i * 80, 310, 24, teal)
  }),
  'drift.png': cover(slate, teal, (c) => {
    const rnd = random(7)
    for (let i = 0; i < 20; i++) {
      const h = 60 + 260 * Math.exp(-(((i - 7) / 4) ** 2)) + rnd() * 20
      const g = 40 + 260 * Math.exp(-(((i - 11) / 4) ** 2)) + rnd() * 20
      fillRect(c, 160 + i * 44, 520 - h, 18, h, paper)
      fillRect(c, 180 + i * 44, 520 - g, 18, g, amber)
    }
  }),
  'registry.png': cover(ink, slate, (c) => {
    // Shelves of versioned models, one highlighted as the champion.
    for (let row = 0; row < 3; row++) {
      for (let col = 0; col < 6; col++) {
        const champion = row === 1 && col === 4
        fillRect(c, 170 + col * 150, 120 + row * 140, 110, 100, champion ? amber : mist)
        strokeRect(c, 170 + col * 150, 120 + row * 140, 110, 100, paper, 3)
      }
    }
  }),
  'llm-eval.png': cover(coral, ink, (c) => {
    // A funnel: many prompts in, few trustworthy verdicts out.
    for (let i = 0; i < 8; i++) {
      const w = 760 - i * 80
      fillRect(c, 600 - w / 2, 90 + i * 55, w, 40, i % 2 ? mist : paper)
    }
  }),
  'data-contracts.png': cover(teal, amber, (c) => {
    // Two documents joined by a handshake line.
    for (const x of [200, 700]) {
      fillRect(c, x, 120, 300, 380, paper)
      strokeRect(c, x, 120, 300, 380, ink, 5)
      for (let i = 0; i < 8; i++) fillRect(c, x + 30, 160 + i * 38, 240 - (i % 3) * 50, 14, slate)
    }
    line(c, 500, 310, 700, 310, ink, 8)
    fillCircle(c, 600, 310, 26, coral)
  }),
  'gpu-scheduling.png': cover(ink, teal, (c) => {
    // A rack of GPUs, some busy, some idle.
    const rnd = random(42)
    for (let row = 0; row < 4; row++) {
      for (let col = 0; col < 8; col++) {
        const busy = rnd() > 0.35
        fillRect(c, 150 + col * 115, 90 + row * 110, 90, 80, busy ? amber : slate)
        strokeRect(c, 150 + col * 115, 90 + row * 110, 90, 80, paper, 3)
      }
    }
  }),
  'shadow.png': cover(slate, ink, (c) => {
    // Live traffic on top, its mirrored shadow below.
    arrow(c, 120, 220, 1080, 220, paper)
    for (let i = 0; i < 5; i++) line(c, 300 + i * 150, 250, 300 + i * 150, 420, mist, 3)
    arrow(c, 120, 450, 1080, 450, slate)
    fillRect(c, 120, 470, 960, 6, mist)
  })
}

/** An empty 800x450 chart with axes, ready for data. */
function chartFrame() {
  const c = createCanvas(800, 450)
  for (let i = 1; i <= 4; i++) fillRect(c, 70, 390 - i * 80, 690, 1, mist)
  fillRect(c, 70, 40, 3, 352, ink)
  fillRect(c, 70, 389, 690, 3, ink)
  return c
}

function psiHistogram() {
  const c = chartFrame()
  const rnd = random(3)
  // Ten bins: the training baseline next to last week's traffic.
  const expected = [4, 7, 11, 15, 18, 16, 12, 9, 5, 3]
  const actual = [2, 4, 7, 11, 15, 18, 17, 13, 8, 5]
  for (let i = 0; i < 10; i++) {
    const x = 100 + i * 66
    fillRect(c, x, 390 - expected[i] * 17, 26, expected[i] * 17, slate)
    fillRect(c, x + 28, 390 - actual[i] * 17 - rnd() * 4, 26, actual[i] * 17, amber)
  }
  return c
}

function gpuUtilisation() {
  const c = chartFrame()
  const rnd = random(11)
  const points = []
  // A week in hours: busy working days, idle nights and a quiet weekend.
  for (let h = 0; h < 168; h++) {
    const day = Math.floor(h / 24)
    const hour = h % 24
    const working = day < 5 && hour >= 8 && hour < 20
    const load = working ? 0.7 + rnd() * 0.25 : 0.12 + rnd() * 0.15
    points.push([72 + (h / 167) * 686, 388 - load * 320])
  }
  for (let d = 1; d < 7; d++) fillRect(c, 72 + ((d * 24) / 167) * 686, 50, 1, 338, mist)
  polyline(c, points, teal, 3)
  line(c, 72, 388 - 0.42 * 320, 758, 388 - 0.42 * 320, coral, 3)
  return c
}

function featureStoreFlow() {
  const c = createCanvas(800, 450)
  const box = (x, y, w, h, color) => {
    fillRect(c, x, y, w, h, color)
    strokeRect(c, x, y, w, h, ink, 3)
  }
  box(40, 60, 160, 90, mist) // event logs
  box(40, 300, 160, 90, mist) // batch tables
  box(320, 170, 170, 110, amber) // transformations
  box(600, 60, 160, 90, teal) // online store
  box(600, 300, 160, 90, slate) // offline store
  arrow(c, 200, 105, 318, 200, ink)
  arrow(c, 200, 345, 318, 250, ink)
  arrow(c, 490, 200, 598, 110, ink)
  arrow(c, 490, 250, 598, 340, ink)
  return c
}

function evalFunnel() {
  const c = chartFrame()
  // Pass rate per release, with the judge's agreement with humans dotted above.
  const pass = [0.61, 0.64, 0.63, 0.7, 0.72, 0.71, 0.78, 0.8]
  const agreement = [0.82, 0.8, 0.84, 0.83, 0.86, 0.85, 0.87, 0.88]
  pass.forEach((p, i) => fillRect(c, 110 + i * 82, 390 - p * 320, 40, p * 320, teal))
  polyline(
    c,
    agreement.map((a, i) => [130 + i * 82, 390 - a * 320]),
    coral,
    4
  )
  agreement.forEach((a, i) => fillCircle(c, 130 + i * 82, 390 - a * 320, 7, coral))
  return c
}

function queueDiagram() {
  const c = createCanvas(800, 450)
  // Two team queues borrowing from one shared cohort of GPUs.
  for (const [i, color] of [[0, teal], [1, amber]]) {
    const y = 70 + i * 200
    for (let j = 0; j < 5; j++) {
      fillRect(c, 40 + j * 56, y + 20, 44, 60, color)
      strokeRect(c, 40 + j * 56, y + 20, 44, 60, ink, 2)
    }
    arrow(c, 330, y + 50, 460, 215, ink)
  }
  fillRect(c, 480, 110, 280, 220, mist)
  strokeRect(c, 480, 110, 280, 220, ink, 4)
  for (let r = 0; r < 2; r++) for (let k = 0; k < 4; k++) fillRect(c, 505 + k * 64, 140 + r * 95, 48, 70, slate)
  return c
}

function contractDiff() {
  const c = createCanvas(800, 450, [252, 252, 250])
  // A schema diff: kept lines grey, a removed column red, an added one green.
  const rows = [mist, mist, coral, teal, mist, mist, mist, teal]
  rows.forEach((color, i) => {
    fillRect(c, 40, 40 + i * 46, 720, 36, color === mist ? [240, 242, 244] : mix(color, paper, 0.55))
    fillRect(c, 40, 40 + i * 46, 10, 36, color)
    fillRect(c, 80, 52 + i * 46, 140 + ((i * 53) % 200), 12, color === mist ? slate : ink)
  })
  return c
}

function oncallTimeline() {
  const c = chartFrame()
  // Latency per hour across one bad night; the spike is the incident.
  const p99 = [80, 82, 79, 85, 81, 84, 190, 260, 240, 120, 90, 83, 80, 81]
  // The shaded band goes first so the line stays on top of it.
  fillRect(c, 380, 50, 110, 338, [250, 228, 220])
  polyline(
    c,
    p99.map((v, i) => [90 + i * 50, 390 - v]),
    coral,
    4
  )
  return c
}

const files = new Map()
for (const [name, canvas] of Object.entries(covers)) files.set(`assets/covers/${name}`, canvas)
files.set('assets/figures/feature-store-flow.png', featureStoreFlow())
files.set('assets/figures/eval-pass-rate.png', evalFunnel())
files.set('assets/figures/contract-diff.png', contractDiff())
files.set('assets/gpu/utilisation-week.png', gpuUtilisation())
files.set('2026/08/psi-histogram.png', psiHistogram())
files.set('2026/09/oncall-latency.png', oncallTimeline())
files.set('2026/10/queue-diagram.png', queueDiagram())

for (const [name, canvas] of files) {
  const target = path.join(posts, name)
  fs.mkdirSync(path.dirname(target), {recursive: true})
  const png = encodePng(canvas)
  fs.writeFileSync(target, png)
  console.log(`${name}  ${canvas.width}x${canvas.height}  ${(png.length / 1024).toFixed(1)} KB`)
}

// One vector image, for the about page (pages never go into the email, which
// cannot show SVG).
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320" role="img" aria-labelledby="t">
  <title id="t">Shadow Traffic logo: a solid arrow above its faded shadow</title>
  <rect width="320" height="320" rx="36" fill="rgb(${ink})"/>
  <path d="M60 130 H230 L200 100 M230 130 L200 160" stroke="rgb(${paper})" stroke-width="16" fill="none" stroke-linecap="round" stroke-linejoin="round"/>
  <path d="M60 210 H230 L200 180 M230 210 L200 240" stroke="rgb(${slate})" stroke-width="16" fill="none" stroke-linecap="round" stroke-linejoin="round" stroke-dasharray="2 26"/>
</svg>
`
fs.writeFileSync(path.join(posts, 'assets/logo.svg'), svg)
console.log('assets/logo.svg  320x320  ' + (svg.length / 1024).toFixed(1) + ' KB')
