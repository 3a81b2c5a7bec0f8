import { defineMessageTable } from '../message-table';
import { error } from './error';
import { health } from './health';
import { healthStatus } from './health-status';
import { ping } from './ping';
import { pong } from './pong';

/** The message types of wire format v1. A new type is a file in this folder and its name here (docs/extending.md). */
export const MESSAGES = defineMessageTable([ping, health, pong, healthStatus, error]);
