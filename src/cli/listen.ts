/** Binding a command's port, shared by `serve` and `worker`: what went wrong, in one line a user can act on. */
import { StartError, UsageError } from './args.js';

/** A --port value: 0 to 65535, or a usage error. */
export function checkPort(value: string, usage: string, command: string): void {
  if (!(/^\d{1,5}$/.test(value) && Number(value) <= 65535)) throw new UsageError(`--port must be a port number from 0 to 65535, got '${value}'`, usage, command);
}

export const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/** Why listen failed, and what to do about it, in one line. */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): StartError {
  const where = `cannot listen on ${hostPort(host, port)}`;
  const otherPort = `choose another port with PORT=<n> or --port <n>`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new StartError(`${where}: the address is already in use (another service?); ${otherPort}.`);
    case 'EACCES':
      return new StartError(`${where}: permission denied (ports under 1024 need privileges); ${otherPort}.`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartError(`${where}: ${host} is not an address of this machine; choose another with HOST=<address> or --host <address>.`);
    default:
      return new StartError(`${where}: ${err.code ? `${err.code}: ` : ''}${err.message}`);
  }
}

/** Listens on host:port, or throws a StartError saying why not. */
export async function listen(server: import('node:http').Server, host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: NodeJS.ErrnoException) => {
    throw listenError(err, host, port);
  });
}

/** The port a server listens on (the one given, or the free one it took for 0). */
export function boundPort(server: import('node:http').Server, fallback: number): number {
  const address = server.address();
  return address && typeof address === 'object' ? address.port : fallback;
}
