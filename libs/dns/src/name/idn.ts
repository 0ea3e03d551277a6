import { domainToASCII } from 'node:url';

/**
 * Converts one U-label to its A-label (`bücher` -> `xn--bcher-kva`) with the
 * UTS 46 mapping that browsers and registries apply; undefined if invalid.
 */
export function toALabel(label: string): string | undefined {
  const ascii = domainToASCII(label);
  if (ascii === '' || ascii.includes('.')) return undefined;
  return ascii;
}
