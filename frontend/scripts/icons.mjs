// The app's PNG icons from public/icon.svg, made once and committed (run again after the SVG changes):
//   node scripts/icons.mjs
// icon-192.png and icon-512.png as drawn; maskable-512.png full-bleed with the glyph inside the central 80 %
// circle a launcher may crop to; apple-touch-icon.png (180) for iOS, which ignores the manifest's icons.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Resvg } from '@resvg/resvg-js'

const pub = join(dirname(fileURLToPath(import.meta.url)), '../public')
const svg = readFileSync(join(pub, 'icon.svg'), 'utf8')
const glyph = svg.replace(/^<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '').replace(/<rect[^>]*\/>/, '')
const colour = /<rect[^>]*fill="([^"]+)"/.exec(svg)?.[1] ?? '#1989fa'

// full bleed: a square of the icon's colour, the glyph scaled to 70 % around the centre
const fullBleed = (scale) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" fill="${colour}"/>` +
  `<g transform="translate(256 256) scale(${scale}) translate(-256 -256)">${glyph}</g></svg>`

function png(source, size, name) {
  const out = new Resvg(source, { fitTo: { mode: 'width', value: size } }).render().asPng()
  writeFileSync(join(pub, name), out)
  console.log(`${name}: ${size}×${size}, ${out.length} bytes`)
}

png(svg, 192, 'icon-192.png')
png(svg, 512, 'icon-512.png')
png(fullBleed(0.7), 512, 'maskable-512.png')
png(fullBleed(0.8), 180, 'apple-touch-icon.png')
