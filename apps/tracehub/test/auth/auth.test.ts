import { describe, expect, it } from 'vitest';
import { authorized, cookieToken, generateToken, isLoopbackHost, presentedTokens, sameToken, tokenCookie, tokenProblem } from '../../src/auth.js';
import { parseConfig } from '../../src/config.js';

const T = 'k3y-for-the-tests-0123456789';
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('the access token', () => {
  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', 'tracehub', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('reads Bearer, Basic (the password) and the cookie', () => {
    expect(presentedTokens({ authorization: `Bearer ${T}` })).toEqual([T]);
    expect(presentedTokens({ authorization: `bearer  ${T} ` })).toEqual([T]);
    expect(presentedTokens({ authorization: basic('grafana', T) })).toEqual([T]);
    expect(presentedTokens({ authorization: basic('', `a:${T}`) })).toEqual([`a:${T}`]);
    expect(presentedTokens({ cookie: `theme=dark; tracehub_token=${T}; x=1` })).toEqual([T]);
    expect(presentedTokens({ authorization: 'Digest abc' })).toEqual([]);
    expect(cookieToken('tracehub_tokenx=1')).toBeUndefined();
  });

  it('accepts only the right token, and everything when none is set', () => {
    expect(authorized(T, { authorization: `Bearer ${T}` })).toBe(true);
    expect(authorized(T, { authorization: basic('admin', T) })).toBe(true);
    expect(authorized(T, { cookie: `tracehub_token=${T}` })).toBe(true);
    expect(authorized(T, { authorization: `Bearer ${T}x` })).toBe(false);
    expect(authorized(T, { authorization: basic(T, 'wrong') })).toBe(false);
    expect(authorized(T, {})).toBe(false);
    expect(authorized(null, {})).toBe(true);
    expect(sameToken('', T)).toBe(false);
  });

  it('generates strong tokens and refuses weak ones', () => {
    const a = generateToken();
    expect(a).not.toBe(generateToken());
    expect(tokenProblem(a)).toBeNull();
    expect(tokenProblem('short')).toMatch(/16/);
    expect(tokenProblem('has a space in it 123')).toMatch(/letters/);
  });

  it('keeps the cookie away from scripts and other sites', () => {
    expect(tokenCookie(T)).toMatch(/HttpOnly/);
    expect(tokenCookie(T)).toMatch(/SameSite=Strict/);
    expect(tokenCookie(T)).toMatch(/Path=\//);
  });

  it('config: none on loopback, generated beyond it, checked when given', () => {
    expect(parseConfig([], {})).toMatchObject({ token: null, tokenGenerated: false });
    const open = parseConfig(['--host', '0.0.0.0'], {});
    expect(open.tokenGenerated).toBe(true);
    expect(tokenProblem(open.token!)).toBeNull();
    expect(parseConfig(['--host', '0.0.0.0'], { TRACEHUB_TOKEN: T })).toMatchObject({ token: T, tokenGenerated: false });
    expect(parseConfig(['--token', T], {})).toMatchObject({ token: T, tokenGenerated: false, host: '127.0.0.1' });
    expect(() => parseConfig(['--token', 'abc'], {})).toThrow(/--token.*16/);
  });
});
