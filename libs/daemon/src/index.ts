export * from './process-record';
export * from './health';
