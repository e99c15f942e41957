import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A test CA (made at test time, never stored) and a server certificate it signed for 127.0.0.1. */
export type TestTls = {
  /** The CA certificate (PEM), to trust in the client under test. */
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
};

let made: TestTls | undefined;

/**
 * Makes the CA and the loopback server certificate with openssl (P-256, one day), once per process.
 * Clients trust `ca` explicitly (an https agent); nothing is added to the system's trust store.
 */
export function testTls(): TestTls {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'otc-test-ca-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
    ssl(
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-sha256',
      '-days',
      '1',
      '-subj',
      '/CN=One-Time Call test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      'ca.crt',
    );
    ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key');
    ssl('req', '-new', '-key', 'server.key', '-subj', '/CN=127.0.0.1', '-out', 'server.csr');
    writeFileSync(
      join(dir, 'server.ext'),
      'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
    );
    ssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-sha256',
      '-extfile',
      'server.ext',
      '-out',
      'server.crt',
    );
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    made = { ca: read('ca.crt'), cert: read('server.crt'), key: read('server.key') };
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
