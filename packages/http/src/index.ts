export * from './errors/index.js';
export * from './rest/RequestOptions.js';
export * from './rest/PendingAudit.js';
