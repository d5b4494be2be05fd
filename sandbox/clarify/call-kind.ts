import type { RequestLogEntry } from '#sandbox/common/request-log.ts';

/**
 * What a logged request did, as the importer's budgets tell calls apart (a read, a bulk create, a record
 * update, a relationship update): tests and the benchmark group the sandbox's log by it.
 */
export const clarifyCallKind = (r: Pick<RequestLogEntry, 'method' | 'path'>) =>
  r.method === 'GET'
    ? 'read'
    : r.path.includes('/relationships/')
      ? 'relate'
      : r.method === 'POST'
        ? 'create'
        : 'update';
