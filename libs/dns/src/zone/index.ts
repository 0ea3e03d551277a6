// Filled in by the zone model (rules, change sets, diff).
export {};
