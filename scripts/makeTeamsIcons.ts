/**
 * Draws the Teams app icons: appPackage/color.png (192x192, white sync arrows on the app's blue,
 * the symbol inside the central 96x96 as Teams asks) and appPackage/outline.png (32x32, the same
 * arrows in white on transparent, filling the square). Only node's zlib: no image libraries.
 * Run `npx tsx scripts/makeTeamsIcons.ts` after changing the design; the PNGs are committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export type Rgba = [number, number, number, number];

/** The app's accent colour (manifest.json accentColor). */
export const BLUE: Rgba = [15, 92, 168, 255];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buffer) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA, non-interlaced PNG (every row with filter 0). */
export function encodePng(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) Buffer.from(pixel(x, y)).copy(row, 1 + x * 4);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const RING = 0.35; // the arcs' centre line, from the symbol's centre
const STROKE = 0.13; // the arcs' thickness
const HEAD_LENGTH = 0.22;
const HEAD_WIDTH = 0.15; // half the arrow head's base
const ARC_ENDS = [
  { from: 200, to: 330 }, // upper arc, clockwise, head at 330° (right)
  { from: 20, to: 150 }, // lower arc, clockwise, head at 150° (left)
];

/**
 * 1 where the symbol is, 0 elsewhere, for a point of the unit square: two arcs of a circle, each
 * ending in an arrow head that points clockwise, so they chase each other ("sync").
 * Angles are in degrees, clockwise from the positive x axis (y grows downwards).
 */
function symbol(x: number, y: number): number {
  const dx = x - 0.5;
  const dy = y - 0.5;
  const r = Math.hypot(dx, dy);
  const angle = ((Math.atan2(dy, dx) * 180) / Math.PI + 360) % 360;
  if (Math.abs(r - RING) < STROKE / 2 && ARC_ENDS.some((arc) => angle >= arc.from && angle <= arc.to))
    return 1;
  for (const { to } of ARC_ENDS) {
    const a = (to * Math.PI) / 180;
    // The head's base sits on the arc's end, across the ring; it points along the clockwise tangent.
    const bx = 0.5 + Math.cos(a) * RING;
    const by = 0.5 + Math.sin(a) * RING;
    const along = (x - bx) * -Math.sin(a) + (y - by) * Math.cos(a);
    const across = Math.abs((x - bx) * Math.cos(a) + (y - by) * Math.sin(a));
    if (along >= 0 && along <= HEAD_LENGTH && across <= HEAD_WIDTH * (1 - along / HEAD_LENGTH)) return 1;
  }
  return 0;
}

/** Coverage 0..1 of pixel (x, y) of a size x size canvas whose symbol spans [inset, size - inset]. */
function coverage(size: number, inset: number, x: number, y: number): number {
  const span = size - 2 * inset;
  let sum = 0;
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++)
      sum += symbol((x + (i + 0.5) / 4 - inset) / span, (y + (j + 0.5) / 4 - inset) / span);
  return sum / 16;
}

export function colorIcon(): Buffer {
  return encodePng(192, (x, y) => {
    const a = coverage(192, 48, x, y);
    const mix = (c: number): number => Math.round(c + (255 - c) * a);
    return [mix(BLUE[0]), mix(BLUE[1]), mix(BLUE[2]), 255];
  });
}

export function outlineIcon(): Buffer {
  return encodePng(32, (x, y) => [255, 255, 255, Math.round(255 * coverage(32, 0, x, y))]);
}

if (require.main === module) {
  const dir = path.join(__dirname, '..', 'appPackage');
  fs.writeFileSync(path.join(dir, 'color.png'), colorIcon());
  fs.writeFileSync(path.join(dir, 'outline.png'), outlineIcon());
  console.log(`icons written: ${path.join(dir, 'color.png')}, ${path.join(dir, 'outline.png')}`);
}
