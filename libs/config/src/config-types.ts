import type { checkSettings, pingSettings } from './probe-settings';
import type { ServerSettingsTable } from './server-settings';
import type { SettingsValues } from './setting';

export type ServerConfig = SettingsValues<ServerSettingsTable>;
export type CheckConfig = SettingsValues<typeof checkSettings>;
export type PingConfig = SettingsValues<typeof pingSettings>;
