/**
 * `npm run open311:key -- --client "Name of app"` issues an Open311 API key and prints it once
 * (only its hash is stored); `--list` lists the clients; `--revoke <id>` revokes one's key.
 * Works on the database named by DATABASE_URL, with the same default as the server.
 */
import { parseArgs } from 'node:util';
import { hashOpen311Key, MAX_OPEN311_CLIENT_NAME, newOpen311Key } from '../server/open311/keys';
import { openStore } from '../server/storage/index';

const USAGE = 'use --client "Name of app", --list, or --revoke <id>';

function fail(message: string): never {
  console.error(`open311:key: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({ options: { client: { type: 'string' }, list: { type: 'boolean' }, revoke: { type: 'string' } } });
const actions = [values.client !== undefined, values.list === true, values.revoke !== undefined].filter(Boolean).length;
if (actions !== 1) fail(USAGE);
const clientName = values.client?.trim();
if (values.client !== undefined && (!clientName || clientName.length > MAX_OPEN311_CLIENT_NAME)) fail(`--client needs a name of 1–${MAX_OPEN311_CLIENT_NAME} characters`);
if (values.revoke !== undefined && !/^[1-9]\d{0,15}$/.test(values.revoke)) fail('--revoke needs the id of a client, as --list shows it');

const store = await openStore(process.env['DATABASE_URL']);
try {
  if (clientName) {
    const key = newOpen311Key();
    const client = await store.addOpen311Client(clientName, hashOpen311Key(key), new Date());
    console.log(`open311:key: issued key ${client.id} for ${client.name}. Give it to the client now: it is not stored and cannot be shown again.`);
    console.log(key);
  } else if (values.list) {
    const clients = await store.open311Clients();
    if (clients.length === 0) console.log('open311:key: no clients yet');
    for (const client of clients) console.log(`${client.id}\t${client.name}\tissued ${client.createdAt}${client.revokedAt ? `\trevoked ${client.revokedAt}` : ''}`);
  } else if (values.revoke !== undefined) {
    if (!(await store.revokeOpen311Client(Number(values.revoke), new Date()))) fail(`no client ${values.revoke} with a key in use`);
    console.log(`open311:key: revoked key ${values.revoke}`);
  }
} finally {
  await store.close();
}
