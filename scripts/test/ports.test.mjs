import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkPorts, freePort, portProblem, portsTakenMessage, readPort } from '../lib/ports.mjs';

describe('readPort', () => {
  it('reads a port, falls back when unset, and accepts off only where allowed', () => {
    expect(readPort({ ORDER_PORT: '18080' }, 'ORDER_PORT', 8080)).toBe(18080);
    expect(readPort({}, 'ORDER_PORT', 8080)).toBe(8080);
    expect(readPort({ ORDER_PORT: '' }, 'ORDER_PORT', 8080)).toBe(8080);
    expect(readPort({ TRACEHUB_TEMPO_PORT: 'off' }, 'TRACEHUB_TEMPO_PORT', 3200, { allowOff: true })).toBe('off');
  });

  it('names the variable when the value is not a port', () => {
    expect(() => readPort({ ORDER_PORT: 'abc' }, 'ORDER_PORT', 8080)).toThrow('ORDER_PORT="abc" is not a port: use a whole number from 1 to 65535.');
    expect(() => readPort({ ORDER_PORT: '70000' }, 'ORDER_PORT', 8080)).toThrow(/ORDER_PORT="70000"/);
    expect(() => readPort({ ORDER_PORT: 'off' }, 'ORDER_PORT', 8080)).toThrow(/ORDER_PORT="off"/);
  });
});

describe('portsTakenMessage', () => {
  it('is null when nothing is taken', () => {
    expect(portsTakenMessage([])).toBeNull();
  });

  it('says which port, what wanted it, and which variable moves it, in one line', () => {
    const msg = portsTakenMessage([{ port: 3000, what: 'tracehub UI and API', env: 'TRACEHUB_PORT', problem: 'EADDRINUSE' }]);
    expect(msg).toBe(
      'Port 3000 (tracehub UI and API; TRACEHUB_PORT) is already in use. Is tracelab already running (npm start in another terminal)? Stop it, or set the variable to a free port, e.g. TRACEHUB_PORT=13000 npm start.',
    );
    expect(msg).not.toContain('\n');
  });

  it('lists several, and names a problem other than in-use', () => {
    const msg = portsTakenMessage([
      { port: 8080, what: 'order-service', env: 'ORDER_PORT', problem: 'EADDRINUSE' },
      { port: 80, what: 'storefront', env: 'STOREFRONT_PORT', problem: 'EACCES' },
    ]);
    expect(msg).toMatch(/^Ports 8080 \(order-service; ORDER_PORT\), 80 \(storefront; STOREFRONT_PORT\) \[EACCES\] cannot be used\./);
  });
});

describe('checkPorts', () => {
  it('finds a port another process listens on, and lets free and switched-off ones pass', async () => {
    const busy = createServer();
    await new Promise((r) => busy.listen(0, '127.0.0.1', r));
    const taken = busy.address().port;
    const free = await freePort();
    try {
      expect(await portProblem(taken)).toBe('EADDRINUSE');
      expect(await portProblem(free)).toBeNull();
      expect(await checkPorts([{ port: free, what: 'a', env: 'A' }, { port: 'off', what: 'b', env: 'B' }])).toBeNull();
      expect(await checkPorts([{ port: free, what: 'a', env: 'A' }, { port: taken, what: 'order-service', env: 'ORDER_PORT' }])).toMatch(
        new RegExp(`^Port ${taken} \\(order-service; ORDER_PORT\\) is already in use\\.`),
      );
    } finally {
      busy.close();
    }
  });
});
