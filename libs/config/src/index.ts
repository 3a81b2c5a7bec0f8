export { type RawValue, type Setting, type SettingsTable, type SettingsValues, type ValueSchema } from './setting';
export { loadSettings, type SettingsSource } from './load-settings';
export {
  serverSettings,
  LOG_LEVELS,
  SOCKET_IO_CHOICES,
  type LogLevel,
  type ServerSettingsTable,
  type SocketIoChoice,
} from './server-settings';
export { checkSettings, pingSettings, EXPECTATIONS, type Expectation } from './probe-settings';
export { renderOptions, renderMarkdownTable } from './usage';
export { deepFreeze } from './deep-freeze';
export { ExitCode } from './exit-codes';
export { type ServerConfig, type CheckConfig, type PingConfig } from './config-types';
export { updateReadmeTables, README_TABLES } from './readme-tables';
export { chartServerSchema, CHART_SERVER_VALUES, type JsonSchemaObject } from './chart-values-schema';
