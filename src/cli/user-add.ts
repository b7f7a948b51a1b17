/**
 * `npm run user:add -- --email <e-mail> --name <name> --role caseworker|manager|admin [--unit <unit id>]…`
 * Creates a local staff account in the database named by DATABASE_URL (the same default as the
 * server). The password is read from NEW_USER_PASSWORD when set, so it runs without prompts;
 * otherwise it is asked for on the terminal, without echo.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { loadMunicipalityConfig } from '../server/config';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../server/staff/passwords';
import { STAFF_ROLES, type StaffRole } from '../lib/errands';
import { openStore } from '../server/storage/index';

function fail(message: string): never {
  console.error(`user:add: ${message}`);
  process.exit(2);
}

async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) fail('set NEW_USER_PASSWORD, or run in a terminal to be asked for the password');
  const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  process.stdout.write('Password: ');
  // Typed characters are not echoed.
  (terminal as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => undefined;
  const password = await new Promise<string>((resolve) => terminal.question('', resolve));
  terminal.close();
  process.stdout.write('\n');
  return password;
}

const { values } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, unit: { type: 'string', multiple: true } },
});
const email = values.email?.trim().toLowerCase();
if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) fail('--email <e-mail address> is required');
if (!values.name?.trim()) fail('--name <name> is required');
if (!STAFF_ROLES.includes(values.role as StaffRole)) fail(`--role must be one of ${STAFF_ROLES.join(', ')}`);
const role = values.role as StaffRole;
const config = loadMunicipalityConfig(process.env['MUNICIPALITY_CONFIG'] ?? 'config/varmdo.json');
const units = values.unit ?? [];
const unknown = units.filter((unit) => !config.units.some((candidate) => candidate.id === unit));
if (unknown.length > 0) fail(`unknown unit ${unknown.join(', ')}; the units are: ${config.units.map((unit) => unit.id).join(', ')}`);
if (role !== 'admin' && units.length === 0) fail('a caseworker or manager needs at least one --unit');

const password = process.env['NEW_USER_PASSWORD'] ?? (await askPassword());
if (password.length < MIN_PASSWORD_LENGTH) fail(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);

const store = await openStore(process.env['DATABASE_URL']);
try {
  if (await store.staffUserByEmail(email)) fail(`there already is an account for ${email}`);
  const user = await store.addStaffUser({ email, name: values.name.trim(), role, units, passwordHash: await hashPassword(password) }, new Date());
  console.log(`user:add: created ${user.role} ${user.email}${user.units.length > 0 ? ` (${user.units.join(', ')})` : ''}`);
} finally {
  await store.close();
}
