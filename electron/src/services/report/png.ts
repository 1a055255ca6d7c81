/**
 * Minimal PNG encoder for key images: 8-bit RGB (alpha dropped: key images are opaque), Sub filter on every row,
 * zlib from node:zlib, CRC-32 per chunk.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { RgbaImage } from '../../../../wasm/src/render/key-image.ts';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePngRgb(image: RgbaImage): Uint8Array {
  const { width, height, rgba } = image;
  if (rgba.length !== width * height * 4) throw new Error(`RGBA buffer holds ${rgba.length} bytes, expected ${width * height * 4}`);
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 1; // Sub filter: each byte minus the same channel of the pixel to its left
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const value = rgba[(y * width + x) * 4 + c] as number;
        const left = x > 0 ? (rgba[(y * width + x - 1) * 4 + c] as number) : 0;
        raw[y * stride + 1 + x * 3 + c] = (value - left) & 0xff;
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const png = Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0))]);
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
