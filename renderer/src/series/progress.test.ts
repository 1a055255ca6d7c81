import { describe, expect, it } from 'vitest';
import { estimateTimeLeftMs, formatTimeLeft, progressFraction, readBatches, readOrder } from './progress.ts';

describe('estimateTimeLeftMs', () => {
  it('extrapolates the observed rate to the remaining files', () => {
    expect(estimateTimeLeftMs({ totalFiles: 100, filesRead: 40, filesDecoded: 25, filesFailed: 0, elapsedMs: 500 })).toBe(1500);
  });
  it('is limited by the slower stage (reading)', () => {
    expect(estimateTimeLeftMs({ totalFiles: 10, filesRead: 2, filesDecoded: 2, filesFailed: 0, elapsedMs: 100 })).toBe(400);
  });
  it('counts failed files as done and reaches zero at the end', () => {
    expect(estimateTimeLeftMs({ totalFiles: 10, filesRead: 10, filesDecoded: 8, filesFailed: 2, elapsedMs: 900 })).toBe(0);
  });
  it('is undefined before anything finished', () => {
    expect(estimateTimeLeftMs({ totalFiles: 10, filesRead: 3, filesDecoded: 0, filesFailed: 0, elapsedMs: 50 })).toBeUndefined();
  });
});

describe('progressFraction / formatTimeLeft', () => {
  it('weights reading and decoding equally', () => {
    expect(progressFraction({ totalFiles: 4, filesRead: 4, filesDecoded: 2, filesFailed: 0, elapsedMs: 1 })).toBe(0.75);
  });
  it('formats seconds and minutes', () => {
    expect(formatTimeLeft(undefined)).toBe('estimating…');
    expect(formatTimeLeft(400)).toBe('< 1 s');
    expect(formatTimeLeft(12_400)).toBe('12 s');
    expect(formatTimeLeft(75_000)).toBe('1 min 15 s');
  });
});

describe('readOrder', () => {
  it('starts with the middle slice(s), then covers every file once', () => {
    expect(readOrder(5)).toEqual([2, 0, 1, 3, 4]);
    expect(readOrder(4)).toEqual([1, 2, 0, 3]);
    expect(readOrder(1)).toEqual([0]);
    expect(readOrder(0)).toEqual([]);
    const order = readOrder(600);
    expect(order.slice(0, 2)).toEqual([299, 300]);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 600 }, (_, i) => i));
  });
});

describe('readBatches', () => {
  it('reads the middle slice(s) alone first, then consecutive runs, every file once', () => {
    expect(readBatches(5, 2)).toEqual([[2], [0, 1], [3, 4]]);
    expect(readBatches(4, 16)).toEqual([[1, 2], [0, 3]]);
    expect(readBatches(1, 16)).toEqual([[0]]);
    expect(readBatches(0, 16)).toEqual([]);
    const batches = readBatches(600, 16);
    expect(batches[0]).toEqual([299, 300]);
    expect(batches[1]).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 600 }, (_, i) => i));
  });
});
