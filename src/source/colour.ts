/**
 * CSS colours as a setting takes them (the theme's accent): a hex colour, a
 * colour function (`rgb()`, `hsl()`, `hwb()`, `lab()`, `lch()`, `oklab()`,
 * `oklch()`, `color()`) or a named colour. Whatever passes is safe to print
 * inside a `<style>` element or an SVG attribute as it is: it holds no
 * quotes, semicolons, braces or angle brackets.
 */

/** The named colours of CSS Color 4 (`transparent` and `currentcolor` are no accent). */
const namedColours = new Set(
  (
    'aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood ' +
    'cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray ' +
    'darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen ' +
    'darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue ' +
    'firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew ' +
    'hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan ' +
    'lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray ' +
    'lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue ' +
    'mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise mediumvioletred ' +
    'midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid ' +
    'palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple ' +
    'rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue ' +
    'slateblue slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white ' +
    'whitesmoke yellow yellowgreen'
  ).split(' ')
)

const hex = /^#(?:[\da-f]{3,4}|[\da-f]{6}|[\da-f]{8})$/i
const colourFunction = /^(rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(([^()]*)\)$/i
const colorSpaces = /^(?:srgb|srgb-linear|display-p3|a98-rgb|prophoto-rgb|rec2020|xyz|xyz-d50|xyz-d65)$/i
const component = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?(?:%|deg|grad|rad|turn)?|none)$/i

/**
 * Why `text` is not a CSS colour this setting takes, or `undefined` when
 * it is one.
 */
export function colourProblem(text: string): string | undefined {
  const value = text.trim()
  if (hex.test(value) || namedColours.has(value.toLowerCase())) return undefined
  const call = colourFunction.exec(value) ?? /^(color)\(([^()]*)\)$/i.exec(value)
  if (call) {
    let parts = call[2]!.trim().split(/\s*[,/]\s*|\s+/).filter(Boolean)
    if (call[1]!.toLowerCase() === 'color') {
      if (!colorSpaces.test(parts[0] ?? '')) return `${JSON.stringify(text)} names no colour space \`color()\` knows (srgb, display-p3, …)`
      parts = parts.slice(1)
    }
    if ((parts.length === 3 || parts.length === 4) && parts.every((part) => component.test(part))) return undefined
  }
  return `${JSON.stringify(text)} is not a CSS colour: write one like #0d6a61, rgb(13 106 97), oklch(48% 0.09 185) or teal`
}
