// @herald/edge: what other packages (the herald CLI) use to run an edge.
// Everything else in src/ is internal.
export {
  DEFAULT_DNS_LISTEN,
  DEFAULT_EDGE_DATA_DIR,
  DEFAULT_HTTP_LISTEN,
  EDGE_VERSION,
  EdgeConfigError,
  loadEdgeConfig,
  parseListen,
  type EdgeConfig,
  type Environment,
  type ListenAddress,
  type StaticZone,
} from './process/config.js';
export {
  startEdge,
  type EdgeHandle,
  type StartEdgeOptions,
  type ZoneChangedEvent,
} from './process/start-edge.js';
