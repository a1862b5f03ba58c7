import { describe, expect, it } from 'vitest';
import {
  decodeProcAddress,
  inspectorSetting,
  isLoopback,
  isNodeExecutableName,
  parseListeners,
  shortCommand,
  splitNodeOptions,
} from '../src/main/engine/runtime/node-processes.js';

describe('reading /proc for attaching', () => {
  it('decodes /proc/net/tcp and tcp6 addresses and keeps LISTEN sockets only', () => {
    expect(decodeProcAddress('0100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('00000000')).toBe('0.0.0.0');
    expect(decodeProcAddress('00000000000000000000000000000000')).toBe('::');
    expect(decodeProcAddress('00000000000000000000000001000000')).toBe('::1');
    expect(decodeProcAddress('0000000000000000FFFF00000100007F')).toBe('::ffff:127.0.0.1');
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:240D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 439138 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:240D 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 439139 1 0000000000000000 20 4 30 10 -1',
      '   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5555 1 0000000000000000 100 0 0 10 0',
    ].join('\n');
    expect(parseListeners(tcp)).toEqual([
      { address: '127.0.0.1', port: 9229, inode: 439138 },
      { address: '0.0.0.0', port: 8080, inode: 5555 },
    ]);
  });

  it('finds where the inspector listens from the command line and NODE_OPTIONS, the later winning', () => {
    expect(inspectorSetting(['node', 'server.js'])).toEqual({ host: '127.0.0.1', port: 9229, openAtStart: false });
    expect(inspectorSetting(['node', '--inspect-port=9333', 'server.js'])).toEqual({ host: '127.0.0.1', port: 9333, openAtStart: false });
    expect(inspectorSetting(['node', '--inspect-port', '0.0.0.0:0', 'server.js'])).toMatchObject({ host: '0.0.0.0', port: 0 });
    expect(inspectorSetting(['node', '--inspect=[::1]:9300', 'x.js'])).toEqual({ host: '::1', port: 9300, openAtStart: true });
    expect(inspectorSetting(['node', '--inspect-brk=0.0.0.0', 'x.js'])).toEqual({ host: '0.0.0.0', port: 9229, openAtStart: true });
    // After the script, options are the program's own.
    expect(inspectorSetting(['node', 'app.js', '--inspect-port=1'])).toMatchObject({ port: 9229 });
    expect(inspectorSetting(['node', '-e', '--inspect-port=1', '--', 'x'])).toMatchObject({ port: 9229 });
    expect(inspectorSetting(['node', 'app.js'], '--max-old-space-size=512 --inspect-port=0.0.0.0:9444')).toMatchObject({ host: '0.0.0.0', port: 9444 });
    expect(inspectorSetting(['node', '--inspect-port=9555', 'app.js'], '--inspect-port=9444')).toMatchObject({ port: 9555 });
    expect(splitNodeOptions('--require "./a b.js" --inspect')).toEqual(['--require', './a b.js', '--inspect']);
  });

  it('knows loopback addresses, Node executables and shortens command lines', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com']) expect(isLoopback(host), host).toBe(false);
    for (const file of ['/usr/bin/node', '/usr/bin/nodejs', '/opt/node22', '/x/node-20 (deleted)']) expect(isNodeExecutableName(file), file).toBe(true);
    for (const file of ['/bin/sleep', '/usr/bin/nodemon', '/usr/bin/python3', 'electron']) expect(isNodeExecutableName(file), file).toBe(false);
    expect(shortCommand(['/usr/local/bin/node', 'server.js', '--port', '3000'])).toBe('node server.js --port 3000');
    const long = shortCommand(['/usr/bin/node', 'x'.repeat(500)], 80);
    expect(long.length).toBe(80);
    expect(long).toContain('…');
  });
});
