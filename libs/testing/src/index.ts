export * from './requirements';
export * from './forged-udp';
export * from './run';
