// The chart's Grafana dashboard (helm/udp-server/dashboards/udp-server.json), as the tests read it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART } from './helpers';

export const DASHBOARD_FILE = join(CHART, 'dashboards', 'udp-server.json');

/** The parts of a Grafana dashboard the tests look at. */
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: {
    list: { name: string; type: string; query: string | { query: string }; datasource?: { uid: string } }[];
  };
  panels: Panel[];
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: { expr: string; refId: string; datasource?: { type: string; uid: string } }[];
  panels?: Panel[];
}

export function chartDashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
}
