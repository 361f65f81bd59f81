// imapflow against the view: list, fetch, flag, move, delete, and IDLE (EXISTS pushed after a delivery).
// Usage: node client.mjs PORT MODE(none|starttls|implicit) CAFILE
import { ImapFlow } from 'imapflow';
import { readFileSync } from 'node:fs';

const [port, mode, caFile] = process.argv.slice(2);
const client = new ImapFlow({
  host: 'localhost', port: Number(port), secure: mode === 'implicit',
  doSTARTTLS: mode === 'starttls' ? true : (mode === 'none' ? false : undefined),
  tls: caFile ? { ca: [readFileSync(caFile)] } : undefined,
  auth: { user: 'bob@example.com', pass: 'bob@example.com' },
  logger: process.env.IMAPFLOW_DEBUG ? Object.fromEntries(['debug', 'info', 'warn', 'error', 'trace', 'fatal'].map((l) => [l, (o) => console.error(l, JSON.stringify(o))])) : false,
});
const say = (what) => process.stdout.write(JSON.stringify(what, (k, v) => (typeof v === 'bigint' ? Number(v) : v)) + '\n');
await client.connect();
say({ secure: client.secureConnection, capabilities: [...client.capabilities.keys()].sort() });
say({ folders: (await client.list()).map((f) => f.path) });
const lock = await client.getMailboxLock('INBOX');
try {
  const subjects = [];
  for await (const m of client.fetch('1:*', { uid: true, envelope: true, source: true })) {
    subjects.push([m.uid, m.envelope.subject, m.source.length]);
  }
  say({ fetched: subjects });
  await client.messageFlagsAdd({ uid: 101 }, ['\\Seen'], { uid: true });
  await client.messageFlagsAdd({ uid: 102 }, ['\\Flagged', '$Ticket'], { uid: true });
  await client.mailboxCreate('Archive');
  const moved = await client.messageMove({ uid: 103 }, 'Archive', { uid: true });
  say({ moved: { destination: moved.destination, uidMap: Object.fromEntries(moved.uidMap || []) } });
  say({ deleted: await client.messageDelete({ uid: 104 }, { uid: true }) });
  // IDLE: wait for the EXISTS of a new message.
  const exists = new Promise((resolve) => client.on('exists', (data) => resolve(data)));
  const idling = client.idle();  // resolves when IDLE ends (the next command breaks it)
  say({ idling: true });  // the test delivers now
  let timer;
  const pushed = await Promise.race([exists, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('no EXISTS in 5 s')), 5000); })]);
  clearTimeout(timer);
  say({ exists: pushed.count, previous: pushed.prevCount });
  void idling;
} finally {
  lock.release();
}
await client.logout();
say({ done: true });
