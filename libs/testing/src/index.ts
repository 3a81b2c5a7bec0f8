export * from './requirements';
export * from './run';
