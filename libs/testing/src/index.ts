export * from './requirements';
export * from './forged-udp';
export * from './run';
export * from './memory-cgroup';
export * from './cpu-cgroup';
