import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * The process logger: one JSON object a line, or readable lines when stdout is a terminal. Callers never log
 * message bodies, keys or invite secrets; the server never sees chat in the first place.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  const isTerminal = 'isTTY' in destination && destination.isTTY === true;
  const options = { level, base: null, redact: ['req.headers.cookie', 'req.headers.authorization'] };
  return isTerminal
    ? pino(options, pretty({ destination, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }))
    : pino(options, destination);
}
