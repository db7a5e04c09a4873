/**
 * One LISTEN connection per process: how processes on one database tell each other at once that a
 * job was queued, ended or cancelled. Notifications are a shortcut, never the record (the rows are):
 * a connection lost loses the ones sent meanwhile, so every user also reads the rows now and then.
 * The connection is opened again after a loss, until close().
 */
import type { Client } from 'pg';
import { loadPg } from './db.js';


export class PgListener {
  private client: Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(private readonly url: string, private readonly channel: string, private readonly onMessage: (payload: string) => void) {}

  /** Resolves once listening, or once the first attempt failed (it is tried again every second). */
  async open(): Promise<void> {
    if (this.closed) return;
    const client = new (loadPg().Client)({ connectionString: this.url, connectionTimeoutMillis: 5000, application_name: 'xxgk-listen' });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      void client.end().catch(() => undefined);
      if (!this.closed) this.retry = setTimeout(() => void this.open(), 1000);
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (n) => { if (n.channel === this.channel && n.payload) this.onMessage(n.payload); });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch {
      lost();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
