import { describe, expect, it } from 'vitest';
import { parseConnectionUrl } from '../src/main/engine/postgres/connection.js';

describe('connection URL parameters', () => {
  it('takes sslmode and application_name, and refuses anything else by name (no file paths from a shared spec)', () => {
    expect(parseConnectionUrl('postgres://u@db.example:6543/app?sslmode=verify-full&application_name=x').fields).toMatchObject({
      host: 'db.example',
      port: 6543,
      sslMode: 'verify-full',
      applicationName: 'x',
    });
    for (const parameter of ['sslcert=/home/me/.postgresql/postgresql.crt', 'sslkey=/home/me/.ssh/id_rsa', 'sslrootcert=/etc/passwd', 'options=-c%20x=y']) {
      expect(() => parseConnectionUrl(`postgres://u@db.example/app?${parameter}`), parameter).toThrow(
        `The connection URL has a parameter "${parameter.split('=')[0]}" that is not supported (supported: sslmode, application_name, password)`,
      );
    }
  });
});
