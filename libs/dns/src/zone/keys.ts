// Name keys (Name.key: the lowercased wire form as a string) let the zone walk
// the hierarchy by slicing strings instead of building Name objects: the
// first character of a key is the length of its leftmost label.

/** Key of the parent name; the caller stops at the apex (the root has no parent). */
export function parentKey(key: string): string {
  return key.slice(key.charCodeAt(0) + 1);
}

/** True when `key` names `ancestor` or a name below it (the suffix must start on a label boundary). */
export function isKeyAtOrBelow(key: string, ancestor: string): boolean {
  if (key.length < ancestor.length || !key.endsWith(ancestor)) return false;
  const stop = key.length - ancestor.length;
  let p = 0;
  while (p < stop) p += key.charCodeAt(p) + 1;
  return p === stop;
}
