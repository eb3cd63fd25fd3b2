/**
 * Draws the Teams app icons (appPackage/color.png 192x192, appPackage/outline.png 32x32): two sync
 * arrows chasing each other. Run with `npx tsx scripts/makeTeamsIcons.ts` after changing the design;
 * the PNGs are committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

type Rgba = [number, number, number, number];

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
  header.writeUInt8(6, 9); // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** 0..1: how much of the pixel at (x, y) belongs to the two arrows, in a unit square. */
function arrows(x: number, y: number): number {
  const dx = x - 0.5;
  const dy = y - 0.5;
  const r = Math.hypot(dx, dy);
  const angle = (Math.atan2(dy, dx) * 180) / Math.PI + 180; // 0..360
  const onRing = r > 0.22 && r < 0.31;
  const inArc = (angle > 20 && angle < 150) || (angle > 200 && angle < 330);
  if (onRing && inArc) return 1;
  // Arrow heads at the end of each arc (150° and 330°), pointing along the circle.
  for (const end of [150, 330]) {
    const a = ((end - 180) * Math.PI) / 180;
    const cx = 0.5 + Math.cos(a) * 0.265;
    const cy = 0.5 + Math.sin(a) * 0.265;
    const tx = -Math.sin(a);
    const ty = Math.cos(a);
    const along = (x - cx) * tx + (y - cy) * ty;
    const across = Math.abs((x - cx) * Math.cos(a) + (y - cy) * Math.sin(a));
    if (along >= 0 && along < 0.14 && across < 0.1 * (1 - along / 0.14)) return 1;
  }
  return 0;
}

function supersampled(size: number, x: number, y: number): number {
  let sum = 0;
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) sum += arrows((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size);
  return sum / 16;
}

export function colorIcon(): Buffer {
  const size = 192;
  return encodePng(size, (x, y) => {
    const a = supersampled(size, x, y);
    const blue: Rgba = [15, 92, 168, 255];
    return [
      Math.round(blue[0] + (255 - blue[0]) * a),
      Math.round(blue[1] + (255 - blue[1]) * a),
      Math.round(blue[2] + (255 - blue[2]) * a),
      255,
    ];
  });
}

export function outlineIcon(): Buffer {
  const size = 32;
  return encodePng(size, (x, y) => [255, 255, 255, Math.round(255 * supersampled(size, x, y))]);
}

if (require.main === module) {
  const dir = path.join(__dirname, '..', 'appPackage');
  fs.writeFileSync(path.join(dir, 'color.png'), colorIcon());
  fs.writeFileSync(path.join(dir, 'outline.png'), outlineIcon());
  console.log(`icons written to ${dir}`);
}
