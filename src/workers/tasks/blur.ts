import { mulberry32 } from '../../shared/random.js';

export interface RgbaImage {
  width: number;
  height: number;
  pixels: Uint8ClampedArray;
}

const CHANNELS = 4;

/** A 3×3 box blur of a seeded noise image; edge pixels average the neighbours that exist. */
export function blur(width: number, height: number, seed: number): RgbaImage {
  const source = syntheticImage(width, height, seed);
  const rowStride = width * CHANNELS;
  // Separable: horizontal sums of 3, then vertical sums of those, so each pixel costs 6 reads instead of 9.
  const horizontal = new Uint16Array(source.length);
  for (let y = 0; y < height; y++) {
    const row = y * rowStride;
    for (let x = 0; x < width; x++) {
      const at = row + x * CHANNELS;
      for (let c = 0; c < CHANNELS; c++) {
        let sum = source[at + c]!;
        if (x > 0) sum += source[at - CHANNELS + c]!;
        if (x < width - 1) sum += source[at + CHANNELS + c]!;
        horizontal[at + c] = sum;
      }
    }
  }
  const pixels = new Uint8ClampedArray(source.length);
  for (let y = 0; y < height; y++) {
    const row = y * rowStride;
    const rowsCovered = 1 + (y > 0 ? 1 : 0) + (y < height - 1 ? 1 : 0);
    for (let x = 0; x < width; x++) {
      const at = row + x * CHANNELS;
      const count = rowsCovered * (1 + (x > 0 ? 1 : 0) + (x < width - 1 ? 1 : 0));
      for (let c = 0; c < CHANNELS; c++) {
        let sum = horizontal[at + c]!;
        if (y > 0) sum += horizontal[at - rowStride + c]!;
        if (y < height - 1) sum += horizontal[at + rowStride + c]!;
        pixels[at + c] = Math.round(sum / count);
      }
    }
  }
  return { width, height, pixels };
}

function syntheticImage(width: number, height: number, seed: number): Uint8ClampedArray {
  const random = mulberry32(seed);
  const pixels = new Uint8ClampedArray(width * height * CHANNELS);
  for (let i = 0; i < pixels.length; i++) pixels[i] = random() * 256;
  return pixels;
}
