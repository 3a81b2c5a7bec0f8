export {
  BatchedUdpSocket,
  BatchedUdpError,
  type BatchedUdpSocketOptions,
  type BindOptions,
} from './batched-udp-socket';
export {
  loadBatchedUdp,
  defaultAddonPaths,
  ADDON_FILE,
  type BatchedUdp,
  type BatchedUdpUnavailable,
} from './load-addon';
export { DEFAULT_BATCH_SIZE } from './layout';
