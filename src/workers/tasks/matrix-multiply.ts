import { mulberry32 } from '../../shared/random.js';

export interface Matrix {
  size: number;
  /** Row-major size×size values. */
  values: Float64Array;
}

/** The product of two random size×size matrices drawn from one seeded stream. */
export function matrixMultiply(size: number, seed: number): Matrix {
  const random = mulberry32(seed);
  const a = randomMatrix(size, random);
  const b = randomMatrix(size, random);
  const product = new Float64Array(size * size);
  // i-k-j order walks b and product row by row, which keeps the inner loop in cache.
  for (let i = 0; i < size; i++) {
    const row = i * size;
    for (let k = 0; k < size; k++) {
      const aik = a[row + k]!;
      const bRow = k * size;
      for (let j = 0; j < size; j++) product[row + j]! += aik * b[bRow + j]!;
    }
  }
  return { size, values: product };
}

function randomMatrix(size: number, random: () => number): Float64Array {
  const values = new Float64Array(size * size);
  for (let i = 0; i < values.length; i++) values[i] = random();
  return values;
}
