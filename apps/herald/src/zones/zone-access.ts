import type { Principal } from '../auth/principal.js';
import type { StoredZone, ZoneStore } from '../ports/zone-store.port.js';

/**
 * The zone a principal may read by this name. Tenants see only their org's
 * zones; an `edge` key (a platform reader, minted only by the operator org)
 * reads every zone, because an edge serves all of them.
 */
export async function readableZone(
  store: ZoneStore,
  p: Principal,
  name: string,
): Promise<StoredZone | undefined> {
  return p.role === 'edge' ? store.findZone(name) : store.getZone(p.orgId, name);
}

export async function readableZones(store: ZoneStore, p: Principal): Promise<StoredZone[]> {
  const zones = p.role === 'edge' ? await store.listAllZones() : await store.listZones(p.orgId);
  return p.zones ? zones.filter((z) => p.zones!.includes(z.name)) : zones;
}
