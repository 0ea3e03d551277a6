// @herald/control-plane: what other packages (the herald CLI) use to run the
// control plane as a process. Everything else in src/ is internal.
export { createApi } from './api.js';
export type { ApiDependencies } from './app.module.js';
export {
  ConfigError,
  DEFAULT_API_LISTEN,
  DEFAULT_DATA_DIR,
  DEFAULT_ZONE_TTL,
  loadConfig,
  parseListen,
  type Environment,
  type HeraldConfig,
  type ListenAddress,
  type MasterKeySource,
} from './process/config.js';
export {
  ADMIN_KEY_FILE,
  DEFAULT_ORG,
  startApi,
  type ApiHandle,
  type Output,
  type StartApiOptions,
} from './process/start-api.js';
export { startWorker, type StartWorkerOptions, type WorkerHandle } from './process/start-worker.js';
export type { JobDependencies, JobRegistrar } from './process/runtime.js';
export type {
  EnqueueOptions,
  JobContext,
  JobHandler,
  JobQueue,
  JobState,
  JobStatus,
} from './ports/job-queue.port.js';
// The API's wire shapes, for clients (type-only: no runtime cost to import).
export type { ApiRecord, RecordInput } from './records/record-mapping.js';
export type { ImportResult } from './zones/zone-files.service.js';
