// RFC 1982 serial number arithmetic (32-bit): -1, 0 or 1; NaN-free.
export function compareSerial(a: number, b: number): number {
  if (a === b) return 0;
  const d = (a - b) >>> 0;
  return d < 0x80000000 ? 1 : -1;
}
