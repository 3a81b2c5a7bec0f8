import { createError } from '@ricochet/errors';
import { MESSAGES, type MessageTable } from '@ricochet/protocol';
import { HANDLERS, type HandlerFactory, type HandlerTable } from './handlers';
import { OTHER_KIND, kindName } from './server-stats';

/** What the server speaks: a message table, and a handler for each of its request types. */
export interface Service {
  readonly messages: MessageTable;
  readonly handlers: Readonly<Record<string, HandlerFactory>>;
}

/**
 * Pairs a message table with its handlers (the types check that every request type has one). Throws
 * UDP_ERR_MESSAGE_TABLE for a table the server cannot serve.
 */
export function defineService<T extends MessageTable>(messages: T, handlers: HandlerTable<T>): Service {
  const error = MESSAGES.byName.ERROR;
  if (messages.codecOf(error.type) !== error) {
    throw createError(
      'UDP_ERR_MESSAGE_TABLE',
      'the server answers requests in other versions with ERROR 0xff, and this table does not hold it',
    );
  }
  const table: Readonly<Record<string, HandlerFactory>> = handlers;
  for (const request of messages.requests) {
    if (kindName(request) === OTHER_KIND) {
      throw createError('UDP_ERR_MESSAGE_TABLE', `a request named ${request.name} would share the "other" counter`);
    }
    if (typeof table[request.name] !== 'function') {
      throw createError('UDP_ERR_MESSAGE_TABLE', `the request type ${request.name} has no handler`);
    }
  }
  return { messages, handlers };
}

/** Wire format v1, as the server serves it. */
export const RICOCHET_SERVICE = defineService(MESSAGES, HANDLERS);
