import type { Name } from './name.js';

/**
 * Host name syntax (RFC 952 as relaxed by RFC 1123 §2.1): letters, digits and
 * hyphens, no hyphen at either end of a label. Required of the targets of
 * NS, MX and SRV records (RFC 1035 §3.3, RFC 2782), not of owner names.
 * Returns the first offending label, or undefined when the name is a host name.
 */
export function firstNonHostnameLabel(name: Name): string | undefined {
  for (const label of name.labels()) {
    let ok = label.length > 0 && label[0] !== 0x2d && label[label.length - 1] !== 0x2d;
    for (let i = 0; ok && i < label.length; i++) {
      const b = label[i]!;
      ok = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d;
    }
    if (!ok) {
      let text = '';
      for (const b of label) text += String.fromCharCode(b);
      return text;
    }
  }
  return undefined;
}

/**
 * True when the labels look like an IP address typed where a name belongs:
 * four numeric labels (`192.0.2.1.`) or a label with ':' (IPv6). With
 * `count`, only the leftmost `count` labels are judged: an address written
 * without a trailing dot in a zone file becomes `192.0.2.1.example.com.`.
 */
export function looksLikeAddress(name: Name, count = name.labelCount): boolean {
  const labels = name.labels().slice(0, count);
  if (labels.length === 4 && labels.every((l) => l.length > 0 && l.every((b) => b >= 0x30 && b <= 0x39)))
    return true;
  return labels.some((l) => l.includes(0x3a)); // ':' only appears in IPv6 literals
}
